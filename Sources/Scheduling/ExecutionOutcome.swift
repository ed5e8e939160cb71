/// How a controlled execution ended.
public enum ExecutionOutcome: Hashable, Sendable, CustomStringConvertible {
    /// Nothing could happen any more and every actor had finished or was idle.
    case completed
    /// Nothing could happen any more but these actors were still blocked.
    case deadlock([String])
    /// The scheduler ended the execution early (a replayed schedule ran out, a depth bound).
    case stopped
    /// The scheduler asked for a choice that was not enabled (a replay diverged).
    case diverged(step: Int, wanted: String, enabled: [String])
    /// The runtime's step limit was reached.
    case stepLimit

    public var description: String {
        switch self {
        case .completed: return "completed"
        case .deadlock(let actors): return "deadlock (blocked: \(actors.joined(separator: ", ")))"
        case .stopped: return "stopped by the scheduler"
        case .diverged(let step, let wanted, let enabled):
            return "diverged at step \(step): \(wanted) is not enabled (enabled: \(enabled.joined(separator: ", ")))"
        case .stepLimit: return "step limit reached"
        }
    }
}
