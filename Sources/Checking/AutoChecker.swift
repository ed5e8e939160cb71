import Foundation
import TransitionSystems

/// Picks the engine per question: the explicit engine first, the symbolic engines for what it leaves open.
///
/// The explicit engine runs with a state limit: on small configurations it explores
/// every reachable state and proves or refutes every invariant outright, and it finds
/// shallow bugs faster than any solver. An invariant it leaves open (the state limit or
/// the depth limit cut the search short) goes to ``KInductionChecker``, whose base case
/// is bounded model checking from depth 0 on one incremental unrolling: a violation it
/// finds there is a shortest counterexample and is reported as found by `bmc`; a proof by
/// `k-induction`. Running a separate BMC first would unroll and solve the same depths
/// twice. When nothing decides, the result that explored deeper is reported.
///
/// Each result's ``CheckResult/engine`` names the engine that decided it. A
/// ``CheckOptions/cancellation`` that stops the explicit engine stops the run there; one that
/// stops k-induction leaves each open invariant `holds-up-to-depth` the deeper of the two
/// searches, with the cancellation's reason.
public struct AutoChecker: Checker {
    public let engine = EngineKind.auto
    public let system: TransitionSystem
    public let options: CheckOptions
    /// The most states the explicit engine may store before the symbolic engines take over,
    /// unless ``CheckOptions/maxStates`` sets another limit.
    public let explicitStateLimit: Int

    /// The explicit engine's state limit unless one is given.
    public static let defaultExplicitStateLimit = 500_000

    public init(system: TransitionSystem, options: CheckOptions = CheckOptions(),
                explicitStateLimit: Int = AutoChecker.defaultExplicitStateLimit) {
        self.system = system
        self.options = options
        self.explicitStateLimit = explicitStateLimit
    }

    /// Tells `listener` of each violation and proof as the engine that decides it finds it; of
    /// what neither decides once both have run. The run's statistics are the explicit engine's,
    /// with the time and peak memory of the whole run; it stops for the last engine's reason.
    public func check(_ invariants: [String], listener: CheckListener) throws -> Run {
        let start = Date()
        let collector = RunCollector(invariants, listener)
        let forwardDecided = ClosureListener { result in
            if Self.decides(result) { collector.settle(result) }
        }
        var explicitOptions = options
        explicitOptions.maxStates = options.maxStates ?? explicitStateLimit
        let explicit = try ExplicitStateChecker(system: system, options: explicitOptions)
            .check(invariants, listener: forwardDecided)
        var results = explicit.results
        var stopReason = explicit.stopReason
        let open = results.indices.filter { !Self.decides(results[$0]) }
        if !open.isEmpty && !stopReason.isCancellation {
            let symbolic = try KInductionChecker(system: system, options: options)
                .check(open.map { invariants[$0] }, listener: ClosureListener { forwardDecided.settled(Self.relabelled($0)) })
            for (position, result) in zip(open, symbolic.results.map(Self.relabelled)) {
                if Self.decides(result) || Self.deeper(result, than: results[position]) {
                    results[position] = result
                }
                if let reason = result.stopReason, reason.isCancellation, !Self.decides(results[position]) {
                    // Both searches were complete to the deeper depth; the run stopped for the cancellation.
                    var kept = results[position]
                    let depth = kept.verdict == .holdsUpToDepth ? kept.depth : nil
                    kept.verdict = depth == nil ? .unknown : .holdsUpToDepth
                    kept.detail = reason.stoppedDetail(afterDepth: depth)
                    kept.stopReason = reason
                    results[position] = kept
                }
            }
            stopReason = symbolic.stopReason
        }
        for result in results { collector.settle(result) }
        var statistics = explicit.statistics
        statistics.seconds = Date().timeIntervalSince(start)
        statistics.peakMemoryBytes = ProcessMemory.peakResidentBytes()
        return Run(results: results, statistics: statistics, stopReason: stopReason)
    }

    /// A k-induction result as reported: a violation its base case found is bounded model checking's.
    private static func relabelled(_ result: CheckResult) -> CheckResult {
        guard result.verdict == .violated else { return result }
        var result = result
        result.engine = .bmc
        result.detail = "violated after \(result.depth ?? 0) steps (bounded model checking, the base case of k-induction)"
        return result
    }

    /// Whether a result settles the question: a violation or a proof.
    private static func decides(_ result: CheckResult) -> Bool {
        result.verdict == .violated || result.verdict == .proved
    }

    /// Whether `candidate` explored deeper than `current` without deciding.
    private static func deeper(_ candidate: CheckResult, than current: CheckResult) -> Bool {
        guard candidate.verdict == .holdsUpToDepth else { return false }
        guard current.verdict == .holdsUpToDepth else { return true }
        return (candidate.depth ?? -1) > (current.depth ?? -1)
    }
}
