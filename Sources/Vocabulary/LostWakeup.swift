/// A polled transfer that nothing can wake any more, the one definition the spec's
/// `no-lost-wakeup` and the replay's check on the implementation share.
///
/// Checked as a safety property (a stuck state), not as full liveness: a polled transfer in
/// the core's polling loop, before its deadline and before the last `poll_done` after the
/// loop, whose own buffer `poll_done` has not found, whose reply was taken off the used ring
/// (the buffer is bound but with no one who will hand it back: not with the device, not on
/// the used ring or the pending list, not held by a path), not marked POLL_DONE and not
/// completed, is stuck until the deadline.
public struct LostWakeup<T: Truth> {
    /// The transfer is in the core's polling loop (inside `poll_done` or between calls).
    public var inPollingLoop: T
    public var polled: T
    public var deadlinePassed: T
    /// The loop ended and the core's last `poll_done` runs.
    public var finalPollStarted: T
    /// This transfer's `poll_done` dequeued its own buffer.
    public var ownBufferFound: T
    /// The transfer's buffer is bound (`xfer->priv`, and the buffer its request went out in).
    public var bufferBound: T
    /// The device, the used ring, the pending list or a path holds the buffer, so someone
    /// will still mark, deliver or queue it.
    public var someoneHoldsBuffer: T
    /// The buffer is marked POLL_DONE.
    public var markedPollDone: T
    /// `xfer->done` was completed.
    public var completed: T

    public init(inPollingLoop: T, polled: T, deadlinePassed: T, finalPollStarted: T, ownBufferFound: T,
                bufferBound: T, someoneHoldsBuffer: T, markedPollDone: T, completed: T) {
        self.inPollingLoop = inPollingLoop
        self.polled = polled
        self.deadlinePassed = deadlinePassed
        self.finalPollStarted = finalPollStarted
        self.ownBufferFound = ownBufferFound
        self.bufferBound = bufferBound
        self.someoneHoldsBuffer = someoneHoldsBuffer
        self.markedPollDone = markedPollDone
        self.completed = completed
    }

    /// Whether the transfer is stuck.
    public var isStuck: T {
        .all([inPollingLoop, polled, deadlinePassed.negated, finalPollStarted.negated, ownBufferFound.negated,
              bufferBound, someoneHoldsBuffer.negated, markedPollDone.negated, completed.negated])
    }
}
