import Foundation
import SMT
import Traces
import TransitionSystems

/// Bounded model checking on Z3: is there a run of `k` steps that ends in a state breaking
/// an invariant, for `k = 0, 1, 2, ...` up to the depth limit?
///
/// The system is unrolled once, incrementally, by a ``BoundedSearch``: at depth `k` the
/// solver holds the initial condition and `k` transitions, and the invariants still open
/// are asked about together under an assumption literal. Depths are tried in increasing order, so
/// the first depth at which an invariant can be false is its shortest counterexample; every
/// counterexample is replayed on the interpreter before it is reported. Before unrolling
/// the next transition the search checks that no instance fails at this depth (a value or
/// index leaving its domain), which the interpreter reports as a ``SpecError``; this engine
/// throws the same error, so the engines agree.
///
/// An invariant with no counterexample up to the limit `holds-up-to-depth`: BMC never says
/// `proved` (see ``KInductionChecker``). A solver answer of `unknown` (such as a timeout)
/// makes that invariant's verdict `unknown`, with the reason.
public struct BoundedModelChecker: Checker {
    public let engine = "bmc"
    public let system: TransitionSystem
    public let options: CheckOptions
    public let variant: String?
    public let configuration: [String: String]
    /// A deliberate encoding mistake, for tests of the validator.
    let fault: EncodingFault?

    /// The depth limit when ``CheckOptions/maxDepth`` is `nil`.
    public static let defaultMaxDepth = 20

    public init(system: TransitionSystem, options: CheckOptions = CheckOptions(), variant: String? = nil,
                configuration: [String: String] = [:]) {
        self.init(system: system, options: options, variant: variant, configuration: configuration, fault: nil)
    }

    init(system: TransitionSystem, options: CheckOptions, variant: String?, configuration: [String: String], fault: EncodingFault?) {
        self.system = system
        self.options = options
        self.variant = variant
        self.configuration = configuration
        self.fault = fault
    }

    public func check(_ invariants: [String]) throws -> [CheckResult] {
        let indices = try system.invariantIndices(invariants)
        let start = Date()
        let maxDepth = options.maxDepth ?? Self.defaultMaxDepth
        let encoding = TransitionEncoding(system: system, fault: fault)
        let search = try BoundedSearch(encoding: encoding, context: Context(), timeout: options.timeoutSeconds,
                                       variant: variant, configuration: configuration)
        var decided: [Int: (Verdict, Int, Trace?, String)] = [:]
        var pending = Array(Set(indices)).sorted()
        var lastProgress = start
        var meter = EncodingMeter()
        var complete = 0

        while true {
            let depth = search.depth
            for (index, outcome) in try search.check(pending) {
                switch outcome {
                case .holds:
                    continue
                case .violated(let trace):
                    decided[index] = (.violated, depth, trace, "violated after \(depth) steps")
                case .unknown(let reason):
                    let below = depth > 0 ? "; no violation up to depth \(depth - 1)" : ""
                    decided[index] = (.unknown, depth, nil, "solver answered unknown (\(reason)) at depth \(depth)\(below)")
                }
            }
            pending.removeAll { decided[$0] != nil }
            complete = depth
            var stop = pending.isEmpty || depth >= maxDepth
            if !stop, let reason = try search.advance() {
                for index in pending {
                    decided[index] = (.unknown, depth, nil, "solver answered unknown (\(reason)) while checking the steps from depth \(depth); no violation up to depth \(depth)")
                }
                stop = true
            }
            meter.record(depth: depth, [search.unroller])
            if stop { break }
            if let progress = options.progress, Date().timeIntervalSince(lastProgress) >= 1 {
                lastProgress = Date()
                progress(Progress(engine: engine, depth: depth + 1, states: nil, seconds: lastProgress.timeIntervalSince(start)))
            }
        }

        var statistics = Statistics()
        statistics.seconds = Date().timeIntervalSince(start)
        statistics.peakMemoryBytes = ProcessMemory.peakResidentBytes()
        statistics.perDepth = meter.perDepth

        return indices.map { index in
            let name = system.invariants[index].name
            if let (verdict, depth, trace, detail) = decided[index] {
                return CheckResult(invariant: name, verdict: verdict, engine: engine, depth: verdict == .unknown ? nil : depth,
                                   trace: trace, detail: detail, statistics: statistics)
            }
            return CheckResult(invariant: name, verdict: .holdsUpToDepth, engine: engine, depth: complete,
                               detail: "no violation up to depth \(complete) (depth limit \(maxDepth))", statistics: statistics)
        }
    }
}
