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
/// Each result's ``CheckResult/engine`` names the engine that decided it.
public struct AutoChecker: Checker {
    public let engine = "auto"
    public let system: TransitionSystem
    public let options: CheckOptions
    public let variant: String?
    public let configuration: [String: String]
    /// The most states the explicit engine may store before the symbolic engines take over,
    /// unless ``CheckOptions/maxStates`` sets another limit.
    public let explicitStateLimit: Int

    /// The explicit engine's state limit unless one is given.
    public static let defaultExplicitStateLimit = 500_000

    public init(system: TransitionSystem, options: CheckOptions = CheckOptions(), variant: String? = nil,
                configuration: [String: String] = [:], explicitStateLimit: Int = AutoChecker.defaultExplicitStateLimit) {
        self.system = system
        self.options = options
        self.variant = variant
        self.configuration = configuration
        self.explicitStateLimit = explicitStateLimit
    }

    public func check(_ invariants: [String]) throws -> [CheckResult] {
        var explicitOptions = options
        explicitOptions.maxStates = options.maxStates ?? explicitStateLimit
        var results = try ExplicitStateChecker(system: system, options: explicitOptions, variant: variant,
                                               configuration: configuration).check(invariants)
        let open = results.indices.filter { !Self.decides(results[$0]) }
        guard !open.isEmpty else { return results }

        let symbolic = try KInductionChecker(system: system, options: options, variant: variant, configuration: configuration)
            .check(open.map { invariants[$0] })
        for (position, result) in zip(open, symbolic) {
            var result = result
            if result.verdict == .violated {
                result.engine = "bmc"
                result.detail = "violated after \(result.depth ?? 0) steps (bounded model checking, the base case of k-induction)"
            }
            if Self.decides(result) || Self.deeper(result, than: results[position]) {
                results[position] = result
            }
        }
        return results
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
