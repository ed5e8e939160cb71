/// The verdicts each variant is expected to have, so a run can tell a new or a lost finding from a known one.
///
/// A historical variant names the invariants it is known to violate (found by the checker
/// and confirmed against the kernel code, see the notes beside each); everything else is
/// expected to hold.
public enum TransportExpectations {
    /// What one invariant is expected to give.
    public enum Expectation: Sendable, Equatable {
        /// Violated; the shortest counterexample has this many steps, when recorded.
        case violated(depth: Int?)
        case holds
    }

    /// The expectation for every invariant of `configuration`.
    public static func of(_ configuration: TransportConfiguration) -> [String: Expectation] {
        var result = Dictionary(uniqueKeysWithValues: TransportSpec.invariantNames.map { ($0, Expectation.holds) })
        for (name, depth) in knownViolations(configuration) { result[name] = .violated(depth: depth) }
        return result
    }

    /// Known violations by invariant, with the shortest depth at the default configuration.
    static func knownViolations(_ configuration: TransportConfiguration) -> [String: Int?] {
        [:]
    }
}
