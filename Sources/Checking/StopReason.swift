/// Why a search stopped: the whole run (``Run/stopReason``), or the search for one invariant
/// that it left undecided (``CheckResult/stopReason``).
///
/// ``description`` is the phrase reports use inside a result's ``CheckResult/detail``.
public enum StopReason: Sendable, Equatable, CustomStringConvertible {
    /// Every invariant asked about was settled before any bound was reached.
    case settled
    /// No new state appeared: every reachable state was explored (explicit engine).
    case exhausted
    /// The depth bound: ``CheckOptions/maxDepth``, or the engine's default.
    case depthLimit(Int)
    /// The explicit engine's state cap, ``CheckOptions/maxStates``.
    case stateLimit(Int)
    /// The solver ran out of time (``CheckOptions/timeoutSeconds``).
    case solverTimeout
    /// The solver answered `unknown` for another reason, Z3's own (such as `canceled`).
    case solverUnknown(reason: String)
    /// No run from an initial state has `k` steps, so induction at `k` would prove nothing.
    case vacuousInduction(k: Int)
    /// A proof assumed a property that could not be proved itself (k-induction's `every-step-defined`).
    case assumptionNotProved(String)
    /// The run's time limit in seconds (``Cancellation/init(timeLimit:)``) passed before this was settled.
    case timeLimit(Double)
    /// The run was interrupted (``Cancellation/interrupt()``, SIGINT on the command line) before this was settled.
    case interrupted

    /// The reason for a solver's `unknown` answer with Z3's explanation `reason`.
    public static func solver(_ reason: String) -> StopReason {
        reason == "timeout" ? .solverTimeout : .solverUnknown(reason: reason)
    }

    /// Z3's explanation, for the solver's reasons.
    public var solverReason: String? {
        switch self {
        case .solverTimeout: return "timeout"
        case .solverUnknown(let reason): return reason
        default: return nil
        }
    }

    /// Whether this is a request to stop from outside the search: ``timeLimit(_:)`` or ``interrupted``.
    public var isCancellation: Bool {
        switch self {
        case .timeLimit, .interrupted: return true
        default: return false
        }
    }

    /// A result's detail when the search stopped for this reason with `depth` checked completely
    /// (`nil`: not even the initial states), such as "stopped by the time limit of 5 s after depth 12 was checked completely".
    public func stoppedDetail(afterDepth depth: Int?) -> String {
        guard let depth else { return "stopped by the \(self) before depth 0 was checked completely" }
        return "stopped by the \(self) after depth \(depth) was checked completely"
    }

    /// Seconds as a person writes them: `5`, `0.5`, `2.25`.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%g", value)
    }

    public var description: String {
        switch self {
        case .settled: return "every invariant settled"
        case .exhausted: return "every reachable state explored"
        case .depthLimit(let depth): return "depth limit \(depth)"
        case .stateLimit(let states): return "state limit \(states)"
        case .solverTimeout, .solverUnknown: return "solver answered unknown (\(solverReason!))"
        case .vacuousInduction(let k): return "no run from an initial state has \(k) steps, so induction at k = \(k) would be vacuous"
        case .assumptionNotProved(let name): return "the assumption \(name) could not be proved"
        case .timeLimit(let seconds): return "time limit of \(Self.seconds(seconds)) s"
        case .interrupted: return "interrupt"
        }
    }
}
