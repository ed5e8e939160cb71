/// Where a TX buffer is, as seen in a snapshot.
public enum BufferLocation: Hashable, Sendable, CustomStringConvertible {
    case freeList
    /// Taken by this sender and not yet with the device, or a polled buffer its sender still
    /// holds (until `mark_txdone`).
    case heldBySender(String)
    /// Owned by the device (added to the ring, not yet returned).
    case device
    /// Returned by the device, not yet dequeued.
    case usedRing
    /// Dequeued by this path (a poller, "irq", "worker"), which has not finished with it.
    case dequeued(by: String)
    case pendingList
    /// In none of the above: no one will return it (a leak, once everything is quiet).
    case nowhere
    /// In several places at once: a `conservation` violation.
    indirect case several([BufferLocation])

    public var description: String {
        switch self {
        case .freeList: return "free list"
        case .heldBySender(let cpu): return "held by \(cpu)"
        case .device: return "device"
        case .usedRing: return "used ring"
        case .dequeued(let path): return "dequeued by \(path)"
        case .pendingList: return "pending list"
        case .nowhere: return "nowhere"
        case .several(let places): return places.map(\.description).joined(separator: " + ")
        }
    }
}
