/// What a variant does differently, one switch per difference from the variant it derives from.
///
/// Each variant's behaviour is its base's with only the switches it changes, so the
/// chain `v4` ← `v4-proposal` ← `upstream` ← `fixed` reads as a list of differences.
public struct TransportBehaviour: Sendable, Equatable {
    // MARK: - v4-proposal (the review reply)

    /// `poll_status` is protected by a per-message `poll_lock`; a poller marks every polled
    /// buffer it dequeues `POLL_DONE`, its own included.
    public var pollLockMarksEveryPolledBuffer = false
    /// `mark_txdone` frees a timed-out buffer that was marked `POLL_DONE`, and marks a still
    /// in-flight one `POLL_TIMEOUT`; pollers hand `POLL_TIMEOUT` buffers to the worker, which frees them.
    public var pollTimeoutState = false

    // MARK: - upstream (v5, merged)

    /// Message refcounts: a buffer returns to the free list when its last reference is released;
    /// a polled transfer holds a second reference for the poll path.
    public var messageRefcount = false
    /// A poller marks a dequeued buffer `POLL_DONE` first (under `poll_lock`), then writes `rx_len`,
    /// and skips the buffers it marked itself.
    public var markBeforeRxLen = false
    /// The worker delivers only `NOT_POLLED` buffers from the pending list.
    public var workerDeliversOnlyNotPolled = false
    /// The core clears `xfer->priv` right after `fetch_response` on the delivery path (v4's driver.c).
    public var coreClearsPrivAfterDelivery = true

    // MARK: - fixed (this project)

    /// `mark_txdone` decides under `poll_lock` before releasing anything, whatever `ret` says: a buffer
    /// a poller marked `POLL_DONE` (pollers do not release) loses both references; any other loses only
    /// the transfer's, after a still `POLLING` one is marked `POLL_TIMEOUT`, so that whoever dequeues it
    /// (the IRQ path, or the worker via the pending list) releases the poll path's reference.
    public var secondReleaseOnlyWhenPollDone = false

    /// The behaviour of `variant`.
    public static func of(_ variant: TransportVariant) -> TransportBehaviour {
        switch variant {
        case .v4:
            return TransportBehaviour()
        case .v4Proposal:
            var b = of(.v4)
            b.pollLockMarksEveryPolledBuffer = true
            b.pollTimeoutState = true
            return b
        case .upstream:
            var b = of(.v4Proposal)
            b.messageRefcount = true
            b.markBeforeRxLen = true
            b.workerDeliversOnlyNotPolled = true
            b.coreClearsPrivAfterDelivery = false
            return b
        case .fixed:
            var b = of(.upstream)
            b.markBeforeRxLen = false
            b.secondReleaseOnlyWhenPollDone = true
            return b
        }
    }
}
