/// One thing that can happen next in a controlled execution: an actor's next step, or an
/// environment event (a device reply, a deadline passing).
public struct Choice: Hashable, Sendable, CustomStringConvertible {
    /// Whether the choice runs an actor's code or an environment event.
    public enum Kind: String, Hashable, Sendable {
        case actor
        case environment
    }

    /// Stable identifier, the unit of a `Schedule`: the actor's name ("cpu1") or the
    /// event's identifier ("device:buf0", "deadline:cpu0").
    public let id: String
    /// What the step does, "actor: operation" ("cpu1: poll_done virtqueue_get_buf").
    public let label: String
    /// The typed operation of the actor's step, as the code under test named it at the
    /// point (nil for environment events, string labels, and runs that record no log). Not
    /// part of the choice's identity.
    public let operation: (any Sendable & CustomStringConvertible)?
    public let kind: Kind
    /// Whether taking this choice counts against a preemption bound: it switches away from
    /// an actor that could go on, or lets the environment act while some actor could run.
    public let isPreemption: Bool

    public init(id: String, label: String, operation: (any Sendable & CustomStringConvertible)? = nil, kind: Kind, isPreemption: Bool) {
        self.id = id
        self.label = label
        self.operation = operation
        self.kind = kind
        self.isPreemption = isPreemption
    }

    public static func == (a: Choice, b: Choice) -> Bool {
        a.id == b.id && a.label == b.label && a.kind == b.kind && a.isPreemption == b.isPreemption
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(label)
        hasher.combine(kind)
        hasher.combine(isPreemption)
    }

    public var description: String { isPreemption ? "\(label) [preempts]" : label }
}
