import Foundation
import SMT
import TransitionSystems

/// k-induction on Z3: proves that an invariant holds in every reachable state, at any depth.
///
/// For `k = 1, 2, ...` up to a limit, an invariant is proved when two things hold:
/// - **base case**: no run of fewer than `k` steps breaks it. This is bounded model
///   checking (a ``BoundedSearch``), run one depth per round for every open question, so a
///   violation is found at its shortest depth and reported as `violated` with its trace;
/// - **step case**: on any path of `k` transitions between distinct states, if the
///   invariant holds at the first `k` states it holds at the last (an ``InductionStep``).
///   The states need not be reachable, so the step case may fail for an invariant that
///   holds; a longer path, the simple-path constraint or a lemma strengthens it.
///
/// Lemmas (invariants declared with ``Invariant/lemma(_:_:_:)``) are tried first in each
/// round, by the same procedure, and each one proved is from then on assumed at every
/// state of every step case still open. A proof records the `k` that closed it
/// (``CheckResult/depth``) and, from the unsatisfiable core, the lemmas it used (in
/// ``CheckResult/detail``). This is sound because a goal only ever assumes lemmas proved
/// before it: at the first reachable state where anything failed, the earliest property
/// proved would fail there while everything it assumed held, contradicting its step case.
///
/// With ``CheckOptions/lemmaSynthesis``, the rounds are preceded by a search for lemmas
/// (``LemmaSynthesis``: templates over sampled reachable states, kept by Houdini): a property
/// in the invariant found is proved at that invariant's k, and the invariant, proved, is assumed
/// at every state of every step case still open, like a proved lemma.
///
/// Two guards keep a proof honest. When the spec can fail while running (a value or index
/// leaving its domain), "every step is defined" is a goal of its own, tried before the
/// lemmas; its base case throws the interpreter's ``SpecError``, as the other engines do.
/// Every other step case assumes it, until it is proved, only at the states before the
/// last (the states whose transitions the path takes), so that it and a lemma never prove
/// each other; a proof that relied on it stands only once it is proved. And before a
/// proof at `k` is claimed, the base solver must find a run of `k` steps from an initial
/// state; otherwise the induction would be vacuous and the answer is `unknown`. At the
/// limit, an invariant neither violated nor proved `holds-up-to-depth` the depth its base
/// case reached. A ``CheckOptions/cancellation`` is polled between queries and caps each
/// query's timeout; what it leaves open is `holds-up-to-depth` the depth the base case checked
/// completely, with the cancellation's reason, never proved.
public struct KInductionChecker: Checker {
    public let engine = EngineKind.kind
    public let system: TransitionSystem
    /// ``CheckOptions/maxDepth`` is the largest `k` tried.
    public let options: CheckOptions
    let fault: EncodingFault?

    /// The largest `k` tried when ``CheckOptions/maxDepth`` is `nil`.
    public static let defaultMaxK = 20

    /// The name of the built-in lemma that every step stays within its domains.
    static let definedStepsName = "every-step-defined"

    public init(system: TransitionSystem, options: CheckOptions = CheckOptions()) {
        self.init(system: system, options: options, fault: nil)
    }

    init(system: TransitionSystem, options: CheckOptions, fault: EncodingFault?) {
        self.system = system
        self.options = options
        self.fault = fault
    }

    // MARK: - Goals

    /// One property the rounds try to decide: a requested invariant, a lemma, or the built-in definedness lemma.
    private final class Goal {
        enum Status {
            case open
            case inductive(k: Int, lemmas: [String])
            case violated(Counterexample, depth: Int)
            case unknown(String, StopReason)
        }

        let name: String
        /// The invariant's position, or `nil` for the definedness lemma.
        let invariant: Int?
        let isLemma: Bool
        /// The property proved: the invariant, and that it evaluates without error.
        let property: GroundTerm
        var status = Status.open
        var step: InductionStep?

        init(name: String, invariant: Int?, isLemma: Bool, property: GroundTerm) {
            self.name = name
            self.invariant = invariant
            self.isLemma = isLemma
            self.property = property
        }

        var isOpen: Bool {
            if case .open = status { return true }
            return false
        }
    }

    // MARK: - Checking

    /// Tells `listener` of a violation the moment the base case finds it, of a proof once it
    /// stands, and of an `unknown` when the solver gives up; of the rest when the rounds end.
    public func check(_ invariants: [String], listener: CheckListener) throws -> Run {
        let indices = try system.invariantIndices(invariants)
        let collector = RunCollector(invariants, listener)
        let start = Date()
        let maxK = options.maxDepth ?? Self.defaultMaxK
        let encoding = TransitionEncoding(system: system, fault: fault)
        let context = Context()
        let cancellation = options.cancellation
        let base = try BoundedSearch(encoding: encoding, context: context, timeout: options.timeoutSeconds,
                                     cancellation: cancellation)
        let (goals, definedSteps) = makeGoals(encoding, requested: indices)
        let targets = indices.map { index in goals.first { $0.invariant == index }! }
        let lemmas = goals.filter(\.isLemma)
        var proved: [(name: String, term: GroundTerm)] = []
        var synthesisSeconds = 0.0
        if let synthesis = options.lemmaSynthesis {
            let mined = try useMinedLemmas(synthesis, encoding, requested: indices, goals: goals, definedSteps: definedSteps)
            synthesisSeconds = mined.report.solverSeconds
            if let lemma = mined.lemma { proved.append(lemma) }
        }
        var meter = EncodingMeter()
        var lastProgress = start
        var reached = -1
        var stopReason = StopReason.settled

        func statistics() -> Statistics {
            var statistics = meter.statistics(since: start, [base.unroller] + goals.compactMap { $0.step?.unroller })
            statistics.solverSeconds = (statistics.solverSeconds ?? 0) + synthesisSeconds
            return statistics
        }

        /// Tells the listener of every target whose verdict can no longer change.
        func settleDecided() {
            for goal in targets where !collector.isSettled(goal.name) && isDecided(goal, definedSteps: definedSteps) {
                collector.settle(result(for: goal, definedSteps: definedSteps, lemmas: lemmas, reached: reached, maxK: maxK,
                                        stopped: nil, statistics()))
            }
        }

        for k in 0...maxK {
            if let reason = cancellation?.stopReason {
                stopReason = reason
                break
            }
            if let reason = try checkBaseCase(goals, base, depth: k) {
                settleDecided()
                stopReason = reason
                meter.record(depth: k, [base.unroller] + goals.compactMap { $0.step?.unroller })
                break
            }
            reached = k
            settleDecided()
            if k > 0 {
                let cancelled = try checkStepCases(goals, definedSteps, base, k: k, encoding, context, &proved)
                settleDecided()
                if let cancelled {
                    stopReason = cancelled
                    meter.record(depth: k, [base.unroller] + goals.compactMap { $0.step?.unroller })
                    break
                }
            }
            let waiting = definedSteps?.isOpen == true && targets.contains { isProved($0) }
            let unroll = k < maxK && (waiting || targets.contains { $0.isOpen })
            var stalled = false
            if unroll, let answer = try base.advance() {
                if let reason = cancellation?.stopReason {
                    stopReason = reason
                    meter.record(depth: k, [base.unroller] + goals.compactMap { $0.step?.unroller })
                    break
                }
                let reason = StopReason.solver(answer)
                for goal in goals where goal.isOpen {
                    goal.status = .unknown("\(reason) while checking the steps from depth \(k)", reason)
                }
                stopReason = reason
                stalled = true
            } else if !unroll && (waiting || targets.contains { $0.isOpen }) {
                stopReason = .depthLimit(maxK)
            }
            meter.record(depth: k, [base.unroller] + goals.compactMap { $0.step?.unroller })
            if !unroll || stalled { break }
            if let progress = options.progress, Date().timeIntervalSince(lastProgress) >= 1 {
                lastProgress = Date()
                progress(Progress(engine: engine, depth: k + 1, states: nil, seconds: lastProgress.timeIntervalSince(start)))
            }
        }

        let final = statistics()
        let stopped = stopReason.isCancellation ? stopReason : nil
        for goal in targets where !collector.isSettled(goal.name) {
            collector.settle(result(for: goal, definedSteps: definedSteps, lemmas: lemmas, reached: reached, maxK: maxK,
                                    stopped: stopped, final))
        }
        return collector.run(statistics: final, stopReason: stopReason)
    }

    /// The name under which the invariant of mined lemmas is assumed by the step cases.
    static let minedLemmasName = "mined-invariant"

    /// Looks for an inductive invariant of mined lemmas with the requested properties
    /// (``LemmaSynthesis``). Every property in it is proved (k-inductive with the lemmas), unless
    /// "every step is defined" fell out of it: then the properties are left to the rounds, like
    /// every property the invariant does not contain. The invariant, true in every state reachable
    /// through the encoded steps (which include every run of the interpreter up to its first runtime
    /// error), is returned as a lemma for the step cases of the goals still open.
    private func useMinedLemmas(_ synthesis: LemmaSynthesis.Options, _ encoding: TransitionEncoding, requested: [Int],
                                goals: [Goal], definedSteps: Goal?) throws -> (lemma: (name: String, term: GroundTerm)?, report: LemmaSynthesis.Report) {
        let run = LemmaSynthesis(encoding: encoding, options: synthesis, timeout: options.timeoutSeconds, cancellation: options.cancellation)
        let (found, report) = try run.run(properties: Array(Set(requested)).sorted())
        guard let found else { return (nil, report) }
        let definedKept = encoding.everyStepDefined.isTrue || found.conjuncts.contains { $0.kind == .everyStepDefined }
        if definedKept {
            let used = ["\(Self.minedLemmasName) (\(found.lemmas.count) mined lemmas)"]
            definedSteps?.status = .inductive(k: found.k, lemmas: used)
            for goal in goals {
                guard let index = goal.invariant, found.conjuncts.contains(where: { $0.kind == .property(index) }) else { continue }
                goal.status = .inductive(k: found.k, lemmas: used)
            }
            synthesis.onInvariant?(found, report)
        }
        // Assumed under this engine's encoding, whose integers may be narrower than the ones
        // Houdini proved a count with: still sound, since a sum equal to its total as integers is
        // equal modulo any width, so every reachable state satisfies the assumption here too.
        return ((Self.minedLemmasName, found.term), report)
    }

    /// Whether `goal`'s verdict is final: violated, unknown, or proved without an assumption still open.
    private func isDecided(_ goal: Goal, definedSteps: Goal?) -> Bool {
        switch goal.status {
        case .open: return false
        case .violated, .unknown: return true
        case .inductive: return definedSteps.map { $0 === goal || !$0.isOpen } ?? true
        }
    }

    /// Every goal in the order the rounds try them: that every step is defined (when the spec can
    /// fail while running), the lemmas in declaration order, then the other invariants requested.
    private func makeGoals(_ encoding: TransitionEncoding, requested: [Int]) -> (goals: [Goal], definedSteps: Goal?) {
        var goals: [Goal] = []
        let definedSteps: Goal? = encoding.everyStepDefined.isTrue ? nil
            : Goal(name: Self.definedStepsName, invariant: nil, isLemma: true, property: encoding.everyStepDefined)
        if let definedSteps { goals.append(definedSteps) }
        let lemmas = system.invariants.indices.filter { system.invariants[$0].invariant.role == .lemma }
        for index in lemmas + system.invariants.indices.filter({ requested.contains($0) && !lemmas.contains($0) }) {
            goals.append(Goal(name: system.invariants[index].name, invariant: index, isLemma: lemmas.contains(index),
                              property: .makeAnd([encoding.invariantDefined[index], system.invariants[index].term])))
        }
        return (goals, definedSteps)
    }

    /// Asks the base solver, at `depth`, about every open goal that is an invariant. Returns the
    /// cancellation's reason when it cut a query short; the goals it left undecided stay open.
    private func checkBaseCase(_ goals: [Goal], _ base: BoundedSearch, depth: Int) throws -> StopReason? {
        let open = goals.filter { $0.isOpen && $0.invariant != nil }
        let outcomes = try base.check(open.map { $0.invariant! })
        var cancelled: StopReason?
        for goal in open {
            switch outcomes[goal.invariant!] {
            case .violated(let counterexample)?: goal.status = .violated(counterexample, depth: depth)
            case .unknown(let answer)?:
                if let reason = options.cancellation?.stopReason {
                    cancelled = reason
                    continue
                }
                let reason = StopReason.solver(answer)
                goal.status = .unknown("\(reason) in the base case at depth \(depth)", reason)
            case .holds?, nil: break
            }
        }
        return cancelled
    }

    /// Runs the step case with `k` transitions for every open goal, in order; a lemma proved is
    /// assumed from then on by every goal still open. Returns the cancellation's reason when it
    /// stopped the round; the goals not decided by then stay open.
    private func checkStepCases(_ goals: [Goal], _ definedSteps: Goal?, _ base: BoundedSearch, k: Int,
                                _ encoding: TransitionEncoding, _ context: Context,
                                _ proved: inout [(name: String, term: GroundTerm)]) throws -> StopReason? {
        var runExists: BoundedSearch.RunExistence?
        for goal in goals where goal.isOpen {
            if let reason = options.cancellation?.stopReason { return reason }
            let step = try goal.step ?? makeStep(goal, definedSteps, encoding, context, proved)
            goal.step = step
            while step.length < k { try step.extend() }
            switch try step.check() {
            case .notInductive:
                continue
            case .unknown(let answer):
                if let reason = options.cancellation?.stopReason { return reason }
                let reason = StopReason.solver(answer)
                goal.status = .unknown("\(reason) in the step case at k = \(k)", reason)
            case .inductive(let used):
                if runExists == nil { runExists = try base.runExists() }
                switch runExists! {
                case .exists:
                    break
                case .noRun:
                    let reason = StopReason.vacuousInduction(k: k)
                    goal.status = .unknown("\(reason)", reason)
                    continue
                case .unknown(let reason):
                    if let stop = options.cancellation?.stopReason { return stop }
                    goal.status = .unknown("the solver cannot tell whether a run of \(k) steps exists", reason)
                    continue
                }
                goal.status = .inductive(k: k, lemmas: used)
                guard goal.isLemma else { continue }
                proved.append((goal.name, goal.property))
                for other in goals where other.isOpen {
                    try other.step?.assume(lemma: goal.name, goal.property)
                }
            }
        }
        return nil
    }

    /// The step case of `goal`, assuming the lemmas proved so far at every state and, until it
    /// is proved, that every step is defined at every state but the last.
    private func makeStep(_ goal: Goal, _ definedSteps: Goal?, _ encoding: TransitionEncoding, _ context: Context,
                          _ proved: [(name: String, term: GroundTerm)]) throws -> InductionStep {
        let step = try InductionStep(encoding: encoding, context: context, prefix: "\(goal.name).", timeout: options.timeoutSeconds,
                                     cancellation: options.cancellation, property: goal.property)
        if let definedSteps, definedSteps !== goal, !proved.contains(where: { $0.name == definedSteps.name }) {
            try step.assume(lemma: definedSteps.name, definedSteps.property, atLastState: false)
        }
        for lemma in proved {
            try step.assume(lemma: lemma.name, lemma.term)
        }
        return step
    }

    /// The result for `goal`; with `stopped` (a cancellation), a goal not decided is `holds-up-to-depth` `reached`.
    private func result(for goal: Goal, definedSteps: Goal?, lemmas: [Goal], reached: Int, maxK: Int,
                        stopped: StopReason?, _ statistics: Statistics) -> CheckResult {
        func make(_ verdict: Verdict, _ depth: Int?, counterexample: Counterexample? = nil, _ detail: String,
                  _ reason: StopReason? = nil) -> CheckResult {
            CheckResult(invariant: goal.name, verdict: verdict, engine: engine, depth: depth, counterexample: counterexample,
                        detail: detail, stopReason: reason, statistics: statistics)
        }
        if let stopped, !isDecided(goal, definedSteps: definedSteps) {
            let checked = reached >= 0 ? reached : nil
            return make(checked == nil ? .unknown : .holdsUpToDepth, checked, stopped.stoppedDetail(afterDepth: checked), stopped)
        }
        switch goal.status {
        case .violated(let counterexample, let depth):
            return make(.violated, depth, counterexample: counterexample, "violated after \(depth) steps (base case)")
        case .unknown(let detail, let reason):
            return make(.unknown, nil, detail, reason)
        case .inductive(let k, let used):
            if let definedSteps, goal !== definedSteps, !isProved(definedSteps) {
                return make(.unknown, nil, "\(k)-inductive assuming every step stays within its domains, which could not be proved: \(describe(definedSteps))",
                            .assumptionNotProved(definedSteps.name))
            }
            let using = used.isEmpty ? "no lemmas" : "lemmas " + used.joined(separator: ", ")
            return make(.proved, k, "proved by \(k)-induction using \(using)")
        case .open:
            var detail = "no violation up to depth \(reached); not k-inductive for k <= \(maxK)"
            let failed = lemmas.filter { !$0.isOpen && !isProved($0) }.map { "\($0.name) (\(describe($0)))" }
            if !failed.isEmpty { detail += "; lemmas not proved: " + failed.joined(separator: ", ") }
            return make(.holdsUpToDepth, reached, detail, .depthLimit(maxK))
        }
    }

    private func isProved(_ goal: Goal) -> Bool {
        if case .inductive = goal.status { return true }
        return false
    }

    private func describe(_ goal: Goal) -> String {
        switch goal.status {
        case .open: return "not k-inductive up to the limit"
        case .inductive(let k, _): return "\(k)-inductive"
        case .violated(_, let depth): return "violated after \(depth) steps"
        case .unknown(let detail, _): return detail
        }
    }
}
