import TransitionSystems

/// Proposes lemmas from templates over the state slots, keeping those that every state of a
/// ``ReachableStateSample`` satisfies.
///
/// Three templates, read off one table per pair of slots of the value pairs seen together, and
/// one table per pair of control slots (program counters) and third slot of the triples:
/// - `x ∈ S`: the values slot `x` takes, when that is not its whole domain (a counter that
///   never reaches its top, a program counter that skips a location);
/// - `x = a ⇒ y ∈ S`: what slot `x` holding `a` says about slot `y`, when it says more than
///   `y ∈ S` alone. This covers equalities and implications between two slot values
///   (`pc[cpu0] = poll ⇒ msg[cpu0] ≠ none`), and "at most one of" over a domain pairwise
///   (`priv[cpu0] = msg0 ⇒ priv[cpu1] ≠ msg0`);
/// - `p = a ∧ q = b ⇒ z ∈ S` for two control slots `p` and `q`: what two processes' locations
///   together say about a third slot, when it says more than each location alone (where the
///   IRQ path is while a sender polls, and what that means for the buffer both touch).
///
/// The table is a bit set of `size(x) × size(y)` bits per pair, so gathering costs one bit
/// operation per pair of slots per state. Slots whose domain has more than
/// ``maximumDomainSize`` values are left out of the templates.
public struct LemmaMiner {
    /// The largest domain a templated slot may have.
    public static let maximumDomainSize = 64

    public let layout: StateLayout
    private let slots: [Int]
    private let sizes: [Int]
    /// Per pair `(i, j)` of positions in ``slots`` with `i < j`: the first word of its table.
    private var offsets: [Int]
    private var words: [UInt64]
    private var seen: [UInt64]
    /// Positions in ``slots`` of the control slots, and per pair of them and third slot the first word of its table.
    private let controls: [Int]
    private var tripleOffsets: [[Int]] = []
    private var tripleWords: [UInt64] = []
    /// States observed.
    public private(set) var observed = 0

    /// A miner over `layout`'s slots; `controls` (slots, usually program counters) are paired for the third template.
    public init(layout: StateLayout, controls: [Int] = []) {
        self.layout = layout
        let slots = layout.slots.indices.filter { layout.slots[$0].domain.size <= Self.maximumDomainSize }
        self.slots = slots
        sizes = slots.map { layout.slots[$0].domain.size }
        self.controls = controls.compactMap { slots.firstIndex(of: $0) }
        var tripleTotal = 0
        for (x, p) in self.controls.enumerated() {
            for q in self.controls[(x + 1)...] {
                var row: [Int] = []
                for z in slots.indices {
                    row.append(tripleTotal)
                    tripleTotal += (sizes[p] * sizes[q] * sizes[z] + 63) / 64
                }
                tripleOffsets.append(row)
            }
        }
        tripleWords = Array(repeating: 0, count: tripleTotal)
        var offsets: [Int] = []
        var total = 0
        for i in slots.indices {
            for j in slots.indices where j > i {
                offsets.append(total)
                total += (sizes[i] * sizes[j] + 63) / 64
            }
        }
        self.offsets = offsets
        words = Array(repeating: 0, count: total)
        seen = Array(repeating: 0, count: slots.count)
    }

    /// The program counters of `system`'s processes, as slots: the control slots for ``init(layout:controls:)``.
    public static func programCounters(of system: TransitionSystem) -> [Int] {
        system.spec.processes.compactMap(\.pc).flatMap { pc -> [Int] in
            guard let v = system.layout.variable(named: pc.name) else { return [] }
            return Array(system.layout.slots(of: v))
        }
    }

    /// Records one state's values.
    public mutating func observe(_ state: UnsafeBufferPointer<UInt8>) {
        observed += 1
        let n = slots.count
        var pair = 0
        words.withUnsafeMutableBufferPointer { words in
            for i in 0..<n {
                let a = Int(state[slots[i]])
                seen[i] |= 1 << UInt64(a)
                for j in (i + 1)..<max(n, i + 1) {
                    let bit = a * sizes[j] + Int(state[slots[j]])
                    words[offsets[pair] + bit >> 6] |= 1 << UInt64(bit & 63)
                    pair += 1
                }
            }
        }
        var triple = 0
        for (x, p) in controls.enumerated() {
            for q in controls[(x + 1)...] {
                let row = (Int(state[slots[p]]) * sizes[q] + Int(state[slots[q]]))
                let offsets = tripleOffsets[triple]
                for z in slots.indices where z != p && z != q {
                    let bit = row * sizes[z] + Int(state[slots[z]])
                    tripleWords[offsets[z] + bit >> 6] |= 1 << UInt64(bit & 63)
                }
                triple += 1
            }
        }
    }

    /// Records every state of `sample`.
    public mutating func observe(_ sample: ReachableStateSample) {
        sample.forEachState { observe($0) }
    }

    /// The values of slot position `i` seen, as domain positions.
    private func values(_ i: Int) -> [UInt8] {
        (0..<sizes[i]).filter { seen[i] & (1 << UInt64($0)) != 0 }.map(UInt8.init)
    }

    /// Every proposal the observed states satisfy, unary ones first.
    public func candidates() -> [Lemma] {
        var result: [Lemma] = []
        let n = slots.count
        let unary = (0..<n).map(values)
        for i in 0..<n where unary[i].count < sizes[i] && !unary[i].isEmpty {
            result.append(.within(slot: slots[i], values: unary[i]))
        }
        var pair = 0
        var implications: [Lemma] = []
        for i in 0..<n {
            for j in (i + 1)..<max(n, i + 1) {
                defer { pair += 1 }
                guard unary[i].count > 1 && unary[j].count > 1 else { continue }
                func together(_ a: Int, _ b: Int) -> Bool {
                    let bit = a * sizes[j] + b
                    return words[offsets[pair] + bit >> 6] & (1 << UInt64(bit & 63)) != 0
                }
                for a in unary[i] {
                    let allowed = unary[j].filter { together(Int(a), Int($0)) }
                    if allowed.count < unary[j].count {
                        implications.append(.implies(when: [.init(slot: slots[i], value: a)], other: slots[j], values: allowed))
                    }
                }
                for b in unary[j] {
                    let allowed = unary[i].filter { together(Int($0), Int(b)) }
                    if allowed.count < unary[i].count {
                        implications.append(.implies(when: [.init(slot: slots[j], value: b)], other: slots[i], values: allowed))
                    }
                }
            }
        }
        var triple = 0
        for (x, p) in controls.enumerated() {
            for q in controls[(x + 1)...] {
                defer { triple += 1 }
                for z in slots.indices where z != p && z != q && unary[z].count > 1 {
                    let offset = tripleOffsets[triple][z]
                    func together(_ a: Int, _ b: Int, _ c: Int) -> Bool {
                        let bit = (a * sizes[q] + b) * sizes[z] + c
                        return tripleWords[offset + bit >> 6] & (1 << UInt64(bit & 63)) != 0
                    }
                    let byP = unary[p].map { a in Set(unary[q].flatMap { b in unary[z].filter { together(Int(a), Int(b), Int($0)) } }) }
                    let byQ = unary[q].map { b in Set(unary[p].flatMap { a in unary[z].filter { together(Int(a), Int(b), Int($0)) } }) }
                    for (ai, a) in unary[p].enumerated() {
                        for (bi, b) in unary[q].enumerated() {
                            let allowed = unary[z].filter { together(Int(a), Int(b), Int($0)) }
                            guard !allowed.isEmpty else { continue }
                            if allowed.count < byP[ai].intersection(byQ[bi]).count {
                                implications.append(.implies(when: [.init(slot: slots[p], value: a), .init(slot: slots[q], value: b)],
                                                             other: slots[z], values: allowed))
                            }
                        }
                    }
                }
            }
        }
        return result + implications
    }
}
