import Foundation
import SMT
import TransitionSystems

/// Re-checks an inductive invariant with a fresh solver, trusting nothing from the search that
/// found it: *initiation* (no initial state breaks a conjunct) and *consecution* (no step from
/// a state satisfying every conjunct leads to a state breaking one). For a k-inductive one,
/// initiation covers every state reached in fewer than `k` steps, and consecution starts from
/// `k` consecutive states satisfying every conjunct.
///
/// Both questions are asked over the same ``TransitionEncoding`` the engines use, with the
/// full transition relation (no ordering of commuting steps), on a new Z3 context. Every
/// conjunct that fails is named: a model breaking some is read back, the conjuncts it breaks
/// are recorded with the state, and the question is asked again for the rest (consecution
/// still assumes every conjunct, failed or not, at the state before the step, since that is
/// what the certificate claims). When the spec's steps can fail at run time, the invariant must
/// contain "every step is defined", or a step's encoding could differ from the interpreter's.
public struct CertificateChecker {
    /// A conjunct the check refutes.
    public struct Failure: Sendable, Equatable {
        public enum Phase: String, Sendable { case initiation, consecution }
        public let name: String
        public let text: String
        public let phase: Phase
        /// The initial state that breaks it, or the state after the step.
        public let state: String
        /// For consecution: the state before the step and the step taken.
        public let before: String?
        public let step: String?

        /// One line: "L12 (x = a ⇒ y = b) is not kept by cpu1 step(...): ...".
        public var line: String {
            switch phase {
            case .initiation: return "\(name) (\(text)) fails in an initial state: \(state)"
            case .consecution:
                return "\(name) (\(text)) is not kept by \(step ?? "a step"), from a state satisfying every conjunct: \(before ?? "")\n    to: \(state)"
            }
        }
    }

    /// The check's verdict.
    public enum Verdict: Sendable {
        /// Initiation and consecution hold for every conjunct.
        case valid
        case rejected([Failure])
        case unknown(reason: String)
    }

    public let system: TransitionSystem
    /// Seconds allowed per solver query, or `nil`.
    public let timeout: Double?

    public init(system: TransitionSystem, timeout: Double? = nil) {
        self.system = system
        self.timeout = timeout
    }

    /// Checks `invariant`, which must be over ``system``.
    public func check(_ invariant: InductiveInvariant) throws -> Verdict {
        // Wide enough for the lemmas' counts too, so that each means what it says.
        let encoding = TransitionEncoding(system: system, reducingInterleavings: false, alsoEncoding: invariant.lemmas.map(\.term))
        let conjuncts = invariant.conjuncts
        if !encoding.everyStepDefined.isTrue && !conjuncts.contains(where: { $0.kind == .everyStepDefined }) {
            return .rejected([Failure(name: KInductionChecker.definedStepsName, text: "missing: the spec's steps can fail at run time, so the invariant must say they do not",
                                      phase: .consecution, state: "", before: nil, step: nil)])
        }
        let context = Context()
        let interpreter = Interpreter(system)
        let layout = system.layout
        var failures: [Failure] = []

        let k = invariant.k
        let initial = try BoundedSearch(encoding: encoding, context: context, timeout: timeout)
        var open = Array(conjuncts.indices)
        for depth in 0..<k {
            if depth > 0, let reason = try initial.advance() { return .unknown(reason: "initiation at depth \(depth): \(reason)") }
            while !open.isEmpty {
                let unroller = initial.unroller
                let query = try unroller.activation(for: context.or(open.map { try !unroller.formula(conjuncts[$0].term, at: depth) }), "init")
                let answer = try unroller.check(assuming: [query])
                if case .unknown(let reason) = answer { return .unknown(reason: "initiation: \(reason)") }
                guard answer == .satisfiable else { break }
                let model = try unroller.solver.model()
                let state = try unroller.state(at: depth, in: model)
                try unroller.solver.assert(!query)
                let broken = open.filter { !conjuncts[$0].holds(in: state, interpreter) }
                guard !broken.isEmpty else { throw InternalError("the solver finds a state breaking a conjunct, but the interpreter finds none broken") }
                for i in broken {
                    failures.append(Failure(name: conjuncts[i].name, text: conjuncts[i].text(in: system), phase: .initiation,
                                            state: state.description(in: layout) + (depth > 0 ? " (\(depth) steps from an initial state)" : ""),
                                            before: nil, step: nil))
                }
                open.removeAll { broken.contains($0) }
            }
        }

        let step = try Unroller(encoding: encoding, context: context, prefix: "certify.", timeout: timeout)
        for j in 0..<k {
            for conjunct in conjuncts { try step.solver.assert(step.formula(conjunct.term, at: j)) }
            try step.assertTransition(from: j)
        }
        open = Array(conjuncts.indices)
        while !open.isEmpty {
            let query = try step.activation(for: context.or(open.map { try !step.formula(conjuncts[$0].term, at: k) }), "step")
            let answer = try step.check(assuming: [query])
            if case .unknown(let reason) = answer { return .unknown(reason: "consecution: \(reason)") }
            guard answer == .satisfiable else { break }
            let model = try step.solver.model()
            try step.solver.assert(!query)
            let (states, instances) = try step.path(to: k, in: model)
            let broken = open.filter { !conjuncts[$0].holds(in: states[k], interpreter) }
            guard !broken.isEmpty else { throw InternalError("the solver finds a step breaking a conjunct, but the interpreter finds none broken") }
            let instance = system.instances[instances[k - 1]]
            guard try interpreter.successor(of: states[k - 1], by: instances[k - 1]) == states[k] else {
                throw InternalError("the solver's step \(instance.actor) \(instance.label) does not replay on the interpreter from \(states[k - 1].description(in: layout))")
            }
            for i in broken {
                failures.append(Failure(name: conjuncts[i].name, text: conjuncts[i].text(in: system), phase: .consecution,
                                        state: states[k].description(in: layout), before: states[k - 1].description(in: layout),
                                        step: "\(instance.actor) \(instance.label)"))
            }
            open.removeAll { broken.contains($0) }
        }
        return failures.isEmpty ? .valid : .rejected(failures)
    }
}
