import TransitionSystems

/// A candidate invariant over the state slots, in one of the shapes ``LemmaMiner`` proposes:
/// a slot's values, what the values of one or two slots say about another's, or a count (a
/// linear equality between a slot's number and indicator terms, such as a buffer's refcount
/// equal to the number of pointers that name it).
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

    /// `coefficient × [c1 ∧ c2 ∧ ...]`, or, with ``number``, `coefficient × number` when the
    /// conditions hold (a numeric slot's value); one term of a ``Lemma/count(_:equals:)``.
    public struct Summand: Hashable, Sendable {
        public let coefficient: Int
        public let conditions: [Condition]
        /// A numeric slot whose value the term counts, or `nil` for an indicator (1 when the conditions hold).
        public let number: Int?

        public init(coefficient: Int, conditions: [Condition], number: Int? = nil) {
            self.coefficient = coefficient
            self.conditions = conditions
            self.number = number
        }

        /// The term's value in a state.
        func value(in state: UnsafeBufferPointer<UInt8>, _ layout: StateLayout) -> Int {
            guard conditions.allSatisfy({ state[$0.slot] == $0.value }) else { return 0 }
            guard let number else { return coefficient }
            return coefficient * (layout.slots[number].domain.lowerBound + Int(state[number]))
        }

        /// The largest magnitude the term takes.
        func bound(_ layout: StateLayout) -> Int {
            guard let number else { return abs(coefficient) }
            let domain = layout.slots[number].domain
            return abs(coefficient) * max(abs(domain.lowerBound), abs(domain.upperBound))
        }
    }

    /// `slot ∈ values`.
    case within(slot: Int, values: [UInt8])
    /// `c1 ∧ c2 ∧ ... ⇒ other ∈ values`.
    case implies(when: [Condition], other: Int, values: [UInt8])
    /// `Σ summands = total`: a count, such as `users[msg0] = [priv[cpu0] = msg0] + [irq_msg = msg0]`
    /// or `on_free_list[msg0] + in_device[msg0] + [used[0] = msg0] + ... = 1`.
    case count([Summand], equals: Int)

    /// The layout a ``count(_:equals:)`` needs to read numbers; the other shapes read positions only.
    public func holds(in state: UnsafeBufferPointer<UInt8>, _ layout: StateLayout) -> Bool {
        guard case .count(let summands, let total) = self else { return holds(in: state) }
        return summands.reduce(0) { $0 + $1.value(in: state, layout) } == total
    }

    /// The largest magnitude either side of a count takes (each side is a sum of non-negative
    /// terms); the solver's integers must hold it for the term to mean what ``holds(in:_:)`` says.
    public func countBound(_ layout: StateLayout) -> Int {
        guard case .count(let summands, let total) = self else { return 0 }
        let positive = summands.filter { $0.coefficient > 0 }.reduce(max(0, -total)) { $0 + $1.bound(layout) }
        let negative = summands.filter { $0.coefficient < 0 }.reduce(max(0, total)) { $0 + $1.bound(layout) }
        return max(positive, negative)
    }

    /// Whether the lemma holds in a state's slots (a count needs ``holds(in:_:)``).
    public func holds(in state: UnsafeBufferPointer<UInt8>) -> Bool {
        switch self {
        case .count:
            preconditionFailure("a count is evaluated with its layout: holds(in:_:)")
        case .within(let slot, let values):
            return values.contains(state[slot])
        case .implies(let conditions, let other, let values):
            return conditions.contains { state[$0.slot] != $0.value } || values.contains(state[other])
        }
    }

    /// Whether the lemma holds in `state`.
    public func holds(in state: State, _ layout: StateLayout) -> Bool {
        state.slots.withUnsafeBufferPointer { holds(in: $0, layout) }
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
        case .count(let summands, let total):
            // Both sides sums of non-negative terms (negative coefficients move to the right), so
            // that no side is negative and, within ``countBound(_:)``, none wraps.
            func term(_ s: Summand) -> GroundTerm {
                let magnitude = abs(s.coefficient)
                let amount: GroundTerm
                if let number = s.number {
                    let domain = layout.slots[number].domain
                    amount = (0..<domain.size).reversed().reduce(GroundTerm.constant(0)) { rest, position in
                        let v = domain.lowerBound + position
                        return .ite(.equal(.slot(number), .constant(v)), .constant(magnitude * v), rest)
                    }
                } else {
                    amount = .constant(magnitude)
                }
                let holds = GroundTerm.makeAnd(s.conditions.map { c in
                    .equal(.slot(c.slot), .constant(layout.slots[c.slot].domain.lowerBound + Int(c.value)))
                })
                return .ite(holds, amount, .constant(0))
            }
            func sum(_ terms: [GroundTerm], plus constant: Int) -> GroundTerm {
                terms.reduce(GroundTerm.constant(constant)) { .add($0, $1) }
            }
            let left = sum(summands.filter { $0.coefficient > 0 }.map(term), plus: max(0, -total))
            let right = sum(summands.filter { $0.coefficient < 0 }.map(term), plus: max(0, total))
            return .equal(left, right)
        }
    }

    /// The slots the lemma mentions.
    public var slots: [Int] {
        switch self {
        case .within(let slot, _): return [slot]
        case .implies(let conditions, let other, _): return conditions.map(\.slot) + [other]
        case .count(let summands, _): return Array(Set(summands.flatMap { $0.conditions.map(\.slot) + ($0.number.map { [$0] } ?? []) })).sorted()
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
        case .count(let summands, let total):
            func condition(_ c: Condition) -> String {
                let slot = layout.slots[c.slot]
                if slot.domain.kind == .boolean { return c.value == 1 ? slot.name : "¬\(slot.name)" }
                return "\(slot.name) = \(name(c.slot, c.value))"
            }
            func side(_ terms: [Summand], _ constant: Int) -> String {
                var parts = terms.map { s -> String in
                    let magnitude = abs(s.coefficient) == 1 ? "" : "\(abs(s.coefficient))·"
                    let inner = s.conditions.map(condition).joined(separator: " ∧ ")
                    if let number = s.number {
                        let value = layout.slots[number].name
                        return s.conditions.isEmpty ? magnitude + value : "\(magnitude)\(value)·[\(inner)]"
                    }
                    return "\(magnitude)[\(inner)]"
                }
                if constant != 0 || parts.isEmpty { parts.append(String(constant)) }
                return parts.joined(separator: " + ")
            }
            return "\(side(summands.filter { $0.coefficient > 0 }, max(0, -total))) = \(side(summands.filter { $0.coefficient < 0 }, max(0, total)))"
        }
    }
}
