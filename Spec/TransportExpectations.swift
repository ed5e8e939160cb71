import TransitionSystems

/// The verdicts each variant is expected to have, so a run can tell a new or a lost finding from a known one.
///
/// A historical variant names the invariants it is known to violate (found by the checker
/// and confirmed against the kernel code, see the notes beside each); everything else is
/// expected to hold.
public enum TransportExpectations {
    /// The expectation for every invariant of `configuration`.
    public static func of(_ configuration: TransportConfiguration) -> [String: Expectation] {
        var result = Dictionary(uniqueKeysWithValues: TransportSpec.invariantNames.map { ($0, Expectation.holds) })
        for (name, depth) in knownViolations(configuration) { result[name] = .violated(depth: depth) }
        return result
    }

    /// Known violations by invariant, with the shortest depth at the default configuration.
    ///
    /// Found by `scmi-check check --variant NAME --exhaustive` (explicit engine) and walked step by
    /// step against the kernel code; a configuration with more CPUs or buffers contains these runs
    /// (the extra CPUs stay idle), so the violations stand there too, at a depth not recorded.
    static func knownViolations(_ configuration: TransportConfiguration) -> [String: Int?] {
        guard configuration.core == .current, configuration.cpus >= 2, configuration.buffers >= 2 else { return [:] }
        let atDefault = configuration.cpus == 2 && configuration.buffers == 2
        let known: [String: Int]
        switch configuration.variant {
        case .v4:
            // The IRQ path frees a polled buffer its owner's poll_done still reads (15); the core's
            // last poll_done after a successful one fails on v4, which leaves its own buffer POLLING,
            // so the transfer "times out" and mark_txdone never frees it (17); a poller left with
            // nothing to wake it (29).
            known = ["no-use-after-release": 15, "no-leak-at-quiescence": 17, "no-lost-wakeup": 29]
        case .v4Proposal:
            // No poll-path reference: the IRQ path frees a buffer its owner still polls (15), and
            // what follows from reusing it.
            known = ["no-use-after-release": 15, "no-leak-at-quiescence": 45, "exactly-once-delivery": 46,
                     "no-double-free": 50, "conservation": 54, "no-lost-wakeup": 58]
        case .upstream:
            // poll_done writes rx_len after marking POLL_DONE: the owner fetches it first (17);
            // mark_txdone releases twice after the IRQ path delivered, and the IRQ path releases a
            // third time (20), freeing a buffer in use (28) and starving a poller (44); mark_txdone's
            // POLL_TIMEOUT lands on a buffer the IRQ path freed and another CPU reuses, whose own
            // poller then neither marks nor frees it (57).
            known = ["exactly-once-delivery": 17, "no-double-free": 20, "no-use-after-release": 20,
                     "conservation": 28, "no-lost-wakeup": 44, "no-leak-at-quiescence": 57]
        case .fixed:
            known = [:]
        }
        return known.mapValues { atDefault ? $0 : nil }
    }
}
