import TransitionSystems

/// What happened when a trace's steps were run through a spec's interpreter.
public struct TraceReplay: Sendable {
    /// The states the interpreter reached, the initial state first; as many as steps replayed.
    public var states: [State]
    /// The first step at which the interpreter and the trace disagree, if any.
    public var divergence: Divergence?
    /// For each state reached, the invariants (properties, not lemmas) it breaks.
    public var brokenInvariants: [[String]]

    /// Where a trace and the spec part ways.
    public enum Divergence: Sendable, Equatable, CustomStringConvertible {
        /// The trace's initial state is not an initial state of the spec.
        case notInitial(differences: [String])
        /// Step `step`'s action is not enabled in the state before it.
        case disabled(step: Int, actor: String, label: String)
        /// After step `step`, the trace's state differs from the interpreter's.
        case stateMismatch(step: Int, actor: String, label: String, differences: [String])

        public var description: String {
            switch self {
            case .notInitial(let d): return "the first state is not an initial state of the spec: \(d.joined(separator: ", "))"
            case .disabled(let step, let actor, let label): return "step \(step): \(actor) \(label) is not enabled"
            case .stateMismatch(let step, let actor, let label, let d):
                return "step \(step) (\(actor) \(label)): the trace says \(d.joined(separator: ", "))"
            }
        }
    }
}

extension Trace {
    /// Runs the trace's steps (actor, action, parameters) through `system` from the trace's
    /// first state, comparing each state reached with the trace's, and evaluating every
    /// property on the way. Throws ``TraceError`` when the trace does not fit the spec at all.
    public func replay(in system: TransitionSystem) throws -> TraceReplay {
        let expected = try states(in: system)
        let instances = try instances(in: system)
        let interpreter = Interpreter(system)
        let layout = system.layout
        let properties = system.invariants.enumerated().filter { $0.element.invariant.role == .invariant }
        func broken(_ state: State) throws -> [String] {
            try properties.filter { try !interpreter.holds($0.offset, in: state) }.map(\.element.name)
        }
        func differences(_ claimed: State, _ actual: State) -> [String] {
            layout.slots.indices.filter { claimed.slots[$0] != actual.slots[$0] }.map {
                "\(layout.slots[$0].name) = \(claimed.valueName(ofSlot: $0, in: layout)), but the spec gives \(actual.valueName(ofSlot: $0, in: layout))"
            }
        }
        var replay = TraceReplay(states: [expected[0]], divergence: nil, brokenInvariants: [try broken(expected[0])])
        let initial = try interpreter.initialStates()
        if !initial.contains(expected[0]) {
            replay.divergence = .notInitial(differences: initial.count == 1 ? differences(expected[0], initial[0]) : [])
            return replay
        }
        var current = expected[0]
        for (i, instance) in instances.enumerated() {
            let step = steps[i + 1]
            guard let next = try interpreter.successor(of: current, by: instance) else {
                replay.divergence = .disabled(step: i + 1, actor: step.actor ?? "", label: step.label)
                return replay
            }
            replay.states.append(next)
            replay.brokenInvariants.append(try broken(next))
            if next != expected[i + 1] {
                replay.divergence = .stateMismatch(step: i + 1, actor: step.actor ?? "", label: step.label,
                                                   differences: differences(expected[i + 1], next))
                return replay
            }
            current = next
        }
        return replay
    }
}
