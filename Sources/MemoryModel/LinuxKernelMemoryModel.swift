/// The Linux-kernel memory model as a judge of candidate executions.
///
/// Written from the definitions in the kernel's tools/memory-model at tag v6.12: linux-kernel.bell
/// (access kinds, `Marked`/`Plain`, dependencies carried through plain accesses), lock.cat (spinlocks
/// as LKR/LKW/UL events with their own rf and co), and linux-kernel.cat (coherence, atomicity,
/// happens-before, propagation, plain-coherence, the data-race flag). RCU and SRCU are not modelled:
/// the litmus front end refuses them, so the RCU axiom's relations (`rcu-fence`, `rb`) are empty here.
///
/// Use: build a ``CandidateExecution`` and call ``judge(_:)``. The judgement names the first
/// constraint violated, in the order coherence, atomic, happens-before, propagation, plain-coherence.
public struct LinuxKernelMemoryModel: Sendable {
    /// The name every verdict under this model carries.
    public static let name = "lkmm"

    public init() {}

    /// Whether the LKMM allows `execution`, and which flags it raises if so.
    public func judge(_ execution: CandidateExecution) -> ModelJudgement {
        let r = Relations(execution)
        if !(r.poLoc | r.com).isAcyclic { return ModelJudgement(violated: .coherence) }
        if !(execution.rmw & r.fre.then(r.coe)).isEmpty { return ModelJudgement(violated: .atomic) }
        let hb = r.happensBefore
        if !hb.isAcyclic { return ModelJudgement(violated: .happensBefore) }
        let pb = r.prop.then(r.strongFence).then(hb.reflexiveTransitiveClosure).to(r.marked)
        if !pb.isAcyclic { return ModelJudgement(violated: .propagation) }
        let plain = PlainAccessRelations(r, hb: hb, pb: pb)
        if !plain.incoherent.isEmpty { return ModelJudgement(violated: .plainCoherence) }
        return ModelJudgement(violated: nil, flags: plain.races.isEmpty ? [] : [.dataRace])
    }
}

// MARK: - The relations of linux-kernel.cat

/// The sets and relations linux-kernel.bell, lock.cat and linux-kernel.cat derive from a candidate.
struct Relations {
    let size: Int
    let po, rf, co, fr, rmw: Relation
    let addr, data, ctrl: Relation
    let loc, int, ext: Relation
    let reads, writes, memory, initial, marked, plain, acquire, release, atomicRMW: EventSet
    let lockReads, lockWrites, unlockEvents, notNoreturn, rmbReads: EventSet

    init(_ x: CandidateExecution) {
        size = x.size
        po = x.po
        rf = x.rf
        co = x.co
        fr = x.fr
        rmw = x.rmw
        loc = x.sameLocation
        int = x.sameThread
        ext = x.external
        reads = x.set { $0.isRead }
        writes = x.set { $0.isWrite }
        memory = reads | writes
        initial = x.set { $0.isInitial }
        acquire = x.set { ($0.isRead && $0.annotation == .acquire) || $0.kind == .lockRead }
        release = x.set { ($0.isWrite && $0.annotation == .release) || $0.kind == .unlock }
        let once = x.set { $0.annotation == .once }
        let locks = x.set { $0.kind == .lockRead || $0.kind == .lockWrite || $0.kind == .unlock }
        let fences = x.set { $0.location == nil }
        marked = fences | initial | once | release | acquire | x.rmw.domain | x.rmw.range | locks
        plain = memory - marked
        atomicRMW = x.set { $0.isAtomicRMW }
        lockReads = x.set { $0.kind == .lockRead }
        lockWrites = x.set { $0.kind == .lockWrite }
        unlockEvents = x.set { $0.kind == .unlock }
        let noreturn = x.set { $0.annotation == .noreturn }
        notNoreturn = EventSet(bits: size == 64 ? ~0 : (UInt64(1) << UInt64(size)) - 1) - noreturn
        rmbReads = reads - noreturn
        // linux-kernel.bell: dependencies carried through plain accesses, carry-dep = (data ; rfi)*.
        let carry = x.data.then(x.rf & x.sameThread).reflexiveTransitiveClosure
        addr = carry.then(x.addr)
        data = carry.then(x.data)
        ctrl = carry.then(x.ctrl)
        fencesByKind = Dictionary(grouping: x.events.compactMap { event -> (FenceKind, Int)? in
            if case let .fence(kind) = event.kind { return (kind, event.id) }
            return nil
        }, by: \.0).mapValues { EventSet($0.map(\.1)) }
    }

    private let fencesByKind: [FenceKind: EventSet]

    /// `fencerel(S)`: pairs separated in program order by a fence of `kind`.
    func fencerel(_ kind: FenceKind) -> Relation {
        po.to(fencesByKind[kind] ?? .empty).then(po)
    }

    var poLoc: Relation { po & loc }
    var com: Relation { rf | co | fr }
    var rfe: Relation { rf & ext }
    var rfi: Relation { rf & int }
    var coe: Relation { co & ext }
    var fre: Relation { fr & ext }

    // MARK: Release, acquire, fences

    var acqPo: Relation { po.from(acquire).to(memory) }
    var poRel: Relation { po.from(memory).to(release) }
    /// `po ; [UL] ; (po | rf) ; [LKR] ; po`.
    var poUnlockLockPo: Relation {
        po.to(unlockEvents).then((po | rf).to(lockReads)).then(po)
    }

    var rmb: Relation { fencerel(.rmb).from(rmbReads).to(rmbReads) }
    var wmb: Relation { fencerel(.wmb).from(writes).to(writes) }

    var mb: Relation {
        fencerel(.mb).from(memory).to(memory)
            | fencerel(.beforeAtomic).from(memory).to(atomicRMW).then(po.optional).to(memory)
            | po.optional.from(memory).to(atomicRMW).then(fencerel(.afterAtomic)).to(memory)
            | po.optional.from(memory).to(lockWrites).then(fencerel(.afterSpinlock)).to(memory)
            | poUnlockLockPo.from(memory).to(fencesByKind[.afterUnlockLock] ?? .empty).then(po).to(memory)
    }

    var strongFence: Relation { mb }
    var nonrwFence: Relation { strongFence | poRel | acqPo }
    var fence: Relation { nonrwFence | wmb | rmb }

    // MARK: Preserved program order, propagation, happens-before

    var ppo: Relation {
        let dep = addr | data
        let overwrite = co | fr
        let toW = (dep | ctrl).to(writes) | (overwrite & int) | addr.to(plain).then(wmb)
        let toR = addr.to(reads) | dep.to(marked).then(rfi)
        return toR | toW | (fence & int) | (poUnlockLockPo & int)
    }

    func aCumul(_ r: Relation) -> Relation { rfe.to(marked).optional.then(r) }

    var rmwSequence: Relation { rf.then(rmw).reflexiveTransitiveClosure }

    var cumulFence: Relation {
        (aCumul(strongFence | poRel) | wmb | poUnlockLockPo).from(marked).to(marked).then(rmwSequence)
    }

    var prop: Relation {
        ((co | fr) & ext).optional.from(marked)
            .then(cumulFence.reflexiveTransitiveClosure).to(marked)
            .then(rfe.optional).to(marked)
    }

    var happensBefore: Relation {
        (ppo | rfe | (prop.withoutIdentity & int)).from(marked).to(marked)
    }
}
