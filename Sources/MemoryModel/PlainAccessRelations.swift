/// The bounds, visibility and race relations linux-kernel.cat (v6.12, "Plain accesses and data
/// races") defines for plain accesses, over one candidate execution.
///
/// `incoherent` is the union the `plain-coherence` constraint requires empty; `races` is the union
/// the `data-race` flag reports. RCU's `rb` is empty (RCU is not modelled), so `xbstar` is `(hb | pb)*`.
struct PlainAccessRelations {
    let incoherent: Relation
    let races: Relation

    init(_ r: Relations, hb: Relation, pb: Relation) {
        let fence = r.fence
        let strongFence = r.strongFence
        let nonrwFence = r.nonrwFence
        let xbstar = (hb | pb).reflexiveTransitiveClosure
        let cumulStar = r.cumulFence.reflexiveTransitiveClosure
        let vis = cumulStar.then(r.rfe.optional).to(r.marked)
            .then(strongFence.to(r.marked).then(xbstar) | (xbstar & r.int))
        let rmbBetween = r.fencerel(.rmb)
        let wPreBounded = (r.addr | fence).optional.from(r.marked)
        let rPreBounded = (r.addr | nonrwFence | rmbBetween.from(r.rmbReads).to(r.notNoreturn)).optional.from(r.marked)
        let wPostBounded = fence.optional.to(r.marked).then(r.rmwSequence)
        let rPostBounded = (nonrwFence | rmbBetween.from(r.notNoreturn).to(r.rmbReads)).optional.to(r.marked)
        let wwVis = fence | strongFence.then(xbstar).then(wPreBounded) | wPostBounded.then(vis).then(wPreBounded)
        let wrVis = fence | strongFence.then(xbstar).then(rPreBounded) | wPostBounded.then(vis).then(rPreBounded)
        let rwXbstar = fence | rPostBounded.then(xbstar).then(wPreBounded)
        let preRace = r.ext & (Relation.product(size: r.size, r.plain, r.memory)
            | Relation.product(size: r.size, r.memory - r.initial, r.plain))
        let wrIncoherent = preRace & r.rf & rwXbstar.inverse
        let rwIncoherent = preRace & r.fr & wrVis.inverse
        let wwIncoherent = preRace & r.co & wwVis.inverse
        incoherent = wrIncoherent | rwIncoherent | wwIncoherent
        let wwNonrace = wwVis
            & (Relation.product(size: r.size, r.marked, r.writes) | rwXbstar)
            & (Relation.product(size: r.size, r.writes, r.marked) | wrVis)
        let wwRace = (preRace & r.co) - wwNonrace
        let wrRace = (preRace & r.co.optional.then(r.rf)) - wrVis - rwXbstar.inverse
        let rwRace = (preRace & r.fr) - rwXbstar
        races = wwRace | wrRace | rwRace
    }
}
