/// A message buffer's polling state (`enum poll_states`).
public enum PollStatus: String, Hashable, Codable, Sendable, CustomStringConvertible {
    case notPolled = "NOT_POLLED"
    case pollTimeout = "POLL_TIMEOUT"
    case polling = "POLLING"
    case pollDone = "POLL_DONE"

    public var description: String { rawValue }
}
