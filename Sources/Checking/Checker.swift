import Foundation
import TransitionSystems

/// A model-checking engine.
///
/// Lifecycle: create a checker for one loaded ``TransitionSystem`` and the options of a
/// run, then call ``check(_:listener:)`` with the names of the invariants to check. A
/// checker answers each invariant with a ``CheckResult``: `violated` with the shortest
/// ``Counterexample``, `proved`, `holds-up-to-depth`, or `unknown` with the reason. It
/// tells the listener of each verdict as it is settled and returns the ``Run``. It never
/// turns an undecided question into a pass. Errors it throws are spec errors found while
/// running (``SpecError``) or internal errors (``InternalError``); a violated invariant is
/// a result, not an error.
///
/// A checker knows the system, not what the caller calls it: turning a counterexample into
/// a trace with the spec's variant and configuration is the caller's
/// (``CheckResult/trace(in:variant:configuration:)``).
public protocol Checker {
    /// The engine.
    var engine: EngineKind { get }
    /// Checks each invariant named, telling `listener` of each verdict as it is settled; the
    /// run's results come in the order of `invariants`.
    func check(_ invariants: [String], listener: CheckListener) throws -> Run
}

extension Checker {
    /// Checks each invariant named; the results come in the order of `invariants`.
    public func check(_ invariants: [String]) throws -> [CheckResult] {
        try check(invariants, listener: SilentListener()).results
    }
}

/// Limits and reporting for a run.
public struct CheckOptions: Sendable {
    /// The deepest level to explore (transitions from an initial state), or `nil` for no limit.
    public var maxDepth: Int?
    /// The most distinct states to keep (explicit engine), or `nil` for no limit.
    public var maxStates: Int?
    /// Seconds allowed per solver query (symbolic engines), or `nil` for none.
    public var timeoutSeconds: Double?
    /// Called about once a second during long runs; never writes to standard output itself.
    public var progress: (@Sendable (Progress) -> Void)?
    /// Whether the explicit engine keeps one state per class of renamings of the spec's symmetric domains.
    public var useSymmetry = true
    /// Whether the explicit engine fires only an ample set of independent, invisible steps where
    /// it can (``PartialOrderReduction``); counterexamples may then not be shortest.
    public var usePartialOrderReduction = false
    /// How many threads the explicit engine expands states on (1: only the calling thread).
    /// The result, statistics and counterexamples do not depend on it.
    public var threads = 1
    /// A time limit or interrupt for the run, polled by every engine, or `nil` for none.
    public var cancellation: Cancellation?
    /// Bounded model checking fires one instance per transition or several independent ones (``FrameSemantics``).
    public var frames = FrameSemantics.single
    /// k-induction first looks for an inductive invariant from mined lemmas (``LemmaSynthesis``), or `nil` for none.
    public var lemmaSynthesis: LemmaSynthesis.Options?

    public init(maxDepth: Int? = nil, maxStates: Int? = nil, timeoutSeconds: Double? = nil,
                progress: (@Sendable (Progress) -> Void)? = nil) {
        self.maxDepth = maxDepth
        self.maxStates = maxStates
        self.timeoutSeconds = timeoutSeconds
        self.progress = progress
    }
}

/// Where a long run is.
public struct Progress: Sendable {
    public var engine: EngineKind
    public var depth: Int
    public var states: Int?
    public var seconds: Double
    /// The process's peak resident memory so far, when known.
    public var peakMemoryBytes: Int?

    /// Where a run is now; the peak memory is read from the process.
    public init(engine: EngineKind, depth: Int, states: Int?, seconds: Double) {
        self.engine = engine
        self.depth = depth
        self.states = states
        self.seconds = seconds
        self.peakMemoryBytes = ProcessMemory.peakResidentBytes()
    }

    /// One line for standard error: "[explicit] depth 31, 1200000 states (240000/s), 5.0 s, 180 MiB".
    public var line: String {
        var text = "[\(engine)] depth \(depth)"
        if let states {
            text += ", \(states) states"
            if seconds > 0 { text += " (\(Int(Double(states) / seconds))/s)" }
        }
        text += ", \(String(format: "%.1f", seconds)) s"
        if let peakMemoryBytes { text += ", \(peakMemoryBytes >> 20) MiB" }
        return text
    }
}

/// A fault in scmi-check itself, such as a solver's counterexample that the interpreter cannot replay.
public struct InternalError: Error, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { "internal error: \(message)" }
}
