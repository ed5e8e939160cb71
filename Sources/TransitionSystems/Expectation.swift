/// What checking one invariant is expected to give, as a spec or fixture records it, so a run can
/// tell a new or a lost finding from a known one.
public enum Expectation: Sendable, Equatable {
    /// Violated; the shortest counterexample has this many transitions, when recorded.
    case violated(depth: Int?)
    /// Not violated (proved, or no violation within the bound).
    case holds
}
