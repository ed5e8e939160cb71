/// herd7's Observation word for a litmus test: how many allowed executions satisfy the final
/// clause's proposition.
public enum LitmusAnswer: String, Sendable, CaseIterable {
    /// Every allowed execution satisfies it (and there is at least one).
    case always = "Always"
    /// Some allowed executions satisfy it and some do not.
    case sometimes = "Sometimes"
    /// No allowed execution satisfies it (including when none is allowed at all).
    case never = "Never"
}
