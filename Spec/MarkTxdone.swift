import TransitionSystems
import Vocabulary

/// The transport's `virtio_mark_txdone` (drivers/firmware/arm_scmi/virtio.c): unbind
/// `priv` and give back a polled transfer's buffer, unless the device may still own it.
///
/// Without refcounts (v4, v4-proposal) the buffer goes back with `put_free_msg`; with
/// refcounts (upstream, fixed) the transfer's reference and, when no one else will, the
/// poll path's reference are released. Whether `mark_txdone` decides under `poll_lock`
/// before or after its first release, and what makes it release the poll path's reference,
/// are switches (``Switches/decidesBeforeReleasing``, ``Switches/secondReleaseOnlyWhenPollDone``).
extension TransportModel {
    @StepBuilder
    func markTxdone(_ c: Expr) -> [Step] {
        let m = msg[c]
        let s = switches
        let decideFirst = decidesFirst
        senderStep("mark_txdone_read_priv", from: .txRead, begins: Operation(.markTxdone, .read(.xferPriv)),
                   doc: "msg = xfer->priv; unbind it (xfer->priv = NULL).",
                   source: "virtio.c virtio_mark_txdone(): msg = xfer->priv; checks; smp_store_mb(xfer->priv, NULL)") {
            // With shutdown: scmi_vio_channel_acquire() (after the priv check with refcounts, first
            // without); torn down, mark_txdone returns with priv still bound. xfer_put releases it.
            if s.messageRefcount {
                If(priv[c] == buffer.none) {
                    Goto(SenderPC.put)
                } else: {
                    senderAcquiresChannel(c) {
                        takePriv(c)
                        If(polled[c]) { Goto(decideFirst ? SenderPC.txDecide : SenderPC.txRelease) } else: { Goto(SenderPC.put) }
                    } failed: {
                        Goto(SenderPC.put)
                    }
                }
            } else {
                senderAcquiresChannel(c) {
                    If(!polled[c] || priv[c] == buffer.none) {
                        Goto(SenderPC.put)
                    } else: {
                        takePriv(c)
                        if s.pollTimeoutState {
                            Goto(SenderPC.txDecide)
                        } else {
                            If(timedOut[c]) { Goto(SenderPC.put) } else: { Goto(SenderPC.txReset) }
                        }
                    }
                } failed: {
                    Goto(SenderPC.put)
                }
            }
        }
        if decideFirst {
            decideUnderPollLock(c)
            senderStep("mark_txdone_release", from: .txRelease, begins: releaseOperation(.markTxdone),
                       doc: "Release the transfer's reference; at zero the buffer is freed, else the poll path's goes too if decided.",
                       source: "fixed: if (scmi_vio_msg_release(vioch, msg)) done; else if (release_poll_ref) scmi_vio_msg_release(vioch, msg)") {
                touch(msgStale[c])
                release(m, zero: .txFree, otherwise: If(releaseBoth[c]) { Goto(SenderPC.txRelease2) } else: { Goto(SenderPC.put) })
            }
        } else if s.messageRefcount {
            senderStep("mark_txdone_release", from: .txRelease, begins: releaseOperation(.markTxdone),
                       doc: "Release the transfer's reference; at zero the buffer is freed.",
                       source: "virtio.c virtio_mark_txdone(): if (... || scmi_vio_msg_release(vioch, msg)) return") {
                touch(msgStale[c])
                release(m, zero: .txFree, otherwise: Goto(SenderPC.txDecide))
            }
        }
        if s.pollTimeoutState && !decideFirst { decideUnderPollLock(c) }
        if s.messageRefcount {
            senderStep("mark_txdone_release_poll_ref", from: .txRelease2, begins: releaseOperation(.markTxdone),
                       doc: "Release the poll path's reference; at zero the buffer is freed.",
                       source: "virtio.c virtio_mark_txdone(): scmi_vio_msg_release(vioch, msg) under poll_lock") {
                touch(msgStale[c])
                release(m, zero: .txFree, otherwise: Goto(SenderPC.put))
            }
        } else {
            senderStep("mark_txdone_reset_status", from: .txReset, to: .txFree,
                       begins: Operation(.markTxdone, .write(.pollStatus), via: .putFreeMsg),
                       doc: "put_free: reset the status before returning the buffer.",
                       source: "virtio.c scmi_virtio_put_free_msg(): msg->poll_status = VIO_MSG_NOT_POLLED") {
                touch(msgStale[c])
                status[m] <- polling("NOT_POLLED")
            }
        }
        senderStep("mark_txdone_free", from: .txFree, to: .put, begins: freeOperation(.markTxdone),
                   doc: "Return the buffer to the free list.",
                   source: "virtio.c scmi_virtio_put_free_msg() / scmi_vio_msg_release(): list_add_tail(&msg->list, &vioch->free_list) under free_lock") {
            touch(msgStale[c])
            touchesChannel()
            appendToFreeList(m, clearing: msg, of: c)
            msg[c] <- buffer.none
            msgStale[c] <- false
        }
    }

    /// Whether `mark_txdone` decides under `poll_lock` before its first release (fixed).
    var decidesFirst: Bool { switches.messageRefcount && switches.decidesBeforeReleasing }

    /// `msg = xfer->priv; xfer->priv = NULL`.
    func takePriv(_ c: Expr) -> [ActionPart] {
        [msg[c] <- priv[c], msgStale[c] <- privStale[c], priv[c] <- buffer.none]
    }

    /// Whether `mark_txdone` releases the poll path's reference too: upstream's "not timed out
    /// or POLL_DONE"; fixed's "POLL_DONE" (a poller dequeued it and does not release).
    func releasesPollReference(_ c: Expr) -> Expr {
        let pollDone = status[msg[c]] == polling("POLL_DONE")
        return switches.secondReleaseOnlyWhenPollDone ? pollDone : (!timedOut[c] || pollDone)
    }

    /// The decision under `msg->poll_lock`: release (or free) the poll path's reference, or
    /// mark a still POLLING buffer POLL_TIMEOUT so that whoever dequeues it gives it back.
    func decideUnderPollLock(_ c: Expr) -> Step {
        let m = msg[c]
        let s = switches
        let begins = s.pollLock ? Operation(.markTxdone, .lock(.poll)) : Operation(.markTxdone, .read(.pollStatus))
        if decidesFirst {
            return senderStep("mark_txdone_decide", from: .txDecide, to: .txRelease, begins: begins,
                              doc: "Under poll_lock, before releasing anything: POLL_DONE (a poller dequeued it) means both references go; a POLLING buffer becomes POLL_TIMEOUT and only the transfer's goes.",
                              source: "fixed: virtio_mark_txdone() decides under msg->poll_lock first, independent of ret") {
                touch(msgStale[c])
                If(releasesPollReference(c)) {
                    releaseBoth[c] <- true
                } else: {
                    If(status[m] == polling("POLLING")) { status[m] <- polling("POLL_TIMEOUT") }
                }
            }
        }
        return senderStep("mark_txdone_decide", from: .txDecide, begins: begins,
                          doc: "Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.",
                          source: "virtio.c virtio_mark_txdone(): spin_lock(&msg->poll_lock); if (ret != -ETIMEDOUT || poll_status == POLL_DONE) release/free; else if (POLLING) poll_status = POLL_TIMEOUT") {
            touch(msgStale[c])
            If(releasesPollReference(c)) {
                Goto(s.messageRefcount ? SenderPC.txRelease2 : SenderPC.txReset)
            } else: {
                if s.messageRefcount {
                    If(status[m] == polling("POLLING")) { status[m] <- polling("POLL_TIMEOUT") }
                } else {
                    status[m] <- polling("POLL_TIMEOUT")
                }
                msg[c] <- buffer.none
                msgStale[c] <- false
                Goto(SenderPC.put)
            }
        }
    }

    /// `scmi_vio_msg_release` on the sender: decrement `users`; at zero go to `zero` (which
    /// frees), else continue with `otherwise`. Releasing at zero records an underflow
    /// (refcount_t saturates and warns).
    func release(_ m: Expr, zero: SenderPC, otherwise: ActionPart) -> ActionPart {
        If(users[m] == 0) {
            underflow.value <- true
            otherwise
        } else: {
            users[m] <- users[m] - 1
            If(users[m] == 1) { Goto(zero) } else: { otherwise }
        }
    }

    /// Where a path's `scmi_vio_msg_release` begins.
    func releaseOperation(_ function: KernelFunction) -> Operation {
        Operation(function, .refcountDecAndTest(.messageUsers), via: .msgRelease)
    }

    /// Where a path's return of a buffer to the free list begins (`list_add_tail` under `free_lock`).
    func freeOperation(_ function: KernelFunction) -> Operation {
        Operation(function, .lock(.free), via: switches.messageRefcount ? .msgRelease : .putFreeMsg)
    }
}
