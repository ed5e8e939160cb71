/// A spec the weak-memory transformation cannot rewrite, with the reason.
public struct WeakMemoryError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
