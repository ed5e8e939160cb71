/// Where the channel implementation parted ways with a spec trace.
public enum ReplayDivergence: Equatable, Sendable, CustomStringConvertible {
    /// The trace does not fit the implementation at all (an actor or action it has no counterpart for).
    case unmapped(step: Int, label: String, reason: String)
    /// The implementation could not take step `step` (its actor was elsewhere, blocked or finished).
    case cannotStep(step: Int, label: String, reason: String)
    /// After step `step`, the implementation's state abstracted to the spec's variables differs.
    case stateMismatch(step: Int, label: String, differences: [StateDifference])

    /// The number of the step at which the replay diverged.
    public var step: Int {
        switch self {
        case .unmapped(let step, _, _), .cannotStep(let step, _, _), .stateMismatch(let step, _, _): return step
        }
    }

    public var description: String {
        switch self {
        case .unmapped(let step, let label, let reason):
            return "step \(step) (\(label)) has no counterpart in the implementation: \(reason)"
        case .cannotStep(let step, let label, let reason):
            return "step \(step) (\(label)): the implementation cannot take it: \(reason)"
        case .stateMismatch(let step, let label, let differences):
            return "step \(step) (\(label)): " + differences.map(\.description).joined(separator: "; ")
        }
    }
}
