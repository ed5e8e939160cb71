/// What replaying a spec trace against the channel implementation gave.
///
/// The implementation either followed the trace to its end (``followed(_:)``), or it could
/// not take a step the trace takes, or its state differed from the trace's after a step
/// (``diverged(_:_:)``). A divergence is a finding about the model or the code, never a
/// step to skip; only a replay of a schedule on another variant skips steps, and records
/// every one it skips.
public enum ReplayOutcome: Equatable, Sendable, CustomStringConvertible {
    /// Every step ran (or was skipped, when the options allow it) and the state conformed.
    case followed(ReplayRecord)
    /// The replay stopped at the divergence; the record covers the steps before it.
    case diverged(ReplayDivergence, ReplayRecord)

    /// The steps run and the violations seen, whatever the outcome.
    public var record: ReplayRecord {
        switch self {
        case .followed(let record), .diverged(_, let record): return record
        }
    }

    /// The divergence, if the replay diverged.
    public var divergence: ReplayDivergence? {
        if case .diverged(let divergence, _) = self { return divergence }
        return nil
    }

    public var description: String {
        switch self {
        case .followed(let record): return "followed: \(record)"
        case .diverged(let divergence, let record): return "diverged: \(divergence)\n\(record)"
        }
    }
}
