import TransitionSystems

/// A candidate invariant over the state slots, in one of the shapes ``LemmaMiner`` proposes:
/// a slot's values, or what the values of one or two slots say about another's.
///
/// Values are positions in the slot's domain (as states store them), so a lemma is evaluated
/// on a state's bytes without the interpreter, translated to a ``GroundTerm`` for the solver,
/// and rendered with the spec's slot and value names (``text(in:)``).
public enum Lemma: Hashable, Sendable {
    /// `slot = value`, one condition of an implication.
    public struct Condition: Hashable, Sendable {
        public let slot: Int
        public let value: UInt8

        public init(slot: Int, value: UInt8) {
            self.slot = slot
            self.value = value
        }
    }

    /// `slot ∈ values`.
    case within(slot: Int, values: [UInt8])
    /// `c1 ∧ c2 ∧ ... ⇒ other ∈ values`.
    case implies(when: [Condition], other: Int, values: [UInt8])

    /// Whether the lemma holds in a state's slots.
    public func holds(in state: UnsafeBufferPointer<UInt8>) -> Bool {
        switch self {
        case .within(let slot, let values):
            return values.contains(state[slot])
        case .implies(let conditions, let other, let values):
            return conditions.contains { state[$0.slot] != $0.value } || values.contains(state[other])
        }
    }

    /// Whether the lemma holds in `state`.
    public func holds(in state: State) -> Bool {
        state.slots.withUnsafeBufferPointer { holds(in: $0) }
    }

    /// The lemma as a condition over runtime values.
    public func term(_ layout: StateLayout) -> GroundTerm {
        func member(_ slot: Int, _ values: [UInt8]) -> GroundTerm {
            let lower = layout.slots[slot].domain.lowerBound
            return .makeOr(values.map { .equal(.slot(slot), .constant(lower + Int($0))) })
        }
        switch self {
        case .within(let slot, let values):
            return member(slot, values)
        case .implies(let conditions, let other, let values):
            let negated = conditions.map { c -> GroundTerm in
                .not(.equal(.slot(c.slot), .constant(layout.slots[c.slot].domain.lowerBound + Int(c.value))))
            }
            return .makeOr(negated + [member(other, values)])
        }
    }

    /// The slots the lemma mentions.
    public var slots: [Int] {
        switch self {
        case .within(let slot, _): return [slot]
        case .implies(let conditions, let other, _): return conditions.map(\.slot) + [other]
        }
    }

    /// The lemma in the spec's names: `pc[cpu0] = idle ⇒ msg[cpu0] = none`,
    /// `users[msg0] ∈ {0, 1, 2}`; a set that leaves out one value is written `≠`.
    public func text(in layout: StateLayout) -> String {
        func name(_ slot: Int, _ value: UInt8) -> String { layout.slots[slot].domain.valueNames[Int(value)] }
        func membership(_ slot: Int, _ values: [UInt8]) -> String {
            let domain = layout.slots[slot].domain
            let slotName = layout.slots[slot].name
            if values.count == 1 { return "\(slotName) = \(name(slot, values[0]))" }
            let excluded = (0..<domain.size).map(UInt8.init).filter { !values.contains($0) }
            if excluded.count == 1 { return "\(slotName) ≠ \(name(slot, excluded[0]))" }
            if excluded.count < values.count {
                return "\(slotName) ∉ {\(excluded.map { name(slot, $0) }.joined(separator: ", "))}"
            }
            return "\(slotName) ∈ {\(values.map { name(slot, $0) }.joined(separator: ", "))}"
        }
        switch self {
        case .within(let slot, let values):
            return membership(slot, values)
        case .implies(let conditions, let other, let values):
            let premise = conditions.map { "\(layout.slots[$0.slot].name) = \(name($0.slot, $0.value))" }.joined(separator: " ∧ ")
            return "\(premise) ⇒ \(membership(other, values))"
        }
    }
}
