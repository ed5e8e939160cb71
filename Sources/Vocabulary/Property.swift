/// The properties a correct transport keeps, with the reference's names: the spec's
/// invariants and the implementation's checks are named by these cases.
public enum Property: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// Every TX buffer is in at most one of the free list, the device, the used ring and
    /// the pending list.
    case conservation
    /// A buffer is never appended to the free list while on it; a refcount never goes below zero.
    case noDoubleFree = "no-double-free"
    /// No path touches a buffer through a pointer it took before the buffer was freed.
    case noUseAfterRelease = "no-use-after-release"
    /// A reply reaches at most once the transfer whose token it carries, and
    /// `fetch_response` never reads a stale input or length or another transfer's buffer.
    case exactlyOnceDelivery = "exactly-once-delivery"
    /// At quiescence (``Quiescence``) every buffer is back on the free list.
    case noLeakAtQuiescence = "no-leak-at-quiescence"
    /// A polled transfer whose reply was taken off the used ring is never left polling with
    /// nothing that can end its loop before the deadline (``LostWakeup``).
    case noLostWakeup = "no-lost-wakeup"
    /// Once the channel's users reach zero, no path touches the virtqueue, the lists or cinfo.
    case shutdownSafety = "shutdown-safety"

    public var description: String { rawValue }

    /// The properties the transport spec always states as invariants, in report order.
    ///
    /// `shutdown-safety` is stated only when the spec models `chan_free` (`--shutdown on`), after these.
    public static let specified: [Property] = allCases.filter { $0 != .shutdownSafety }

    /// The property called `name`, or an error that lists the properties there are.
    public static func named(_ name: String) throws -> Property {
        guard let property = Property(rawValue: name) else {
            throw VocabularyError("unknown property '\(name)'; known properties: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return property
    }
}
