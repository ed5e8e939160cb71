/// Every difference between the transport variants, as independent switches.
///
/// The channel code is written once; wherever two kernel versions differ it consults one of
/// these switches. `ChannelBehaviour.for(_:)` derives them from a `Variant`; a test may
/// turn any one of them off or on to isolate its effect.
public struct ChannelBehaviour: Hashable, Codable, Sendable {
    /// Message buffers carry a refcount `users` (upstream+): taking a buffer from the free
    /// list sets it to 1, a polled send takes a second reference for the poll path, and a
    /// buffer returns to the free list when the count drops to zero. Without it (v4,
    /// v4-proposal) paths return buffers with `put_free_msg`, which also resets
    /// `poll_status` to NOT_POLLED.
    public var messageRefcount: Bool

    /// A per-message `poll_lock` protects `poll_status` in `poll_done` and `mark_txdone`
    /// (v4-proposal+).
    public var pollLock: Bool

    /// `poll_done` marks every polled buffer it dequeues POLL_DONE, its own included
    /// (v4-proposal+); v4 marks only other CPUs' buffers and leaves its own POLLING.
    public var marksOwnBufferPollDone: Bool

    /// The POLL_TIMEOUT state (v4-proposal+): `mark_txdone` marks a timed-out buffer that is
    /// still POLLING as POLL_TIMEOUT; a poller that dequeues a POLL_TIMEOUT buffer hands it
    /// to the deferred worker, which frees it without delivering it (the worker delivers only
    /// NOT_POLLED buffers).
    public var pollTimeoutState: Bool

    /// `mark_txdone` frees (releases the poll path's reference of) a timed-out buffer that a
    /// poller has already marked POLL_DONE (v4-proposal+); v4 never frees timed-out buffers.
    public var freesPollDoneBufferOnTimeout: Bool

    /// `poll_done` writes `rx_len` of a dequeued buffer before it marks the buffer POLL_DONE
    /// (v4 and v4-proposal write it first; `fixed`, candidate fix (a)). Upstream writes it
    /// after dropping `poll_lock`, when the owner may already see POLL_DONE, fetch a stale
    /// length, and even release the buffer before the write.
    public var rxLenBeforePollDone: Bool

    /// `mark_txdone` releases the poll path's second reference only when
    /// `poll_status == POLL_DONE`, i.e. a poller dequeued the buffer and left its reference to
    /// the owner (`fixed`, candidate fix (b)). Upstream also releases it whenever
    /// `ret != -ETIMEDOUT`, although the IRQ path that dequeued a buffer releases that
    /// reference itself: when the IRQ path delivers a polled reply and the owner's
    /// `mark_txdone` runs before the IRQ path's release, the buffer is released three times
    /// for two references.
    public var secondReleaseOnlyWhenPollDone: Bool

    /// `mark_txdone` reads and updates `poll_status` under `poll_lock` while it still holds
    /// the owner's reference, and only then drops its references, touching the buffer no
    /// more (`fixed`, candidate fix (c), found by this project's stress runs). Upstream drops
    /// the owner's reference first and then takes `poll_lock`: when the IRQ path dequeued the
    /// polled buffer, its release can return the buffer to the free list in between, and
    /// `mark_txdone` then locks and writes POLL_TIMEOUT into a released (possibly reused)
    /// buffer.
    public var decidesBeforeReleasing: Bool

    /// The core clears `xfer->priv` right after `fetch_response` when a reply is delivered
    /// by the IRQ path or the worker (the v4 series' driver.c change: v4, v4-proposal).
    public var coreClearsPrivAfterDelivery: Bool

    public init(
        messageRefcount: Bool,
        pollLock: Bool,
        marksOwnBufferPollDone: Bool,
        pollTimeoutState: Bool,
        freesPollDoneBufferOnTimeout: Bool,
        rxLenBeforePollDone: Bool,
        secondReleaseOnlyWhenPollDone: Bool,
        decidesBeforeReleasing: Bool,
        coreClearsPrivAfterDelivery: Bool
    ) {
        self.messageRefcount = messageRefcount
        self.pollLock = pollLock
        self.marksOwnBufferPollDone = marksOwnBufferPollDone
        self.pollTimeoutState = pollTimeoutState
        self.freesPollDoneBufferOnTimeout = freesPollDoneBufferOnTimeout
        self.rxLenBeforePollDone = rxLenBeforePollDone
        self.secondReleaseOnlyWhenPollDone = secondReleaseOnlyWhenPollDone
        self.decidesBeforeReleasing = decidesBeforeReleasing
        self.coreClearsPrivAfterDelivery = coreClearsPrivAfterDelivery
    }

    /// The behaviour of a variant: each one is the previous variant plus a few switches.
    public static func `for`(_ variant: Variant) -> ChannelBehaviour {
        switch variant {
        case .v4:
            return ChannelBehaviour(
                messageRefcount: false,
                pollLock: false,
                marksOwnBufferPollDone: false,
                pollTimeoutState: false,
                freesPollDoneBufferOnTimeout: false,
                rxLenBeforePollDone: true,
                secondReleaseOnlyWhenPollDone: false,
                decidesBeforeReleasing: false,
                coreClearsPrivAfterDelivery: true
            )
        case .v4Proposal:
            var behaviour = ChannelBehaviour.for(.v4)
            behaviour.pollLock = true
            behaviour.marksOwnBufferPollDone = true
            behaviour.pollTimeoutState = true
            behaviour.freesPollDoneBufferOnTimeout = true
            return behaviour
        case .upstream:
            var behaviour = ChannelBehaviour.for(.v4Proposal)
            behaviour.messageRefcount = true
            behaviour.rxLenBeforePollDone = false
            behaviour.coreClearsPrivAfterDelivery = false
            return behaviour
        case .fixed:
            var behaviour = ChannelBehaviour.for(.upstream)
            behaviour.rxLenBeforePollDone = true
            behaviour.secondReleaseOnlyWhenPollDone = true
            behaviour.decidesBeforeReleasing = true
            return behaviour
        }
    }
}
