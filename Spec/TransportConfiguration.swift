/// A variant of the SCMI virtio transport's polling support.
///
/// The variants form a chain, each derived from the one before it:
/// `v4` ← `v4-proposal` ← `upstream` ← `fixed`.
public enum TransportVariant: String, CaseIterable, Sendable {
    /// The patch as posted (v4 3/8 of the atomic-mode series, February 2022).
    case v4
    /// v4 plus the fix proposed in the review reply (poll_lock, POLL_TIMEOUT, free on POLL_DONE).
    case v4Proposal = "v4-proposal"
    /// The design as merged in v5 (Linux 5.18) and still current: message refcounts.
    case upstream
    /// The project's own fix of what the checker finds on `upstream`.
    case fixed

    /// The variant this one is derived from.
    public var base: TransportVariant? {
        switch self {
        case .v4: return nil
        case .v4Proposal: return .v4
        case .upstream: return .v4Proposal
        case .fixed: return .upstream
        }
    }
}

/// The SCMI core's decision after the polling loop.
public enum CoreVersion: String, CaseIterable, Sendable {
    /// Since 2025 ("Fix timeout checks on polling path"): timed out only if the loop did not
    /// end because `done` completed and one more `poll_done` also fails.
    case current
    /// 2022 to 2025: timed out whenever the deadline has passed by the time of the decision.
    case y2022 = "2022"
    /// The reference page's reading of the current core: one more `poll_done` only when the loop
    /// ended because the deadline passed. The kernel (`if (!ooo && !poll_done())`) also calls it
    /// after a successful `poll_done`; this reading exists to show races that the kernel's extra
    /// call hides behind a shorter counterexample on `v4`.
    case described
}

/// The size and kind of system to check.
public struct TransportConfiguration: Sendable, Equatable {
    public var cpus: Int
    public var buffers: Int
    public var variant: TransportVariant
    public var core: CoreVersion

    public init(cpus: Int = 2, buffers: Int = 2, variant: TransportVariant, core: CoreVersion = .current) {
        self.cpus = cpus
        self.buffers = buffers
        self.variant = variant
        self.core = core
    }

    /// The configuration as traces record it.
    public var labels: [String: String] {
        ["cpus": String(cpus), "buffers": String(buffers), "core": core.rawValue]
    }
}
