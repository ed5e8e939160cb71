/// A buffer's `rx_len`: the length of the reply, written by whoever dequeues the buffer.
///
/// The simulated device reports with each length which reply it measured, so that a
/// monitor can tell that `fetch_response` read a length left over from an earlier reply.
public struct RxLength: Hashable, Sendable, CustomStringConvertible {
    /// Bytes of the reply.
    public var bytes: Int
    /// The token of the reply this length belongs to; nil if never written.
    public var replyToken: Int?

    public init(bytes: Int, replyToken: Int?) {
        self.bytes = bytes
        self.replyToken = replyToken
    }

    /// The value of a buffer whose `rx_len` was never written.
    public static let unset = RxLength(bytes: 0, replyToken: nil)

    /// The length the device reports for the reply to `token`.
    public static func ofReply(to token: Int) -> RxLength {
        RxLength(bytes: 12 + 4 * (token % 4), replyToken: token)
    }

    public var description: String {
        replyToken.map { "\(bytes) bytes (reply for token \($0))" } ?? "unset"
    }
}
