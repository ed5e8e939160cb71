import Foundation
import TransitionSystems

/// Lemmas found automatically for k-induction: sample the reachable states, propose lemmas
/// from templates the sample satisfies (``LemmaMiner``, and counts from ``CountMiner``), and
/// keep the largest subset that, with the properties asked about, is inductive (``Houdini``).
/// Counts are sums: the Houdini encoding's integers are widened to hold the largest proposed
/// (at most ``maximumCountSum``), so that a count means in the solver what it says.
///
/// The properties and "every step is defined" are candidates like the lemmas: the ones that
/// survive are proved by the invariant found (it holds initially and is kept by every step),
/// and the invariant is the proof's certificate. A property dropped is not refuted, only not
/// proved this way; k-induction then tries it with the lemmas left as proved lemmas.
public struct LemmaSynthesis {
    /// How to gather states, and where the invariant found goes.
    public struct Options: Sendable {
        /// How much of the reachable state space the templates are checked against.
        public var sample: ReachableStateSample.Limits
        /// Called with the invariant found, once it is proved, before the verdicts are settled.
        public var onInvariant: (@Sendable (InductiveInvariant, Report) -> Void)?
        /// Where progress lines go (sampling, candidates, Houdini rounds), or `nil`.
        public var log: (@Sendable (String) -> Void)?
        /// Whether to propose lemmas on pairs of program counters and a third slot too.
        public var pairControls = true
        /// Whether to propose counts over instance domains too (``CountMiner``).
        public var counts = true
        /// The induction depths Houdini tries, in order, until one keeps every property.
        public var inductionDepths = [1, 2]

        public init(sample: ReachableStateSample.Limits = ReachableStateSample.Limits(), log: (@Sendable (String) -> Void)? = nil,
                    onInvariant: (@Sendable (InductiveInvariant, Report) -> Void)? = nil) {
            self.sample = sample
            self.log = log
            self.onInvariant = onInvariant
        }
    }

    /// Sizes and times of one synthesis, for reports and the bench.
    public struct Report: Sendable, Equatable {
        /// States sampled, renamings included.
        public var sampledStates = 0
        /// Whether the sample is every reachable state.
        public var exhaustiveSample = false
        public var candidates = 0
        /// Of the candidates, the counts.
        public var countCandidates = 0
        public var lemmasKept = 0
        public var initiationRounds = 0
        public var consecutionRounds = 0
        public var sampleSeconds = 0.0
        public var solverSeconds = 0.0
        public var seconds = 0.0
        /// The solver's reason when it could not finish.
        public var unknownReason: String?
        /// The k of the invariant found (1: inductive).
        public var inductionDepth = 1

        /// One line: "3180 lemmas kept of 4215 candidates from 412000 sampled states; 37 rounds; 12.1 s (solver 9.8 s)".
        public var line: String {
            var text = "\(lemmasKept) lemmas kept (\(inductionDepth)-inductive) of \(candidates) candidates (\(countCandidates) counts) from \(sampledStates) sampled states"
            text += exhaustiveSample ? " (every reachable state)" : ""
            text += "; \(initiationRounds + consecutionRounds) Houdini rounds; "
            text += String(format: "%.1f s (sampling %.1f s, solver %.1f s)", seconds, sampleSeconds, solverSeconds)
            if let unknownReason { text += "; solver unknown: \(unknownReason)" }
            return text
        }
    }

    /// The largest side of a count proposed (the solver's integers widen to hold it).
    static let maximumCountSum = 255

    let encoding: TransitionEncoding
    let options: Options
    let timeout: Double?
    let cancellation: Cancellation?

    /// The inductive invariant over `properties` (positions in the system's invariants) and the
    /// mined lemmas, or `nil` when the solver could not finish (the report says why).
    func run(properties: [Int]) throws -> (invariant: InductiveInvariant?, report: Report) {
        let start = Date()
        var report = Report()
        let system = encoding.system
        let sample = try ReachableStateSample(system: system, limits: options.sample, cancellation: cancellation)
        let controls = LemmaMiner.programCounters(of: system)
        var miner = LemmaMiner(layout: system.layout, controls: options.pairControls ? controls : [])
        miner.observe(sample)
        report.sampledStates = sample.count
        report.exhaustiveSample = sample.isExhaustive
        var lemmas = miner.candidates()
        if options.counts {
            // A count's sides must fit the solver's integers; the Houdini encoding widens them to
            // hold the largest proposed, up to this bound.
            let counts = CountMiner(sample: sample, controls: controls, maximumSum: Self.maximumCountSum).candidates()
            report.countCandidates = counts.count
            lemmas += counts
        }
        report.sampleSeconds = Date().timeIntervalSince(start)
        report.candidates = lemmas.count

        var candidates: [InductiveInvariant.Conjunct] = []
        if !encoding.everyStepDefined.isTrue { candidates.append(InductiveInvariant.everyStepDefined(encoding)) }
        candidates += properties.map { InductiveInvariant.property($0, encoding) }
        candidates += lemmas.enumerated().map { InductiveInvariant.lemma($1, name: "L\($0 + 1)", system.layout) }

        options.log?("lemma mining: \(sample.count) states sampled\(sample.isExhaustive ? " (every reachable state)" : ", breadth-first to depth \(sample.breadthFirstDepth) and random walks"), \(lemmas.count) candidates (\(report.countCandidates) counts), \(String(format: "%.1f", report.sampleSeconds)) s")
        let houdiniEncoding = TransitionEncoding(system: system, reducingInterleavings: false, alsoEncoding: lemmas.map { $0.term(system.layout) })
        var best: (invariant: InductiveInvariant, properties: Int)?
        depths: for k in options.inductionDepths {
            let houdini = Houdini(encoding: houdiniEncoding, timeout: timeout, cancellation: cancellation, log: options.log)
            options.log?("Houdini with k = \(k)")
            // Shrinking to the lemmas a proof uses costs solver rounds: worth it for the invariant
            // that will be kept (every property, or the last depth), not for one a deeper k replaces.
            let requiredProperties = Set(candidates.indices.filter { if case .property = candidates[$0].kind { return true } else { return false } })
            let last = k == options.inductionDepths.last
            let outcome = try houdini.run(candidates, k: k) { kept in last || requiredProperties.isSubset(of: kept) }
            report.solverSeconds += houdini.solverSeconds
            switch outcome {
            case .unknown(let reason):
                report.unknownReason = reason
                break depths
            case .inductive(let kept, let initiationRounds, let consecutionRounds):
                report.initiationRounds += initiationRounds
                report.consecutionRounds += consecutionRounds
                // Renumber the lemmas kept, so that a certificate's names are L1...Ln.
                var number = 0
                let conjuncts = kept.map { candidates[$0] }.map { conjunct -> InductiveInvariant.Conjunct in
                    guard case .lemma(let lemma) = conjunct.kind else { return conjunct }
                    number += 1
                    return InductiveInvariant.lemma(lemma, name: "L\(number)", system.layout)
                }
                let found = InductiveInvariant(system: system, conjuncts: conjuncts, k: k)
                let proved = found.properties.count
                if best == nil || proved > best!.properties { best = (found, proved) }
                if proved == Set(properties).count { break depths }
            }
        }
        report.seconds = Date().timeIntervalSince(start)
        guard let best else { return (nil, report) }
        report.lemmasKept = best.invariant.lemmas.count
        report.inductionDepth = best.invariant.k
        return (best.invariant, report)
    }
}
