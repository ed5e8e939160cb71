/// The content of a buffer's input SDU: what the device last wrote there.
///
/// A buffer's input is never cleared, so a transfer that reads a reply carrying another
/// token has read a stale or foreign reply.
public enum Payload: Hashable, Sendable, CustomStringConvertible {
    /// Never written.
    case empty
    /// "reply for token t".
    case reply(token: Int)

    /// The token in the message header, if any.
    public var token: Int? {
        if case .reply(let token) = self { return token }
        return nil
    }

    public var description: String {
        switch self {
        case .empty: return "empty"
        case .reply(let token): return "reply for token \(token)"
        }
    }
}
