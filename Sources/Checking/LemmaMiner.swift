import TransitionSystems

/// Proposes lemmas from templates over the state slots, keeping those that every state of a
/// ``ReachableStateSample`` satisfies.
///
/// Two templates, both read off one table per pair of slots of the value pairs seen together:
/// - `x ∈ S`: the values slot `x` takes, when that is not its whole domain (a counter that
///   never reaches its top, a program counter that skips a location);
/// - `x = a ⇒ y ∈ S`: what slot `x` holding `a` says about slot `y`, when it says more than
///   `y ∈ S` alone. This covers equalities and implications between two slot values
///   (`pc[cpu0] = poll ⇒ msg[cpu0] ≠ none`), and "at most one of" over a domain pairwise
///   (`priv[cpu0] = msg0 ⇒ priv[cpu1] ≠ msg0`).
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
    /// States observed.
    public private(set) var observed = 0

    public init(layout: StateLayout) {
        self.layout = layout
        slots = layout.slots.indices.filter { layout.slots[$0].domain.size <= Self.maximumDomainSize }
        sizes = slots.map { layout.slots[$0].domain.size }
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
                        implications.append(.implies(slot: slots[i], value: a, other: slots[j], values: allowed))
                    }
                }
                for b in unary[j] {
                    let allowed = unary[i].filter { together(Int($0), Int(b)) }
                    if allowed.count < unary[i].count {
                        implications.append(.implies(slot: slots[j], value: b, other: slots[i], values: allowed))
                    }
                }
            }
        }
        return result + implications
    }
}
