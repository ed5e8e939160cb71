/// Where a sender is in `do_xfer`, for snapshots.
public enum TransferPhase: String, Hashable, Codable, Sendable, CustomStringConvertible {
    /// Allocated, token assigned, not yet sent.
    case allocated
    /// In `send_message`.
    case sending
    /// Polling or waiting for the reply.
    case waiting
    /// In `mark_txdone`.
    case markingTxDone
    /// `do_xfer` returned; the transfer may still be referenced by a delivery in progress.
    case done

    public var description: String { rawValue }
}
