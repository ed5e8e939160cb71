import TransitionSystems

/// Proposes counts: linear equalities, over one value `d` of an instance domain (a buffer, a
/// CPU), between the numbers and indicators that speak of `d` and of where the processes are,
/// kept when every state of a ``ReachableStateSample`` satisfies them.
///
/// The shapes it finds are the ones pair templates cannot state: a buffer's refcount equal to
/// the number of references held, some by pointers and some by where a process is
/// (`users[msg0] = [priv[cpu0] = msg0] + [irq_pc = release ∧ irq_msg = msg0] + ...`), and
/// conservation, a buffer in exactly one place (`on_free_list[msg0] + in_device[msg0] +
/// [used[0] = msg0] + ... + [pc[cpu0] = send ∧ msg[cpu0] = msg0] = 1`).
///
/// For each value `d` of a domain that both indexes variables and is the value domain of some
/// slot (an *instance* domain), the terms are:
/// - `[s = d]` for each slot `s` whose values are the domain's (a pointer, a queue's slot, an
///   owner). When `s` belongs to a process (its variable has the same index element as a
///   program counter, or neither is indexed), the term is split by that program counter's
///   location, `[pc = L ∧ s = d]`, since whether a pointer counts depends on where its holder
///   is; of several such program counters, the one at whose locations `s` is most often
///   always empty;
/// - `[pc = L]` for each program counter and location but the first (what a process holds
///   that no pointer names: the other values of its pointers);
/// - for a Boolean `f` of a process that a step from location `L` reads (a branch it takes, such
///   as "release the poll reference too"), `[pc = L ∧ f]` and `[pc = L ∧ f ∧ s = d]` for the
///   process's pointers `s`;
/// - for each slot `v[d]` indexed by `d`: its number (a numeric domain), `[v[d]]` (a Boolean),
///   or `[v[d] = a]` for each value `a` but the first (anything else).
/// Every equality `Σ aᵢ·tᵢ = b` that the sampled states satisfy is a combination of a basis of
/// the null space of the matrix of their term vectors (with a constant column); the miner
/// proposes the reduced basis (each member: one term expressed by earlier ones, the slots of
/// `d` last so that they are the ones expressed), leaving out members of one term (what the unary
/// template says), of two terms unless both name `d` (what the pair templates say), and whose
/// sums would not fit the solver's integers (`maximumSum`). The elimination runs modulo a prime
/// over every distinct sampled vector, and each member is read back as small integers, kept only
/// when no dot product with a sampled vector can reach the prime, so a proposal holds exactly on
/// the sample; it is still only a proposal: ``Houdini`` proves what it keeps.
public struct CountMiner {
    /// One term of the vector: an indicator of `conditions`, times `number`'s value when given.
    struct Feature: Hashable {
        let conditions: [Lemma.Condition]
        let number: Int?
        /// Whether the term names the instance value (a pointer condition or a slot of it).
        let namesValue: Bool
    }

    public let layout: StateLayout
    /// Per instance value: the terms that speak of it.
    private let spaces: [[Feature]]
    /// Per instance value: the distinct term vectors seen.
    private let vectors: [Set<[Int]>]
    private let maximumSum: Int

    /// A miner for `sample`'s states; `controls` are program-counter slots, `maximumSum` the largest
    /// sum a count's side may reach.
    public init(sample: ReachableStateSample, controls: [Int], maximumSum: Int) {
        let system = sample.system
        let layout = system.layout
        self.layout = layout
        self.maximumSum = maximumSum
        let slots = layout.slots
        func indexDomain(_ s: Int) -> Domain? { layout.variables[slots[s].variable].index }
        func base(_ domain: Domain) -> String? {
            switch domain.kind {
            case .enumeration: return domain.name
            case .optional(let base): return base
            default: return nil
            }
        }
        func sameProcess(_ s: Int, _ control: Int) -> Bool {
            indexDomain(control)?.name == indexDomain(s)?.name && slots[control].element == slots[s].element
        }
        let indexing = layout.variables.compactMap(\.index)
        var instanceDomains: [Domain] = []
        for slot in slots {
            guard let name = base(slot.domain), let domain = indexing.first(where: { $0.name == name }),
                  !instanceDomains.contains(where: { $0.name == name }) else { continue }
            instanceDomains.append(domain)
        }

        // The program counter each pointer-like slot is split by: of the ones of its process,
        // the one with the most locations where the slot is never set.
        let controlSet = Set(controls)
        var setAt: [Int: [Int: Set<UInt8>]] = [:]   // slot → control → locations where the slot was ever set
        var pointerSlots: [Int] = []
        for s in slots.indices where !controlSet.contains(s) {
            guard let name = base(slots[s].domain), instanceDomains.contains(where: { $0.name == name }) else { continue }
            pointerSlots.append(s)
            let mine = controls.filter { sameProcess(s, $0) }
            if !mine.isEmpty { setAt[s] = Dictionary(uniqueKeysWithValues: mine.map { ($0, Set<UInt8>()) }) }
        }
        sample.forEachState { state in
            for (s, byControl) in setAt {
                guard case .optional = slots[s].domain.kind, Int(state[s]) != slots[s].domain.size - 1 else { continue }
                for c in byControl.keys { setAt[s]![c]!.insert(state[c]) }
            }
        }
        var splitBy: [Int: Int] = [:]
        for (s, byControl) in setAt {
            let best = byControl.map { c, set in (c, slots[c].domain.size - set.count) }.max { a, b in a.1 < b.1 || (a.1 == b.1 && a.0 > b.0) }
            if let best, best.1 > 0 { splitBy[s] = best.0 }
        }

        // The Booleans of a process that its steps from a location read: (control, location, flag).
        var branches: [(control: Int, location: UInt8, flag: Int)] = []
        var seenBranches = Set<[Int]>()
        for instance in system.instances {
            for (control, value) in instance.guardTerm.pinnedSlots where controlSet.contains(control) {
                let location = value - slots[control].domain.lowerBound
                let reads = Footprint(instance).reads
                for f in reads.sorted() where f != control && slots[f].domain.kind == .boolean && sameProcess(f, control) {
                    if seenBranches.insert([control, location, f]).inserted { branches.append((control, UInt8(location), f)) }
                }
            }
        }

        var spaces: [[Feature]] = []
        for domain in instanceDomains {
            for (position, valueName) in domain.valueNames.enumerated() {
                var features: [Feature] = []
                func pointer(_ s: Int) -> Lemma.Condition {
                    Lemma.Condition(slot: s, value: UInt8(slots[s].domain.valueNames.firstIndex(of: valueName)!))
                }
                let pointers = pointerSlots.filter { base(slots[$0].domain) == domain.name }
                for s in pointers {
                    if let c = splitBy[s] {
                        for location in 0..<slots[c].domain.size {
                            features.append(Feature(conditions: [Lemma.Condition(slot: c, value: UInt8(location)), pointer(s)], number: nil, namesValue: true))
                        }
                    } else {
                        features.append(Feature(conditions: [pointer(s)], number: nil, namesValue: true))
                    }
                }
                for c in controls {
                    for location in 1..<slots[c].domain.size {
                        features.append(Feature(conditions: [Lemma.Condition(slot: c, value: UInt8(location))], number: nil, namesValue: false))
                    }
                }
                for branch in branches {
                    let at = [Lemma.Condition(slot: branch.control, value: branch.location), Lemma.Condition(slot: branch.flag, value: 1)]
                    features.append(Feature(conditions: at, number: nil, namesValue: false))
                    for s in pointers where splitBy[s] == branch.control {
                        features.append(Feature(conditions: at + [pointer(s)], number: nil, namesValue: true))
                    }
                }
                for s in slots.indices where indexDomain(s)?.name == domain.name && slots[s].element == position && !controlSet.contains(s) {
                    switch slots[s].domain.kind {
                    case .range:
                        features.append(Feature(conditions: [], number: s, namesValue: true))
                    default:
                        for value in 1..<slots[s].domain.size {
                            features.append(Feature(conditions: [Lemma.Condition(slot: s, value: UInt8(value))], number: nil, namesValue: true))
                        }
                    }
                }
                spaces.append(features)
            }
        }
        // A number outside -128...127 cannot be packed; no domain here comes near, but leave it out if one does.
        spaces = spaces.map { features in
            features.filter { f in
                guard let n = f.number else { return true }
                let domain = slots[n].domain
                return domain.lowerBound >= -128 && domain.upperBound <= 127
            }
        }
        self.spaces = spaces
        // One pass over the sample for every instance value; each vector packed eight terms to a
        // word, so that keeping the distinct ones hashes an eighth of the words.
        var seen = Array(repeating: Set<[UInt64]>(), count: spaces.count)
        var packed = spaces.map { [UInt64](repeating: 0, count: ($0.count + 7) / 8) }
        sample.forEachState { state in
            for i in spaces.indices {
                for w in packed[i].indices { packed[i][w] = 0 }
                for (j, f) in spaces[i].enumerated() {
                    guard f.conditions.allSatisfy({ state[$0.slot] == $0.value }) else { continue }
                    let value = f.number.map { layout.slots[$0].domain.lowerBound + Int(state[$0]) } ?? 1
                    packed[i][j >> 3] |= UInt64(UInt8(bitPattern: Int8(value))) << UInt64((j & 7) * 8)
                }
                seen[i].insert(packed[i])
            }
        }
        vectors = zip(spaces, seen).map { features, words in
            Set(words.map { word in
                features.indices.map { j in Int(Int8(bitPattern: UInt8(truncatingIfNeeded: word[j >> 3] >> UInt64((j & 7) * 8)))) }
            })
        }
    }

    /// The terms per instance value, summed over the values: the size of the search.
    public var featureCount: Int { spaces.reduce(0) { $0 + $1.count } }

    /// Every count the sampled states satisfy, as a reduced basis per instance value.
    public func candidates() -> [Lemma] {
        var result: [Lemma] = []
        for (features, seen) in zip(spaces, vectors) {
            // Terms that are never nonzero say `t = 0`, which the unary template says already.
            let live = features.indices.filter { i in seen.contains { $0[i] != 0 } }
            guard !live.isEmpty else { continue }
            let rows = seen.map { v in live.map { v[$0] } + [1] }
            for relation in Self.nullSpace(rows, columns: live.count + 1) {
                let nonzero = (0..<live.count).filter { relation[$0] != 0 }
                guard nonzero.count >= 3 || (nonzero.count == 2 && nonzero.allSatisfy { features[live[$0]].namesValue }) else { continue }
                let summands = nonzero.map { i -> Lemma.Summand in
                    let f = features[live[i]]
                    return Lemma.Summand(coefficient: relation[i], conditions: f.conditions, number: f.number)
                }
                let lemma = Lemma.count(summands, equals: -relation[live.count])
                if lemma.countBound(layout) <= maximumSum { result.append(lemma) }
            }
        }
        return result
    }

    // MARK: - Linear algebra

    /// The prime the elimination works modulo.
    static let prime = 2_147_483_647

    /// A basis of the integer vectors `x` with `r·x = 0` for every row `r`, one per free column of
    /// the rows' reduced echelon form (computed modulo ``prime``), each read back as coprime small
    /// integers and kept only if that makes it exactly orthogonal to every row (no dot product
    /// can reach the prime).
    static func nullSpace(_ rows: [[Int]], columns: Int) -> [[Int]] {
        let p = prime
        func reduce(_ x: Int) -> Int { let r = x % p; return r < 0 ? r + p : r }
        var basis: [[Int]] = []
        var support: [[Int]] = []   // per basis row, its nonzero columns
        var pivotRow = Array(repeating: -1, count: columns)   // column → position in basis, or -1
        for row in rows {
            var v = row.map(reduce)
            // The basis is fully reduced, so subtracting a basis row changes no other pivot column:
            // the pivot columns to reduce at are the row's own nonzero ones.
            for j in row.indices where row[j] != 0 && pivotRow[j] >= 0 {
                let b = pivotRow[j]
                let factor = v[j]
                for k in support[b] { v[k] = reduce(v[k] - factor * basis[b][k] % p) }
            }
            guard let pivot = v.firstIndex(where: { $0 != 0 }) else { continue }
            let inverse = power(v[pivot], p - 2, p)
            for k in pivot..<columns where v[k] != 0 { v[k] = v[k] * inverse % p }
            let nonzero = (pivot..<columns).filter { v[$0] != 0 }
            for b in basis.indices where basis[b][pivot] != 0 {
                let factor = basis[b][pivot]
                for k in nonzero { basis[b][k] = reduce(basis[b][k] - factor * v[k] % p) }
                support[b] = support[b].filter { basis[b][$0] != 0 } + nonzero.filter { !support[b].contains($0) && basis[b][$0] != 0 }
            }
            pivotRow[pivot] = basis.count
            basis.append(v)
            support.append(nonzero)
        }
        let largest = rows.reduce(1) { m, row in row.reduce(m) { max($0, abs($1)) } }
        var result: [[Int]] = []
        for free in 0..<columns where pivotRow[free] < 0 {
            var vector = Array(repeating: 0, count: columns)
            vector[free] = 1
            for (pivot, b) in pivotRow.enumerated() where b >= 0 { vector[pivot] = reduce(-basis[b][free]) }
            guard let rational = vector.map({ reconstruct($0, p) }) as [(Int, Int)?]?, rational.allSatisfy({ $0 != nil }) else { continue }
            let fractions = rational.map { $0! }
            var denominators = 1
            var fits = true
            for (_, d) in fractions {
                denominators = lcm(denominators, d)
                if denominators > 1 << 20 { fits = false; break }
            }
            guard fits else { continue }
            var integers = fractions.map { $0.0 * (denominators / $0.1) }
            let divisor = integers.reduce(0) { gcd($0, $1) }
            if divisor > 1 { integers = integers.map { $0 / divisor } }
            // Orthogonal to every row modulo p (the elimination saw every row, and scaling by a
            // denominator prime to p keeps that); when no dot product can reach p in magnitude, it
            // is orthogonal exactly.
            guard integers.reduce(0, { $0 + abs($1) }) * largest < p else { continue }
            result.append(integers)
        }
        return result
    }

    /// The fraction `a/b` with `|a|, b ≤ √(p/2)` that is `x` modulo `p`, if there is one.
    static func reconstruct(_ x: Int, _ p: Int) -> (Int, Int)? {
        let bound = Int(Double(p / 2).squareRoot())
        var (r0, r1) = (p, x)
        var (t0, t1) = (0, 1)
        while r1 > bound {
            let q = r0 / r1
            (r0, r1) = (r1, r0 - q * r1)
            (t0, t1) = (t1, t0 - q * t1)
        }
        guard t1 != 0, abs(t1) <= bound else { return nil }
        return t1 < 0 ? (-r1, -t1) : (r1, t1)
    }
}

private func power(_ base: Int, _ exponent: Int, _ p: Int) -> Int {
    var result = 1, b = base % p, e = exponent
    while e > 0 {
        if e & 1 == 1 { result = result * b % p }
        b = b * b % p
        e >>= 1
    }
    return result
}

private func gcd(_ a: Int, _ b: Int) -> Int {
    var (a, b) = (abs(a), abs(b))
    while b != 0 { (a, b) = (b, a % b) }
    return a
}

private func lcm(_ a: Int, _ b: Int) -> Int { a / max(gcd(a, b), 1) * b }
