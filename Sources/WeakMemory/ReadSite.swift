import TransitionSystems

/// Where an action reads a weak variable: the variable, and the index expression (nil for a scalar).
public struct ReadSite: Sendable {
    public let variable: String
    public let index: Expr?
    public let kind: AccessKind
    /// When the step performs the read (the conditions of the `If` blocks around it), over the
    /// state before the step.
    public let condition: Expr
}
