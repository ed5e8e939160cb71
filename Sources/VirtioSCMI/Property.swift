/// The properties a correct transport keeps, with the project's kebab-case names.
public enum Property: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// Every TX buffer is in exactly one place.
    case conservation
    /// A buffer is never appended to the free list twice; a refcount never goes below zero.
    case noDoubleFree = "no-double-free"
    /// No path touches a buffer after the reference it relied on was given up.
    case noUseAfterRelease = "no-use-after-release"
    /// A reply reaches at most once the transfer whose token it carries, and
    /// `fetch_response` never reads a stale input or another transfer's buffer.
    case exactlyOnceDelivery = "exactly-once-delivery"
    /// At quiescence every buffer is back on the free list.
    case noLeakAtQuiescence = "no-leak-at-quiescence"
    /// Once the channel's users reach zero, no path touches the virtqueue, the lists or cinfo.
    case shutdownSafety = "shutdown-safety"

    public var description: String { rawValue }
}
