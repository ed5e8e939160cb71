import Foundation
import SMT
import TransitionSystems

/// Finds the largest inductive subset of a set of candidate conjuncts (Houdini, Flanagan and
/// Leino 2001): drop every candidate some initial state breaks, then, while some step from a
/// state satisfying every candidate left breaks one of them, drop the ones it breaks.
///
/// What is left holds initially (no initial state breaks it) and is kept by every step from a
/// state satisfying all of it (the last consecution query is unsatisfiable), so it holds in
/// every reachable state. A candidate is only ever dropped, never assumed without proof: the
/// set shrinks monotonically to the unique largest inductive subset. Each query is one Z3
/// call on a path of one transition, asked under assumption literals (one per candidate), so
/// the solver keeps what it learned from round to round. The transition is the full relation
/// (the ``Unroller`` orders commuting steps only from the second transition on).
///
/// A solver `unknown` ends the search with no result: an undecided question never becomes a
/// lemma.
final class Houdini {
    /// What the search found.
    enum Outcome {
        /// The positions of the candidates kept, in order; the rounds of each phase.
        case inductive(kept: [Int], initiationRounds: Int, consecutionRounds: Int)
        case unknown(reason: String)
    }

    private let encoding: TransitionEncoding
    private let timeout: Double?
    private let cancellation: Cancellation?
    /// Seconds the solver spent, over both phases.
    private(set) var solverSeconds = 0.0
    /// Terms the encoding created, over both phases.
    private(set) var termCount = 0

    init(encoding: TransitionEncoding, timeout: Double?, cancellation: Cancellation?) {
        self.encoding = encoding
        self.timeout = timeout
        self.cancellation = cancellation
    }

    /// The largest inductive subset of `candidates`.
    func run(_ candidates: [InductiveInvariant.Conjunct]) throws -> Outcome {
        let context = Context()
        let interpreter = Interpreter(encoding.system)
        var alive = Array(candidates.indices)

        // Initiation: the initial states, as bounded model checking has them at depth 0.
        let initial = try BoundedSearch(encoding: encoding, context: context, timeout: timeout, cancellation: cancellation)
        defer { termCount += initial.unroller.termCount; solverSeconds += initial.unroller.solverSeconds }
        var initiationRounds = 0
        while !alive.isEmpty {
            let unroller = initial.unroller
            let query = try unroller.activation(for: context.or(alive.map { try !unroller.formula(candidates[$0].term, at: 0) }), "init")
            let answer = try unroller.check(assuming: [query])
            let model = answer == .satisfiable ? try unroller.solver.model() : nil
            try unroller.solver.assert(!query)
            initiationRounds += 1
            switch answer {
            case .unsatisfiable:
                break
            case .unknown(let reason):
                return .unknown(reason: reason)
            case .satisfiable:
                let state = try unroller.state(at: 0, in: model!)
                try drop(&alive, candidates, violatedIn: state, interpreter, "an initial state")
                continue
            }
            break
        }

        // Consecution: one transition from a state satisfying every candidate left.
        let step = try Unroller(encoding: encoding, context: context, prefix: "houdini.", timeout: timeout, cancellation: cancellation)
        defer { termCount += step.termCount; solverSeconds += step.solverSeconds }
        try step.assertTransition(from: 0)
        var literals: [Term] = []
        for (i, candidate) in candidates.enumerated() {
            literals.append(try step.activation(for: step.formula(candidate.term, at: 0), "c\(i)."))
        }
        var consecutionRounds = 0
        while !alive.isEmpty {
            let query = try step.activation(for: context.or(alive.map { try !step.formula(candidates[$0].term, at: 1) }), "step")
            let answer = try step.check(assuming: [query] + alive.map { literals[$0] })
            let model = answer == .satisfiable ? try step.solver.model() : nil
            try step.solver.assert(!query)
            consecutionRounds += 1
            switch answer {
            case .unsatisfiable:
                return .inductive(kept: alive, initiationRounds: initiationRounds, consecutionRounds: consecutionRounds)
            case .unknown(let reason):
                return .unknown(reason: reason)
            case .satisfiable:
                let state = try step.state(at: 1, in: model!)
                try drop(&alive, candidates, violatedIn: state, interpreter, "a step from a state satisfying every candidate")
            }
        }
        return .inductive(kept: [], initiationRounds: initiationRounds, consecutionRounds: consecutionRounds)
    }

    /// Removes from `alive` every candidate that `state` breaks; the solver said one does.
    private func drop(_ alive: inout [Int], _ candidates: [InductiveInvariant.Conjunct], violatedIn state: State,
                      _ interpreter: Interpreter, _ where: String) throws {
        let before = alive.count
        alive.removeAll { !candidates[$0].holds(in: state, interpreter) }
        if alive.count == before {
            throw InternalError("the solver finds \(`where`) that breaks a candidate, but every candidate holds in it: \(state.description(in: encoding.system.layout))")
        }
    }
}
