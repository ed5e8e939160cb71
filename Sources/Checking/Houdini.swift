import Foundation
import SMT
import TransitionSystems

/// Finds the largest inductive subset of a set of candidate conjuncts (Houdini, Flanagan and
/// Leino 2001): drop every candidate some initial state breaks, then, while some step from a
/// state satisfying every candidate left breaks one of them, drop the ones it breaks. With
/// `k > 1`, the same for k-induction: the base case is every state reached in fewer than `k`
/// steps, and the step starts from `k` consecutive states satisfying every candidate left.
///
/// What is left holds initially (no initial state breaks it) and is kept by every step from a
/// state satisfying all of it (the last consecution query is unsatisfiable), so it holds in
/// every reachable state. A candidate is only ever dropped, never assumed without proof: the
/// set shrinks monotonically to the unique largest inductive subset. Each query is one Z3
/// call on a path of `k` transitions, asked under assumption literals (one per candidate), so
/// the solver keeps what it learned from round to round. The encoding should be built without
/// ordering commuting steps, so that the path is the full relation, as the certificate checker
/// has it.
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
    /// Where progress lines go, or `nil`.
    let log: (@Sendable (String) -> Void)?
    /// Seconds the solver spent, over both phases.
    private(set) var solverSeconds = 0.0
    /// Terms the encoding created, over both phases.
    private(set) var termCount = 0

    init(encoding: TransitionEncoding, timeout: Double?, cancellation: Cancellation?, log: (@Sendable (String) -> Void)? = nil) {
        self.encoding = encoding
        self.log = log
        self.timeout = timeout
        self.cancellation = cancellation
    }

    /// The largest subset of `candidates` that is `k`-inductive: it holds in every state reached
    /// in fewer than `k` steps, and whenever it holds in `k` consecutive states it holds in the next.
    /// The set found is shrunk to the lemmas its proof uses when `minimizing` says so of it.
    func run(_ candidates: [InductiveInvariant.Conjunct], k: Int = 1, minimizing: (Set<Int>) -> Bool = { _ in true }) throws -> Outcome {
        precondition(k >= 1)
        let context = Context()
        let interpreter = Interpreter(encoding.system)
        var alive = Array(candidates.indices)

        // Initiation: the states reached in fewer than k steps, as bounded model checking has them.
        let initial = try BoundedSearch(encoding: encoding, context: context, timeout: timeout, cancellation: cancellation)
        defer { termCount += initial.unroller.termCount; solverSeconds += initial.unroller.solverSeconds }
        var initiationRounds = 0
        for depth in 0..<k {
            if depth > 0, let reason = try initial.advance() { return .unknown(reason: reason) }
            while !alive.isEmpty {
                let unroller = initial.unroller
                let query = try unroller.activation(for: context.or(alive.map { try !unroller.formula(candidates[$0].term, at: depth) }), "init")
                let answer = try unroller.check(assuming: [query])
                let model = answer == .satisfiable ? try unroller.solver.model() : nil
                try unroller.solver.assert(!query)
                initiationRounds += 1
                if case .unknown(let reason) = answer { return .unknown(reason: reason) }
                guard answer == .satisfiable else { break }
                let state = try unroller.state(at: depth, in: model!)
                try drop(&alive, candidates, violatedIn: state, interpreter, "a state \(depth) steps from an initial one")
                log?("Houdini initiation round \(initiationRounds): \(alive.count) candidates left")
            }
        }

        // Consecution: k transitions through states satisfying every candidate left.
        let step = try Unroller(encoding: encoding, context: context, prefix: "houdini.", timeout: timeout, cancellation: cancellation)
        defer { termCount += step.termCount; solverSeconds += step.solverSeconds }
        for j in 0..<k { try step.assertTransition(from: j) }
        var literals: [Term] = []
        for (i, candidate) in candidates.enumerated() {
            let literal = try context.freshConstant(prefix: "houdini.c\(i)", sort: context.boolSort)
            for j in 0..<k { try step.solver.assert(literal.implies(step.formula(candidate.term, at: j))) }
            literals.append(literal)
        }
        var consecutionRounds = 0
        while !alive.isEmpty {
            let query = try step.activation(for: context.or(alive.map { try !step.formula(candidates[$0].term, at: k) }), "step")
            let answer = try step.check(assuming: [query] + alive.map { literals[$0] })
            let model = answer == .satisfiable ? try step.solver.model() : nil
            let core = answer == .unsatisfiable ? try step.solver.unsatCore() : []
            try step.solver.assert(!query)
            consecutionRounds += 1
            switch answer {
            case .unsatisfiable:
                let kept = minimizing(Set(alive)) ? try minimize(alive, core: core, candidates, step, literals, k: k) : alive
                return .inductive(kept: kept, initiationRounds: initiationRounds, consecutionRounds: consecutionRounds)
            case .unknown(let reason):
                return .unknown(reason: reason)
            case .satisfiable:
                let before = try step.state(at: k - 1, in: model!)
                let after = try step.state(at: k, in: model!)
                reportDropped(alive.filter { !candidates[$0].holds(in: after, interpreter) }, candidates,
                              by: try step.instance(at: k - 1, in: model!), from: before)
                try drop(&alive, candidates, violatedIn: after, interpreter, "a step after \(k) states satisfying every candidate")
                try explore(from: before, &alive, candidates, interpreter)
                log?("Houdini round \(consecutionRounds): \(alive.count) candidates left")
            }
        }
        return .inductive(kept: [], initiationRounds: initiationRounds, consecutionRounds: consecutionRounds)
    }

    /// Shrinks an inductive set to the lemmas its last consecution query needed, keeping every
    /// property: right after an unsatisfiable query, the lemmas in the unsatisfiable core, with
    /// the rest of the set that is not a lemma, imply the whole set after a step, so they imply
    /// themselves; repeated while the core shrinks. A certificate then holds the lemmas a proof
    /// uses rather than every true one. Stops with the last set proved when the solver gives up.
    private func minimize(_ inductive: [Int], core: [Term], _ candidates: [InductiveInvariant.Conjunct], _ step: Unroller,
                          _ literals: [Term], k: Int) throws -> [Int] {
        var kept = inductive
        var core = core
        while true {
            let needed = kept.filter { i in
                if case .lemma = candidates[i].kind { return core.contains { $0.isIdentical(to: literals[i]) } }
                return true
            }
            if needed.count == kept.count { return kept }
            let query = try step.activation(for: step.context.or(needed.map { try !step.formula(candidates[$0].term, at: k) }), "core")
            let answer = try step.check(assuming: [query] + needed.map { literals[$0] })
            switch answer {
            case .unsatisfiable:
                core = try step.solver.unsatCore()
                kept = needed
                log?("Houdini: \(kept.count) conjuncts after keeping only the lemmas the proof uses")
            case .satisfiable:
                throw InternalError("the lemmas of an unsatisfiable core do not imply themselves after a step")
            case .unknown:
                try step.solver.assert(!query)
                return kept
            }
            try step.solver.assert(!query)
        }
    }

    /// The most states ``explore(from:_:_:_:)`` visits per counterexample to induction.
    static let explorationLimit = 2_000

    /// Drops, without asking the solver, what the interpreter's steps from `start` break.
    ///
    /// `start` satisfies every candidate left and ends a path of `k` states that all do (the
    /// solver's path before a step that breaks one), so any candidate broken by any of its
    /// successors is not `k`-inductive relative to the set, and dropping it is what a solver
    /// round would do; a successor that still satisfies every candidate left after the drops
    /// ends such a path too, and is explored the same way. This only ever drops
    /// candidates that some step from a state satisfying all of them breaks, so the fixpoint is
    /// the same largest inductive subset, reached in far fewer solver rounds.
    private func explore(from start: State, _ alive: inout [Int], _ candidates: [InductiveInvariant.Conjunct],
                         _ interpreter: Interpreter) throws {
        var queue = [start], seen: Set<State> = [start], next = 0
        while next < queue.count && next < Self.explorationLimit {
            let state = queue[next]
            next += 1
            guard alive.allSatisfy({ candidates[$0].holds(in: state, interpreter) }) else { continue }
            // A state whose steps fail to evaluate is left to the solver's definedness conjunct.
            guard let successors = try? interpreter.successors(of: state) else { continue }
            for (instance, successor) in successors {
                reportDropped(alive.filter { !candidates[$0].holds(in: successor, interpreter) }, candidates, by: instance, from: state)
                alive.removeAll { !candidates[$0].holds(in: successor, interpreter) }
                if seen.insert(successor).inserted { queue.append(successor) }
            }
        }
    }

    /// Logs the conjuncts other than lemmas (properties, definedness) among `dropped`, with the step that breaks them.
    private func reportDropped(_ dropped: [Int], _ candidates: [InductiveInvariant.Conjunct], by instance: Int?, from state: State) {
        guard let log else { return }
        for i in dropped {
            if case .lemma(let lemma) = candidates[i].kind {
                // Counts are few and the likeliest to carry a proof: say which step breaks them.
                guard case .count = lemma else { continue }
                let step = instance.map { "\(encoding.system.instances[$0].actor) \(encoding.system.instances[$0].label)" } ?? "a step"
                log("Houdini: count \(lemma.text(in: encoding.system.layout)) is not inductive relative to the candidates left: \(step) breaks it from \(state.description(in: encoding.system.layout))")
                continue
            }
            let step = instance.map { "\(encoding.system.instances[$0].actor) \(encoding.system.instances[$0].label)" } ?? "a step"
            log("Houdini: \(candidates[i].name) is not inductive relative to the candidates left: \(step) breaks it from \(state.description(in: encoding.system.layout))")
        }
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
