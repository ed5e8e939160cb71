/// Told of each verdict as soon as an engine settles it.
///
/// An engine calls ``settled(_:)`` once for each invariant asked about (once per position
/// asked, should a name be asked twice): for a violation the moment it is found, with the
/// statistics so far; for the rest when the search that decides them ends. Calls come from
/// the thread that runs ``Checker/check(_:listener:)``, before it returns.
public protocol CheckListener {
    func settled(_ result: CheckResult)
}

/// A listener that ignores every verdict: for callers that only want the ``Run``.
public struct SilentListener: CheckListener {
    public init() {}
    public func settled(_ result: CheckResult) {}
}

/// A listener that calls a closure.
public struct ClosureListener: CheckListener {
    private let body: (CheckResult) -> Void

    public init(_ body: @escaping (CheckResult) -> Void) { self.body = body }

    public func settled(_ result: CheckResult) { body(result) }
}

/// What a check gathered: every invariant's result, in the order asked, with the statistics
/// of the whole run and why it stopped.
public struct Run: Sendable {
    /// One per invariant asked, in the order asked. Each carries the statistics of the search
    /// that decided it, at its end (the listener was told with the statistics at the moment).
    public var results: [CheckResult]
    /// Measurements of the whole run.
    public var statistics: Statistics
    /// Why the run stopped.
    public var stopReason: StopReason

    public init(results: [CheckResult], statistics: Statistics, stopReason: StopReason) {
        self.results = results
        self.statistics = statistics
        self.stopReason = stopReason
    }
}

/// Gathers an engine's results in the order asked and tells the caller's listener of each once.
final class RunCollector {
    private let names: [String]
    private let listener: CheckListener
    private var results: [CheckResult?]

    init(_ names: [String], _ listener: CheckListener) {
        self.names = names
        self.listener = listener
        self.results = Array(repeating: nil, count: names.count)
    }

    /// Whether every position asking about `invariant` has its result.
    func isSettled(_ invariant: String) -> Bool {
        names.indices.allSatisfy { names[$0] != invariant || results[$0] != nil }
    }

    /// Records `result` for every position asking about its invariant that has none yet, and
    /// tells the listener; a result for an invariant already settled is ignored.
    func settle(_ result: CheckResult) {
        for position in names.indices where names[position] == result.invariant && results[position] == nil {
            results[position] = result
            listener.settled(result)
        }
    }

    /// The run, once every invariant is settled; each result gets the run's final statistics.
    func run(statistics: Statistics, stopReason: StopReason) -> Run {
        let results = results.enumerated().map { position, result -> CheckResult in
            guard var result else { preconditionFailure("invariant '\(names[position])' was never settled") }
            result.statistics = statistics
            return result
        }
        return Run(results: results, statistics: statistics, stopReason: stopReason)
    }
}
