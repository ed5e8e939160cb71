import TransitionSystems
import Vocabulary

/// The transport's `virtio_send_message` (drivers/firmware/arm_scmi/virtio.c): a buffer
/// from the free list, then, under the channel lock, the polling snapshot, `priv` and the
/// buffer published to the device.
extension TransportModel {
    @StepBuilder
    func sendMessage(_ c: Expr) -> [Step] {
        let m = msg[c]
        senderStep("get_free_msg", from: .getFree, begins: Operation(.sendMessage, .channelAcquire),
                   doc: "Take the head of the free list; with none free, the transfer fails with -EBUSY.",
                   source: "virtio.c virtio_send_message(): scmi_virtio_get_free_msg() under free_lock (upstream: then poll_status = NOT_POLLED, users = 1)") {
            // With shutdown: scmi_vio_channel_acquire() first; torn down, the transfer fails with -EINVAL.
            // With no buffer free the release follows at once (-EBUSY): the two cancel out.
            senderAcquiresChannel(c, unlessAlsoReleased: freeList.isEmpty) {
                touchesChannel()
                If(freeList.isEmpty) {
                    Goto(SenderPC.put)
                } else: {
                    freeList.pop()
                    onFreeList[freeList.head] <- false
                    transferBuffer[c] <- freeList.head
                    msg[c] <- freeList.head
                    msgStale[c] <- false
                    if switches.messageRefcount {
                        users[freeList.head] <- 1
                        status[freeList.head] <- polling("NOT_POLLED")
                    }
                    Goto(SenderPC.send)
                }
            } failed: {
                Goto(SenderPC.put)
            }
        }
        senderStep("send_message", from: .send, begins: Operation(.sendMessage, .txPrepare),
                   doc: "Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.",
                   source: "virtio.c virtio_send_message(): spin_lock(vioch->lock) ... virtqueue_enable_cb_prepare, poll_status = POLLING, (upstream: scmi_vio_msg_acquire), xfer->priv = msg, virtqueue_add_sgs, spin_unlock") {
            Guard(!channelLocked.value)
            // virtio.c virtio_send_message(): spin_lock_irqsave(&vioch->lock) ... spin_unlock_irqrestore,
            // with smp_store_mb(xfer->priv, msg) inside for a polled transfer (its fence left out).
            Acquires(channelLocked.value)
            Releases(channelLocked.value)
            // Ghost: the new request makes every earlier length stale.
            GhostReset(rxLenFresh[m], to: false)
            touch(msgStale[c])
            touchesChannel()
            If(polled[c]) {
                pollMoved[m] <- !usedRing.isEmpty
                status[m] <- polling("POLLING")
                priv[c] <- m
                // Ghost: a fresh pointer (with --tokens a misdelivered late reply may have bound a
                // buffer to this transfer before its send; without, priv is unbound and this is false already).
                privStale[c] <- false
                if switches.messageRefcount { users[m] <- users[m] + 1 }
            }
            if configuration.shutdown {
                // virtqueue_add_sgs() fails on a broken device: unwind after the unlock.
                If(broken.value) {
                    Goto(SenderPC.sendUnbind)
                } else: {
                    published(c)
                    senderReleasesChannel(c)
                }
            } else {
                published(c)
            }
        }
        if configuration.shutdown { addSgsFailed(c) }
    }

    /// `add_sgs` succeeded: the device owns the buffer; a polled transfer polls, another waits.
    func published(_ c: Expr) -> [ActionPart] {
        let m = msg[c]
        return [
            If(polled[c]) { Goto(SenderPC.pdPriv) } else: { Goto(SenderPC.wait) },
            inDevice[m] <- true,
            requestOf[m] <- c,
            inputFresh[m] <- false,
            rxLenFresh[m] <- false,
            msg[c] <- buffer.none,
            msgStale[c] <- false,
        ] + stampToken(m, of: c)
    }

    /// `send_message` after a failed `add_sgs` (a broken device): unbind `priv` after the unlock,
    /// then give the buffer back (with refcounts, one release, two for a polled transfer), release
    /// the channel, and fail the transfer.
    @StepBuilder
    func addSgsFailed(_ c: Expr) -> [Step] {
        let m = msg[c]
        senderStep("send_message_unbind", from: .sendUnbind, begins: Operation(.sendMessage, .clear(.xferPriv)),
                   doc: "add_sgs failed: after the unlock, unbind the buffer from the transfer.",
                   source: "virtio.c virtio_send_message(): if (rc) { xfer->priv = NULL; ... }") {
            priv[c] <- buffer.none
            privStale[c] <- false
            Goto(switches.messageRefcount ? SenderPC.sendRelease : SenderPC.sendFree)
        }
        if switches.messageRefcount {
            senderStep("send_message_release", from: .sendRelease, begins: releaseOperation(.sendMessage),
                       doc: "Release the buffer: twice for a polled transfer (its poll reference and its own), once otherwise; at zero it is freed.",
                       source: "virtio.c virtio_send_message(): scmi_vio_msg_release() for the poll reference, then for the sender's") {
                // Nobody else can hold the buffer (the device never had it): release until it is freed.
                touch(msgStale[c])
                release(m, zero: .sendFree, otherwise: Goto(SenderPC.sendRelease))
            }
        }
        // Without refcounts put_free_msg resets the status first, in this step.
        let freeBegins = switches.messageRefcount ? freeOperation(.sendMessage) : Operation(.sendMessage, .write(.pollStatus), via: .putFreeMsg)
        senderStep("send_message_free", from: .sendFree, to: .put, begins: freeBegins,
                   doc: "Return the buffer to the free list (without refcounts: put_free_msg, status NOT_POLLED first), release the channel; the transfer fails.",
                   source: "virtio.c virtio_send_message(): scmi_vio_msg_release() / scmi_virtio_put_free_msg(); scmi_vio_channel_release()") {
            touch(msgStale[c])
            touchesChannel()
            if !switches.messageRefcount { status[m] <- polling("NOT_POLLED") }
            appendToFreeList(m, clearing: msg, of: c)
            msg[c] <- buffer.none
            msgStale[c] <- false
            senderReleasesChannel(c)
        }
    }
}
