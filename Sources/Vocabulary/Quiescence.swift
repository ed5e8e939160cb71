/// When the channel is at rest, the one definition the spec's `no-leak-at-quiescence`, the
/// implementation's leak check and the replay share.
///
/// At rest: no sender is inside a transfer, the IRQ path and the worker are idle, no work is
/// queued, the used ring is empty and the device holds no buffer. Then every buffer must be
/// back on the free list; a buffer left on the pending list with no worker queued is a leak.
public struct Quiescence<T: Truth> {
    /// Every sender is between transfers.
    public var sendersIdle: T
    /// The IRQ path is not running `complete_cb`.
    public var irqIdle: T
    /// The worker is not running.
    public var workerIdle: T
    /// The deferred work is queued.
    public var workQueued: T
    /// The used ring is empty.
    public var usedRingEmpty: T
    /// The device holds no buffer.
    public var deviceHoldsNoBuffer: T

    public init(sendersIdle: T, irqIdle: T, workerIdle: T, workQueued: T, usedRingEmpty: T, deviceHoldsNoBuffer: T) {
        self.sendersIdle = sendersIdle
        self.irqIdle = irqIdle
        self.workerIdle = workerIdle
        self.workQueued = workQueued
        self.usedRingEmpty = usedRingEmpty
        self.deviceHoldsNoBuffer = deviceHoldsNoBuffer
    }

    /// Whether the channel is at rest.
    public var holds: T {
        .all([sendersIdle, irqIdle, workerIdle, workQueued.negated, usedRingEmpty, deviceHoldsNoBuffer])
    }
}
