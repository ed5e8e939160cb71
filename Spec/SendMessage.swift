import TransitionSystems
import Vocabulary

/// The transport's `virtio_send_message` (drivers/firmware/arm_scmi/virtio.c): a buffer
/// from the free list, then, under the channel lock, the polling snapshot, `priv` and the
/// buffer published to the device.
extension TransportModel {
    @StepBuilder
    func sendMessage(_ c: Expr) -> [Step] {
        let m = msg[c]
        senderStep("get_free_msg", from: .getFree, begins: Operation(.sendMessage, .lock(.free), via: .getFreeMsg),
                   doc: "Take the head of the free list; with none free, the transfer fails with -EBUSY.",
                   source: "virtio.c virtio_send_message(): scmi_virtio_get_free_msg() under free_lock (upstream: then poll_status = NOT_POLLED, users = 1)") {
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
            If(polled[c]) {
                pollMoved[m] <- !usedRing.isEmpty
                status[m] <- polling("POLLING")
                priv[c] <- m
                if switches.messageRefcount { users[m] <- users[m] + 1 }
                Goto(SenderPC.pdPriv)
            } else: {
                Goto(SenderPC.wait)
            }
            inDevice[m] <- true
            requestOf[m] <- c
            inputFresh[m] <- false
            rxLenFresh[m] <- false
            msg[c] <- buffer.none
            msgStale[c] <- false
        }
    }
}
