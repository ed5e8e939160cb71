import SMT
import TransitionSystems

/// The step case of k-induction for one property: a path of `k` transitions from an
/// arbitrary state, along which the property holds at the first `k` states, asked whether
/// it can fail at the last.
///
/// The path grows by one transition per round and is never rebuilt: the question for `k`
/// is asked under an assumption literal, and when it fails the property at the last state
/// becomes a hypothesis for `k + 1`. Proved lemmas are asserted at every state of the path,
/// each under its own literal, so that the unsatisfiable core of a successful step names
/// the lemmas the proof used. An assumption that is not proved yet (that every step is
/// defined) is asserted like a hypothesis, at every state but the last: assuming it at the
/// last state too would let two properties, each failing first at the same state, prove
/// each other. Simple-path constraints (two states of the path differ) are added lazily:
/// only when a model repeats a state is the pair it repeats excluded, and the question
/// asked again.
final class InductionStep {
    /// What the step case at the current length found.
    enum Outcome {
        /// The property holds after `k` steps whenever it held before; the lemmas named were needed.
        case inductive(lemmas: [String])
        /// A path of distinct states satisfies the hypotheses and breaks the property at its end.
        case notInductive
        case unknown(reason: String)
    }

    let unroller: Unroller
    private let property: GroundTerm
    private var lemmas: [(name: String, term: GroundTerm, literal: Term, atLastState: Bool)] = []

    /// The number of transitions on the path.
    var length: Int { unroller.transitions }

    init(encoding: TransitionEncoding, context: Context, prefix: String, timeout: Double?, cancellation: Cancellation? = nil,
         property: GroundTerm) throws {
        self.unroller = try Unroller(encoding: encoding, context: context, prefix: prefix, timeout: timeout,
                                     cancellation: cancellation)
        self.property = property
    }

    /// Assumes `term` at every state of the path, now and as it grows; with `atLastState` false,
    /// at every state but the last, as a hypothesis.
    func assume(lemma name: String, _ term: GroundTerm, atLastState: Bool = true) throws {
        let literal = try unroller.context.freshConstant(prefix: "lemma", sort: unroller.context.boolSort)
        lemmas.append((name, term, literal, atLastState))
        for k in 0...length where atLastState || k < length {
            try unroller.solver.assert(literal.implies(unroller.formula(term, at: k)))
        }
    }

    /// Adds one transition: the property at the current last state becomes a hypothesis.
    func extend() throws {
        let k = length
        try unroller.solver.assert(unroller.formula(property, at: k))
        for lemma in lemmas where !lemma.atLastState {
            try unroller.solver.assert(lemma.literal.implies(unroller.formula(lemma.term, at: k)))
        }
        try unroller.assertTransition(from: k)
        for lemma in lemmas where lemma.atLastState {
            try unroller.solver.assert(lemma.literal.implies(unroller.formula(lemma.term, at: k + 1)))
        }
    }

    /// Asks whether the property can fail at the end of the path (of at least one transition).
    func check() throws -> Outcome {
        precondition(length > 0, "the step case needs at least one transition")
        let query = try unroller.activation(for: !unroller.formula(property, at: length), "step")
        let outcome = try ask(query)
        try unroller.solver.assert(!query)
        return outcome
    }

    private func ask(_ query: Term) throws -> Outcome {
        let k = length
        while true {
            switch try unroller.check(assuming: [query] + lemmas.map(\.literal)) {
            case .unsatisfiable:
                let core = try unroller.solver.unsatCore()
                var used: [String] = []
                for lemma in lemmas where !used.contains(lemma.name) && core.contains(where: { $0.isIdentical(to: lemma.literal) }) {
                    used.append(lemma.name)
                }
                return .inductive(lemmas: used)
            case .unknown(let reason):
                return .unknown(reason: reason)
            case .satisfiable:
                let model = try unroller.solver.model()
                let states = try (0...k).map { try unroller.state(at: $0, in: model) }
                var repeated = false
                for j in 1...k {
                    for i in 0..<j where states[i] == states[j] {
                        try unroller.solver.assert(!unroller.sameState(i, j))
                        repeated = true
                    }
                }
                if !repeated { return .notInductive }
            }
        }
    }
}
