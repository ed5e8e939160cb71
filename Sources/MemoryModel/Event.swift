/// One event of a candidate execution: a memory access, a fence, or a spinlock operation.
///
/// Spinlocks follow lock.cat (v6.12): `spin_lock` is a lock read (LKR, an acquire read) paired by
/// `rmw` with a lock write (LKW); `spin_unlock` is an unlock (UL, a release write). Initial writes
/// (IW) belong to no thread (`thread == nil`) and are external to every thread.
public struct Event: Hashable, Sendable {
    /// What an event does.
    public enum Kind: Hashable, Sendable {
        case read
        case write
        case fence(FenceKind)
        /// The read half of `spin_lock` (LKR).
        case lockRead
        /// The write half of `spin_lock` (LKW).
        case lockWrite
        /// `spin_unlock` (UL).
        case unlock
    }

    /// The event's position in the execution, 0-based; initial writes come first.
    public let id: Int
    /// The thread, or `nil` for an initial write.
    public let thread: Int?
    public let kind: Kind
    /// The location accessed, or `nil` for a fence.
    public let location: String?
    /// The value read or written, or `nil` for a fence.
    public let value: Value?
    public let annotation: Annotation
    /// Whether the event is half of an atomic read-modify-write (herd7's `R*`/`W*`, the set `RMW`).
    public let isAtomicRMW: Bool
    /// The source line of the statement that made the event, 0 for an initial write.
    public let line: Int
    /// How the source wrote the operation, for witnesses (for example `READ_ONCE(*x)`).
    public let label: String

    public init(id: Int, thread: Int?, kind: Kind, location: String?, value: Value?, annotation: Annotation,
                isAtomicRMW: Bool = false, line: Int = 0, label: String = "") {
        self.id = id
        self.thread = thread
        self.kind = kind
        self.location = location
        self.value = value
        self.annotation = annotation
        self.isAtomicRMW = isAtomicRMW
        self.line = line
        self.label = label
    }

    /// Whether the event reads memory (R, including LKR).
    public var isRead: Bool {
        switch kind {
        case .read, .lockRead: return true
        default: return false
        }
    }

    /// Whether the event writes memory (W, including LKW and UL).
    public var isWrite: Bool {
        switch kind {
        case .write, .lockWrite, .unlock: return true
        default: return false
        }
    }

    public var isInitial: Bool { thread == nil }
}
