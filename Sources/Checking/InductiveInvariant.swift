import TransitionSystems

/// A conjunction of conditions over a system's states that holds initially and is kept by
/// every step (with ``k`` > 1: holds in the first `k` steps' states, and after any `k`
/// consecutive states satisfying it, in the next): what a proof by ``Houdini`` found, and what
/// a ``ProofCertificate`` records.
///
/// Its conjuncts are the mined lemmas, the properties proved, and the built-in condition that
/// every step stays within its domains (so that the solver's transition is the interpreter's).
/// Holding initially and being kept by every step from any state that satisfies the whole
/// conjunction, it holds in every reachable state, after any number of steps: each property
/// among its conjuncts holds for any number of transfers.
public struct InductiveInvariant: Sendable {
    /// One conjunct.
    public struct Conjunct: Sendable {
        /// What the conjunct is.
        public enum Kind: Sendable, Equatable {
            /// A mined lemma.
            case lemma(Lemma)
            /// The property at this position of ``TransitionSystem/invariants`` (with the
            /// condition that it evaluates without error).
            case property(Int)
            /// Every step stays within its domains.
            case everyStepDefined
        }

        /// `L12` for a lemma, the invariant's name for a property, `every-step-defined`.
        public let name: String
        public let kind: Kind
        public let term: GroundTerm

        /// The conjunct in the spec's names.
        public func text(in system: TransitionSystem) -> String {
            switch kind {
            case .lemma(let lemma): return lemma.text(in: system.layout)
            case .property(let index): return system.invariants[index].invariant.condition.description
            case .everyStepDefined: return "every enabled step keeps each index and value within its domain"
            }
        }

        /// Whether the conjunct holds in `state`; a condition that fails to evaluate does not hold.
        func holds(in state: State, _ interpreter: Interpreter) -> Bool {
            switch kind {
            case .lemma(let lemma): return lemma.holds(in: state, interpreter.system.layout)
            case .property(let index): return (try? interpreter.holds(index, in: state)) ?? false
            case .everyStepDefined: return (try? interpreter.successors(of: state)) != nil
            }
        }
    }

    public let system: TransitionSystem
    public let conjuncts: [Conjunct]
    /// The induction depth: 1 for an inductive invariant, `k` for a k-inductive one.
    public let k: Int

    public init(system: TransitionSystem, conjuncts: [Conjunct], k: Int = 1) {
        self.system = system
        self.conjuncts = conjuncts
        self.k = k
    }

    /// The lemmas among the conjuncts.
    public var lemmas: [Conjunct] { conjuncts.filter { if case .lemma = $0.kind { return true } else { return false } } }

    /// The names of the properties among the conjuncts.
    public var properties: [String] {
        conjuncts.compactMap { if case .property(let index) = $0.kind { return system.invariants[index].name } else { return nil } }
    }

    /// The whole conjunction as one condition.
    public var term: GroundTerm { .makeAnd(conjuncts.map(\.term)) }

    /// The conjuncts for property `index`: its condition and that it evaluates without error.
    static func property(_ index: Int, _ encoding: TransitionEncoding) -> Conjunct {
        Conjunct(name: encoding.system.invariants[index].name, kind: .property(index),
                 term: .makeAnd([encoding.invariantDefined[index], encoding.system.invariants[index].term]))
    }

    /// The conjunct that every step stays within its domains.
    static func everyStepDefined(_ encoding: TransitionEncoding) -> Conjunct {
        Conjunct(name: KInductionChecker.definedStepsName, kind: .everyStepDefined, term: encoding.everyStepDefined)
    }

    /// The conjunct for a mined lemma named `name`.
    static func lemma(_ lemma: Lemma, name: String, _ layout: StateLayout) -> Conjunct {
        Conjunct(name: name, kind: .lemma(lemma), term: lemma.term(layout))
    }

    /// One line per conjunct: `L12: pc[cpu0] = idle ⇒ msg[cpu0] = none`.
    public func text() -> String {
        conjuncts.map { "\($0.name): \($0.text(in: system))" }.joined(separator: "\n")
    }
}
