/// What a memory model says about one candidate execution.
public struct ModelJudgement: Equatable, Sendable {
    /// The first constraint the execution violates, or `nil` when the model allows it.
    public let violated: Axiom?
    /// The flags raised on an allowed execution.
    public let flags: Set<ModelFlag>

    public init(violated: Axiom?, flags: Set<ModelFlag> = []) {
        self.violated = violated
        self.flags = flags
    }

    public var isAllowed: Bool { violated == nil }
}
