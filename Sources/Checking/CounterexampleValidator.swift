import TransitionSystems

/// Replays a symbolic engine's counterexample on the concrete interpreter, so that no
/// answer from Z3 reaches a report unchecked.
///
/// The replay uses only the claimed initial state and the sequence of instances: it
/// checks that the initial state is one the spec allows, fires each instance with the
/// ``Interpreter`` (it must be enabled, and firing it must not fail), and compares every
/// state reached with the state the solver's model claims. Finally the last state must
/// break the invariant. Any disagreement is a fault in the encoding, not in the spec, and
/// throws an ``InternalError`` naming the step, the slot, the value the interpreter
/// computed and the value the model claimed.
public struct CounterexampleValidator {
    public let system: TransitionSystem

    public init(system: TransitionSystem) {
        self.system = system
    }

    /// Checks that `instances` leads from `states[0]` through `states[1...]` and, when
    /// `invariant` (a position in ``TransitionSystem/invariants``) is given, that it is
    /// violated in the last state.
    public func validate(states: [State], instances: [Int], invariant: Int?) throws {
        guard states.count == instances.count + 1 else {
            throw InternalError("a counterexample has \(states.count) states but \(instances.count) steps")
        }
        let interpreter = Interpreter(system)
        try checkInitial(states[0], interpreter)
        var current = states[0]
        for (step, id) in instances.enumerated() {
            let instance = system.instances[id]
            let next: State?
            do {
                next = try interpreter.successor(of: current, by: id)
            } catch let error as SpecError {
                throw InternalError("step \(step + 1) of a counterexample (\(instance.actor) \(instance.label)) fails in the interpreter: \(error)")
            }
            guard let next else {
                throw InternalError("step \(step + 1) of a counterexample fires \(instance.actor) \(instance.label), which the interpreter finds disabled")
            }
            try compare(expected: next, claimed: states[step + 1], step: step + 1, after: "\(instance.actor) \(instance.label)")
            current = next
        }
        if let invariant {
            let name = system.invariants[invariant].name
            let holds: Bool
            do {
                holds = try interpreter.holds(invariant, in: current)
            } catch let error as SpecError {
                throw InternalError("invariant '\(name)' fails to evaluate in the last state of a counterexample: \(error)")
            }
            if holds {
                throw InternalError("the last state of a counterexample (step \(instances.count)) satisfies '\(name)' in the interpreter")
            }
        }
    }

    private func checkInitial(_ state: State, _ interpreter: Interpreter) throws {
        for (s, initial) in system.initialValues.enumerated() {
            guard let expected = initial?.constantValue else { continue }
            let claimed = state.value(ofSlot: s, in: system.layout)
            if claimed != expected {
                throw mismatch(step: 0, slot: s, expected: expected, claimed: claimed, after: "the initial state")
            }
        }
        for constraint in system.initialConstraints where try interpreter.evaluate(constraint, in: state) == 0 {
            throw InternalError("step 0 of a counterexample is not an initial state: it breaks an initial condition")
        }
    }

    private func compare(expected: State, claimed: State, step: Int, after: String) throws {
        for s in system.layout.slots.indices where expected.slots[s] != claimed.slots[s] {
            throw mismatch(step: step, slot: s, expected: expected.value(ofSlot: s, in: system.layout),
                           claimed: claimed.value(ofSlot: s, in: system.layout), after: after)
        }
    }

    private func mismatch(step: Int, slot: Int, expected: Int, claimed: Int, after: String) -> InternalError {
        let layout = system.layout
        let domain = layout.slots[slot].domain
        return InternalError("counterexample step \(step) (\(after)): slot \(layout.slots[slot].name) should be "
            + "\(domain.name(ofRuntimeValue: expected)) per the interpreter, but the solver's model has \(domain.name(ofRuntimeValue: claimed))")
    }
}
