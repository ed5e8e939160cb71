import Foundation
import SMT
import TransitionSystems

/// The incremental search from the initial states that bounded model checking and the base
/// case of k-induction share: one solver holding the initial condition and the transitions
/// unrolled so far, asked its questions at each depth under assumption literals.
///
/// At ``depth`` `k` the solver holds the initial condition and transitions `0..<k`, so its
/// models are exactly the runs of `k` steps. ``check(_:)`` asks whether invariants can be
/// false at step `k`; ``advance()`` first asks whether some instance fails at step `k` (an
/// index or a value outside its domain), then unrolls one more transition. Nothing is ever
/// popped: a question is asked under a fresh literal that is retired afterwards, so the
/// solver keeps what it learned from one depth to the next.
///
/// Runtime errors of the spec are reported as the interpreter reports them: the run the
/// solver found is replayed, and the interpreter's own ``SpecError`` is thrown, with the
/// run that leads to it. Counterexamples are replayed by the ``CounterexampleValidator``.
final class BoundedSearch {
    /// What one question about one invariant at one depth found.
    enum Outcome {
        case holds
        case violated(Counterexample)
        case unknown(reason: String)
    }

    let unroller: Unroller
    let system: TransitionSystem
    private let encoding: TransitionEncoding
    private let validator: CounterexampleValidator

    /// The depth whose states the questions are about: the number of transitions unrolled.
    var depth: Int { unroller.transitions }

    /// Starts a search at depth 0; throws the interpreter's ``SpecError`` if the initial conditions fail to evaluate.
    init(encoding: TransitionEncoding, context: Context, timeout: Double?, cancellation: Cancellation? = nil) throws {
        self.encoding = encoding
        self.system = encoding.system
        self.validator = CounterexampleValidator(system: encoding.system)
        self.unroller = try Unroller(encoding: encoding, context: context, prefix: "", timeout: timeout,
                                     cancellation: cancellation)
        try unroller.solver.assert(unroller.initialValues())
        if !encoding.initialDefined.isTrue {
            if case (.satisfiable, let model?) = try ask(!unroller.formula(encoding.initialDefined, at: 0), "initial-error") {
                let state = try unroller.state(at: 0, in: model)
                _ = try Interpreter(system).evaluate(.and(system.initialConstraints), in: state)
                throw InternalError("the solver finds an initial condition that fails to evaluate in \(state.description(in: system.layout)), but the interpreter evaluates it")
            }
        }
        try unroller.solver.assert(unroller.formula(encoding.initialConstraint, at: 0))
    }

    // MARK: - Questions at the current depth

    /// Whether each invariant of `indices` (positions in ``TransitionSystem/invariants``) can be
    /// false at the current depth; counterexamples come validated. Throws the interpreter's
    /// ``SpecError`` when an invariant fails to evaluate in a state at this depth.
    ///
    /// One question covers every invariant: can any of them be false? Usually none can, and
    /// one unsatisfiable answer settles the depth. A model breaks one or more of them, which
    /// are then settled by that run; the question is asked again for the rest. Only when the
    /// solver gives up on the joint question is each invariant asked about on its own.
    func check(_ indices: [Int]) throws -> [Int: Outcome] {
        let k = depth
        let undefined = try indices.filter { !encoding.invariantDefined[$0].isTrue }
            .map { (index: $0, formula: try !unroller.formula(encoding.invariantDefined[$0], at: k)) }
        if !undefined.isEmpty {
            switch try ask(unroller.context.or(undefined.map(\.formula)), "undefined") {
            case (.satisfiable, let model?):
                let (states, instances) = try unroller.path(to: k, in: model)
                let failing = try undefined.filter { try model.bool($0.formula) }.map(\.index)
                try reproduce(states, instances) { interpreter, state in
                    for index in failing { _ = try interpreter.holds(index, in: state) }
                }
            case (.unknown(let reason), _):
                return Dictionary(uniqueKeysWithValues: indices.map { ($0, Outcome.unknown(reason: reason)) })
            default:
                break
            }
        }
        var outcomes: [Int: Outcome] = [:]
        var open = try indices.map { (index: $0, violation: try !unroller.formula(system.invariants[$0].term, at: k)) }
        while !open.isEmpty {
            switch try ask(unroller.context.or(open.map(\.violation)), "violation") {
            case (.satisfiable, let model?):
                let broken = try open.filter { try model.bool($0.violation) }.map(\.index)
                guard !broken.isEmpty else { throw InternalError("the solver's model at depth \(k) breaks none of the invariants it was asked about") }
                for index in broken { outcomes[index] = try counterexample(to: index, in: model) }
                open.removeAll { broken.contains($0.index) }
            case (.unknown(let reason), _):
                guard open.count > 1 else {
                    outcomes[open[0].index] = .unknown(reason: reason)
                    return outcomes
                }
                for (index, violation) in open {
                    switch try ask(violation, "violation") {
                    case (.satisfiable, let model?):
                        outcomes[index] = try counterexample(to: index, in: model)
                    case (.unknown(let reason), _):
                        outcomes[index] = .unknown(reason: reason)
                    default:
                        outcomes[index] = .holds
                    }
                }
                return outcomes
            default:
                // Every run of k steps keeps these invariants at step k: asserting them removes
                // no run and spares the solver the states that break them on longer paths.
                try unroller.solver.assert(unroller.context.and(open.map { try !$0.violation }))
                for (index, _) in open { outcomes[index] = .holds }
                open = []
            }
        }
        return outcomes
    }

    /// Whether some run has as many steps as the current depth; the solver's reason when it cannot tell.
    func runExists() throws -> RunExistence {
        switch try unroller.check() {
        case .satisfiable: return .exists
        case .unsatisfiable: return .noRun
        case .unknown(let reason): return .unknown(.solver(reason))
        }
    }

    /// Whether a run of the current depth exists.
    enum RunExistence: Equatable {
        case exists
        case noRun
        case unknown(StopReason)
    }

    /// Checks that every instance evaluates without error in every state at the current depth,
    /// then unrolls one more transition. Returns the solver's reason when it cannot tell;
    /// throws the interpreter's ``SpecError`` when some instance fails.
    func advance() throws -> String? {
        let k = depth
        if !encoding.everyStepDefined.isTrue {
            switch try ask(!unroller.formula(encoding.everyStepDefined, at: k), "step-error") {
            case (.satisfiable, let model?):
                let (states, instances) = try unroller.path(to: k, in: model)
                let failing = try encoding.stepDefined.indices.filter { try !model.bool(unroller.formula(encoding.stepDefined[$0], at: k)) }
                try reproduce(states, instances) { interpreter, state in
                    for id in failing { _ = try interpreter.successor(of: state, by: id) }
                }
            case (.unknown(let reason), _):
                return reason
            default:
                try unroller.solver.assert(unroller.formula(encoding.everyStepDefined, at: k))
            }
        }
        try unroller.assertTransition(from: k)
        return nil
    }

    // MARK: - Helpers

    /// The run of `model` up to the current depth, replayed on the interpreter, as a counterexample to invariant `index`.
    private func counterexample(to index: Int, in model: Model) throws -> Outcome {
        var (states, instances) = try unroller.path(to: depth, in: model)
        if encoding.frames == .parallel {
            // The invariant may break inside the last frame: the run stops at the first state that breaks it.
            let interpreter = Interpreter(system)
            if let first = states.firstIndex(where: { (try? interpreter.holds(index, in: $0)) == false }) {
                states.removeSubrange((first + 1)...)
                instances.removeSubrange(first...)
            }
        }
        try validator.validate(states: states, instances: instances, invariant: index)
        return .violated(Counterexample(system: system, states: states, instances: instances))
    }

    /// Asks whether `formula` can hold at the current depth, under a literal retired afterwards;
    /// a satisfiable answer comes with its model.
    private func ask(_ formula: Term, _ name: String) throws -> (SMT.CheckResult, Model?) {
        let literal = try unroller.activation(for: formula, name)
        let result = try unroller.check(assuming: [literal])
        let model = result == .satisfiable ? try unroller.solver.model() : nil
        try unroller.solver.assert(!literal)
        return (result, model)
    }

    /// Replays the run on the interpreter and runs `failing` in its last state, which must throw
    /// the interpreter's ``SpecError``; the error is rethrown with the run that leads to it.
    private func reproduce(_ states: [State], _ instances: [Int], _ failing: (Interpreter, State) throws -> Void) throws -> Never {
        try validator.validate(states: states, instances: instances, invariant: nil)
        let run = instances.isEmpty ? "in an initial state"
            : "after " + instances.map { "\(system.instances[$0].actor) \(system.instances[$0].label)" }.joined(separator: ", ")
        do {
            try failing(Interpreter(system), states[states.count - 1])
        } catch SpecError.runtime(let spec, let message) {
            throw SpecError.runtime(spec: spec, message: "\(message) (\(run))")
        }
        throw InternalError("the solver finds a runtime error \(run), but the interpreter runs that state without one")
    }
}
