import Vocabulary

/// A property violation observed on the implementation's own state.
public struct Violation: Hashable, Codable, Sendable, CustomStringConvertible {
    public var property: Property
    /// What happened, naming the buffer, the transfer and the actor.
    public var message: String
    /// The step during which it happened (0 on real threads or outside a controlled run).
    public var step: Int
    /// The actor that was running.
    public var actor: String

    public init(property: Property, message: String, step: Int, actor: String) {
        self.property = property
        self.message = message
        self.step = step
        self.actor = actor
    }

    public var description: String { "[step \(step)] \(property): \(actor): \(message)" }
}
