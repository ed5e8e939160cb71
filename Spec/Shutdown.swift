import TransitionSystems
import Vocabulary

/// The channel's end (`--shutdown on`): `virtio_chan_free` (drivers/firmware/arm_scmi/virtio.c)
/// breaks the device and runs `scmi_vio_channel_cleanup_sync`, which sets `shutdown_done`, clears
/// `deferred_tx_wq`, drops the channel's first reference and waits for its last user; the last
/// `scmi_vio_channel_release` clears `cinfo` and completes `shutdown_done`.
///
/// Every path takes a channel reference (`scmi_vio_channel_acquire`, increment unless zero) for
/// its transport operation and gives it back at the end: `send_message`, `poll_done` (after its
/// unlocked checks), `mark_txdone`, each round of the IRQ path's `complete_cb`, and the worker.
/// When the acquire fails: `send_message` returns -EINVAL, `poll_done` returns true (so the core
/// fetches a reply that may never have come), `mark_txdone` returns with `priv` still bound,
/// the IRQ path and the worker return.
///
/// Modelling choices:
/// - The channel is torn down exactly when `chan_users` reaches zero: only `cleanup_sync` drops
///   the first reference, after it set `shutdown_done`, so the last release always finds it set.
/// - An acquire is part of the step of the operation's first shared access after it, a release part
///   of the step of its last one (or, for `mark_txdone`, of the core's `xfer_put` right after it):
///   another path's acquire only asks "zero or not", and any run that puts a step between the two
///   has a run with the same verdicts where the step comes first.
/// - The worker's own `complete_cb` takes a reference per round inside the worker's, which cannot
///   fail while the worker holds its own: left out.
/// - Once the device is broken it returns nothing more: `add_sgs` fails, `get_buf` finds nothing,
///   `virtqueue_poll` says no (drivers/virtio/virtio_ring.c), and replies no longer reach the ring.
///
/// Kernel orderings of the new shared accesses (v6.12), and why they stay sequentially consistent
/// under the weak memory models (``TransportModel/weakMemory``):
/// - `vioch->users`: `refcount_inc_not_zero` and `refcount_dec_and_test`
///   (Documentation/core-api/refcount-vs-atomic.rst: a decrement is a release, and the one that
///   reaches zero also an acquire). A path's accesses before its release are therefore ordered
///   before the last releaser's teardown (clearing `cinfo`, completing `shutdown_done`): the
///   message passing that sequential consistency keeps, so `shutdown-safety` loses no run.
/// - `shutdown_done` and `deferred_tx_wq`: written by `cleanup_sync` under `vioch->lock`, read under
///   it (`virtio_poll_done`'s `queue_work`, `scmi_vio_channel_release`): lock-ordered.
/// - the broken flag: `virtio_break_device` sets it under the device's lock and the virtqueue
///   operations read it without a lock (virtio_ring.c); a read that misses a set that just
///   happened is the run in which the operation came before the break, which the model has.
/// - `wait_for_completion`/`complete` of `shutdown_done` (kernel/sched/completion.c: a full
///   ordering between them) only ends `chan_free`, after which nothing is modelled.
extension TransportModel {
    /// `chan_free`, racing the traffic.
    func shutdown() -> Process {
        // Done: chan_free waits in cleanup_sync for the last user (the step that releases it
        // completes shutdown_done); the implementation's code rests at that wait.
        counterparts.recorded.recordRest(process: "shutdown", at: ShutdownPC.done.rawValue,
                                         [Operation(.cleanupSync, .waitForCompletion(.shutdownDone))])
        return Process("shutdown", labels: ShutdownPC.self) { _ in
            step("shutdown", "break_device", from: ShutdownPC.idle, to: .cleanup, begins: [Operation(.chanFree, .virtqueue(.breakDevice))],
                 doc: "chan_free breaks the device: later virtqueue operations fail or find nothing.",
                 source: "virtio.c virtio_chan_free(): virtio_break_device()") {
                broken.value <- true
            }
            step("shutdown", "cleanup_sync", from: ShutdownPC.cleanup, to: .release, begins: [Operation(.cleanupSync, .lock(.channel))],
                 doc: "Under the channel lock: set shutdown_done and clear deferred_tx_wq, so the worker is never queued again.",
                 source: "virtio.c scmi_vio_channel_cleanup_sync(): spin_lock_irqsave(&vioch->lock); shutdown_done; deferred_tx_wq = NULL") {
                Guard(!channelLocked.value)
                Acquires(channelLocked.value)
                Releases(channelLocked.value)
                touchesChannel()
                shutdownBegun.value <- true
                txWorkQueue.value <- false
            }
            step("shutdown", "channel_release", from: ShutdownPC.release, to: .done, begins: [Operation(.cleanupSync, .channelRelease)],
                 doc: "Drop the channel's first reference and wait for the last user to drop theirs (the channel is torn down at zero).",
                 source: "virtio.c scmi_vio_channel_cleanup_sync(): scmi_vio_channel_release(); wait_for_completion(shutdown_done)") {
                releaseChannel()
            }
        }
    }

    // MARK: - The channel refcount

    /// Whether the channel is torn down: its users reached zero and `cinfo` is cleared.
    var tornDown: Expr { channelUsers.value == 0 }

    /// `scmi_vio_channel_acquire`: with the channel alive, one more user and `then`; torn down, `failed`.
    /// Just `then` without shutdown.
    func acquireChannel(@ActionBuilder then: () -> [ActionPart], @ActionBuilder failed: () -> [ActionPart]) -> [ActionPart] {
        guard configuration.shutdown else { return then() }
        return [If(tornDown) { failed() } else: {
            channelUsers.value <- channelUsers.value + 1
            then()
        }]
    }

    /// `scmi_vio_channel_acquire` where the step's guard already says the channel is alive: one
    /// more user. Nothing without shutdown.
    func takeChannelReference() -> [ActionPart] {
        guard configuration.shutdown else { return [] }
        return [channelUsers.value <- channelUsers.value + 1]
    }

    /// `scmi_vio_channel_release`: one user less. Nothing without shutdown. Every release pairs
    /// with an acquire, so the count never goes below zero (if it did, the value would leave
    /// its domain, an error the engines report loudly).
    func releaseChannel() -> [ActionPart] {
        guard configuration.shutdown else { return [] }
        return [channelUsers.value <- channelUsers.value - 1]
    }

    /// Sender `c`'s transport operation acquires the channel and remembers it holds a reference;
    /// when `released` holds, the same step gives it back (the two cancel out).
    func senderAcquiresChannel(_ c: Expr, unlessAlsoReleased released: Expr = false,
                               @ActionBuilder then: () -> [ActionPart], @ActionBuilder failed: () -> [ActionPart]) -> [ActionPart] {
        guard configuration.shutdown else { return then() }
        return [If(tornDown) { failed() } else: {
            If(!released) {
                channelUsers.value <- channelUsers.value + 1
                channelHeld[c] <- true
            }
            then()
        }]
    }

    /// Sender `c` gives back the channel reference its operation holds, if it holds one; `clearing`
    /// says whether this step clears the flag (``resetTransfer(_:)`` does at `xfer_put`).
    func senderReleasesChannel(_ c: Expr, clearing: Bool = true) -> [ActionPart] {
        guard configuration.shutdown else { return [] }
        return [If(channelHeld[c]) {
            releaseChannel()
            if clearing { channelHeld[c] <- false }
        }]
    }

    /// The step touches the virtqueue, a list or `cinfo`: a `shutdown-safety` violation once the
    /// channel is torn down.
    func touchesChannel() -> [ActionPart] {
        guard configuration.shutdown else { return [] }
        return [shutdownUnsafe.value <- shutdownUnsafe.value || tornDown]
    }

    /// The used ring as `get_buf` sees it: nothing on a broken device.
    var usedRingSeemsEmpty: Expr {
        configuration.shutdown ? usedRing.isEmpty || broken.value : usedRing.isEmpty
    }

    /// `virtqueue_poll(poll_idx)`: false on a broken device.
    func usedIndexMoved(_ m: Expr) -> Expr {
        configuration.shutdown ? pollMoved[m] && !broken.value : pollMoved[m]
    }

    /// `condition`, and with shutdown, `deferred_tx_wq` still set: when `queue_work` reaches the worker.
    func whileWorkQueueAlive(_ condition: Expr) -> Expr {
        configuration.shutdown ? condition && txWorkQueue.value : condition
    }
}
