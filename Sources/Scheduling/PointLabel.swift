/// What a scheduling point is about to do: a typed operation, given by the code under test
/// (this module does not know its type), and a detail such as the buffer or value it
/// touches; or, for code that has no operations of its own, just a string.
///
/// Its description is the point's display label: "\(operation) \(detail)", or the string.
/// Platform hooks take it as an autoclosure, so a real platform never builds one.
public struct PointLabel: Sendable, CustomStringConvertible, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    /// The operation at the point, if the code under test names one.
    public let operation: (any Sendable & CustomStringConvertible)?
    /// What the operation touches ("POLL_DONE (buf1)", "buf0.users"); the whole label for a
    /// string label.
    public let detail: String

    public init(_ operation: any Sendable & CustomStringConvertible, _ detail: String = "") {
        self.operation = operation
        self.detail = detail
    }

    public init(stringLiteral value: String) {
        operation = nil
        detail = value
    }

    public var description: String {
        guard let operation else { return detail }
        return detail.isEmpty ? operation.description : "\(operation) \(detail)"
    }
}
