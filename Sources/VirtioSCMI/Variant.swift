/// Which version of the virtio transport's polling support the channel implements.
///
/// The variants form a chain, each derived from the previous one by the differences listed
/// in `ChannelBehaviour`: `v4` ← `v4-proposal` ← `upstream` ← `fixed`.
public enum Variant: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// The patch as posted ("[PATCH v4 3/8] firmware: arm_scmi: Add atomic mode support to
    /// virtio transport"), with its driver.c change.
    case v4
    /// v4 plus the fix proposed in the review reply: poll_lock, POLL_TIMEOUT, freeing
    /// POLL_DONE buffers on timeout, the worker freeing late replies.
    case v4Proposal = "v4-proposal"
    /// The design as merged (v5, Linux 5.18) and still current: message refcounts.
    case upstream
    /// Upstream plus this project's candidate fixes (see `ChannelBehaviour`).
    case fixed

    public var description: String { rawValue }
}
