/// A transfer's state in the SCMI core (`xfer->state`).
public enum TransferState: String, Hashable, Codable, Sendable, CustomStringConvertible {
    case sentOK = "SENT_OK"
    case respOK = "RESP_OK"

    public var description: String { rawValue }
}
