import Foundation
import SMT
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
/// With ``CheckOptions/frames`` `parallel`, a transition fires any set of pairwise independent
/// instances (``FrameSemantics`` argues why no violation is lost): depth counts frames, a
/// counterexample is expanded into single steps before it is replayed, and its result's depth
/// is the expanded run's steps (the detail gives both).
///
/// An invariant with no counterexample up to the limit `holds-up-to-depth`: BMC never says
/// `proved` (see ``KInductionChecker``). A solver answer of `unknown` (such as a timeout)
/// makes that invariant's verdict `unknown`, with the reason. A ``CheckOptions/cancellation`` is
/// polled between queries and caps each query's timeout; a query it cuts short leaves its
/// invariants open, reported as `holds-up-to-depth` the last depth checked completely.
public struct BoundedModelChecker: Checker {
    public let engine = EngineKind.bmc
    public let system: TransitionSystem
    public let options: CheckOptions
    /// A deliberate encoding mistake, for tests of the validator.
    let fault: EncodingFault?

    /// The depth limit when ``CheckOptions/maxDepth`` is `nil`.
    public static let defaultMaxDepth = 20

    public init(system: TransitionSystem, options: CheckOptions = CheckOptions()) {
        self.init(system: system, options: options, fault: nil)
    }

    init(system: TransitionSystem, options: CheckOptions, fault: EncodingFault?) {
        self.system = system
        self.options = options
        self.fault = fault
    }

    /// Tells `listener` of each violation, and each `unknown`, the moment its depth's query
    /// answers; of the invariants that hold up to the limit when the search ends.
    public func check(_ invariants: [String], listener: CheckListener) throws -> Run {
        let indices = try system.invariantIndices(invariants)
        let collector = RunCollector(invariants, listener)
        let start = Date()
        let maxDepth = options.maxDepth ?? Self.defaultMaxDepth
        let encoding = TransitionEncoding(system: system, frames: options.frames, fault: fault)
        let parallel = options.frames == .parallel
        let cancellation = options.cancellation
        let search = try BoundedSearch(encoding: encoding, context: Context(), timeout: options.timeoutSeconds,
                                       cancellation: cancellation)
        var pending = Array(Set(indices)).sorted()
        var lastProgress = start
        var meter = EncodingMeter()
        var complete = -1
        var stopReason = StopReason.settled

        func statistics() -> Statistics { meter.statistics(since: start, [search.unroller]) }

        func settle(_ index: Int, _ verdict: Verdict, depth: Int?, counterexample: Counterexample? = nil, _ detail: String,
                    _ reason: StopReason? = nil) {
            collector.settle(CheckResult(invariant: system.invariants[index].name, verdict: verdict, engine: engine, depth: depth,
                                         counterexample: counterexample, detail: detail, stopReason: reason,
                                         statistics: statistics()))
        }

        while true {
            let depth = search.depth
            if let reason = cancellation?.stopReason {
                stopReason = reason
                break
            }
            var decided: Set<Int> = []
            var cancelled: StopReason?
            for (index, outcome) in try search.check(pending).sorted(by: { $0.key < $1.key }) {
                switch outcome {
                case .holds:
                    continue
                case .violated(let counterexample):
                    // With parallel frames, the depth reported is the expanded run's steps; the detail gives both.
                    let detail = parallel ? "violated after \(counterexample.depth) steps in \(depth) frames of independent steps"
                        : "violated after \(depth) steps"
                    settle(index, .violated, depth: counterexample.depth, counterexample: counterexample, detail)
                case .unknown(let answer):
                    if let reason = cancellation?.stopReason {
                        // Cut short by the run's time limit or an interrupt: the invariant stays open.
                        cancelled = reason
                        continue
                    }
                    let reason = StopReason.solver(answer)
                    let below = depth > 0 ? "; no violation up to depth \(depth - 1)" : ""
                    settle(index, .unknown, depth: nil, "\(reason) at depth \(depth)\(below)", reason)
                }
                decided.insert(index)
            }
            pending.removeAll { decided.contains($0) }
            if let cancelled, !pending.isEmpty {
                meter.record(depth: depth, [search.unroller])
                stopReason = cancelled
                break
            }
            complete = depth
            let stop = pending.isEmpty || depth >= maxDepth
            if stop { stopReason = pending.isEmpty ? .settled : .depthLimit(maxDepth) }
            if !stop, let answer = try search.advance() {
                if let reason = cancellation?.stopReason {
                    meter.record(depth: depth, [search.unroller])
                    stopReason = reason
                    break
                }
                let reason = StopReason.solver(answer)
                meter.record(depth: depth, [search.unroller])
                for index in pending {
                    settle(index, .unknown, depth: nil,
                           "\(reason) while checking the steps from depth \(depth); no violation up to depth \(depth)", reason)
                }
                stopReason = reason
                pending = []
                break
            }
            meter.record(depth: depth, [search.unroller])
            if stop { break }
            if let progress = options.progress, Date().timeIntervalSince(lastProgress) >= 1 {
                lastProgress = Date()
                progress(Progress(engine: engine, depth: depth + 1, states: nil, seconds: lastProgress.timeIntervalSince(start)))
            }
        }

        let final = statistics()
        for index in pending {
            let name = system.invariants[index].name
            if stopReason.isCancellation {
                let checked = complete >= 0 ? complete : nil
                collector.settle(CheckResult(invariant: name, verdict: checked == nil ? .unknown : .holdsUpToDepth, engine: engine,
                                             depth: checked, detail: stopReason.stoppedDetail(afterDepth: checked),
                                             stopReason: stopReason, statistics: final))
                continue
            }
            collector.settle(CheckResult(invariant: name, verdict: .holdsUpToDepth, engine: engine,
                                         depth: complete, detail: "no violation up to depth \(complete)\(parallel ? " in frames of independent steps" : "") (depth limit \(maxDepth))",
                                         stopReason: .depthLimit(maxDepth), statistics: final))
        }
        return collector.run(statistics: final, stopReason: stopReason)
    }
}
