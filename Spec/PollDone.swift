import TransitionSystems
import Vocabulary

/// The transport's `virtio_poll_done` (drivers/firmware/arm_scmi/virtio.c): whether the
/// polled reply has arrived. Unlocked checks of `priv`, `poll_status` and `virtqueue_poll`,
/// then, under the channel lock, a drain of the used ring that marks, hands over or finds
/// each dequeued buffer, and the re-arm.
///
/// What a dequeued buffer goes through differs by variant; ``dequeuedBufferSteps(_:)``
/// chooses the one builder that applies.
extension TransportModel {
    @StepBuilder
    func pollDone(_ c: Expr) -> [Step] {
        let m = msg[c]
        let n = next[c]
        senderStep("poll_done_read_priv", from: .pdPriv, begins: Operation(.pollDone, .read(.xferPriv)),
                   doc: "msg = xfer->priv; no buffer bound means done.",
                   source: "virtio.c virtio_poll_done(): msg = xfer->priv; if (!msg) return true") {
            msg[c] <- priv[c]
            msgStale[c] <- privStale[c]
            found[c] <- false
            prefetched[c] <- false
            If(priv[c] == buffer.none) { returnFromPollDone(c, true) } else: { Goto(SenderPC.pdStatus) }
        }
        senderStep("poll_done_check_status", from: .pdStatus, begins: Operation(.pollDone, .read(.pollStatus)),
                   doc: "Unlocked read: another CPU's poller already marked the buffer POLL_DONE.",
                   source: "virtio.c virtio_poll_done(): if (msg->poll_status == VIO_MSG_POLL_DONE) return true") {
            // virtio.c virtio_poll_done(): a plain read, no poll_lock (upstream); fixed reads it with
            // smp_load_acquire (Spec/Litmus/poll-done-rx-len-release-acquire.litmus, reader side).
            if switches.acquireOnPollDoneCheck { Acquires(status[m]) }
            touch(msgStale[c])
            If(status[m] == polling("POLL_DONE")) {
                returnFromPollDone(c, true)
            } else: {
                // With shutdown: scmi_vio_channel_acquire() next. Torn down, upstream's poll_done says
                // "done" (and the core fetches a reply that never came); fixed says "not yet", and the
                // loop ends at its deadline (Switches.pollDoneNotYetAfterTeardown).
                senderAcquiresChannel(c) { Goto(SenderPC.pdPoll) } failed: {
                    returnFromPollDone(c, !switches.pollDoneNotYetAfterTeardown)
                }
            }
        }
        senderStep("poll_done_nothing_new", from: .pdPoll, begins: Operation(.pollDone, .virtqueue(.poll)),
                   doc: "The used index has not moved since poll_idx: not yet.",
                   source: "virtio.c virtio_poll_done(): if (!virtqueue_poll(vq, msg->poll_idx)) return false") {
            Guard(!usedIndexMoved(m))
            // virtio_ring.c virtqueue_poll(): a full barrier, left out (TransportModel.weakMemory).
            touch(msgStale[c])
            touchesChannel()
            senderReleasesChannel(c)
            returnFromPollDone(c, false)
        }
        senderStep("poll_done_lock", from: .pdPoll, to: .pdGet, begins: Operation(.pollDone, .virtqueue(.poll)),
                   doc: "The used index moved: take the channel lock to drain the used ring.",
                   source: "virtio.c virtio_poll_done(): virtqueue_poll() true; spin_lock_irqsave(&vioch->lock); virtqueue_disable_cb") {
            Guard(usedIndexMoved(m) && !channelLocked.value)
            Acquires(channelLocked.value)
            touch(msgStale[c])
            touchesChannel()
            channelLocked.value <- true
        }
        senderStep("poll_done_get_buf", from: .pdGet, begins: Operation(.pollDone, .virtqueue(.getBuf)),
                   doc: "Dequeue the next used buffer, or end the drain when the ring is empty.",
                   source: "virtio.c virtio_poll_done(): while ((next_msg = virtqueue_get_buf(vq, &length)))") {
            touchesChannel()
            If(usedRingSeemsEmpty) {
                Goto(SenderPC.pdEnd)
            } else: {
                n <- usedRing.head
                nextStale[c] <- false
                marked[c] <- false
                usedRing.pop()
                Goto(marksBeforeRxLen ? SenderPC.pdMark : SenderPC.pdRxLen)
            }
        }
        dequeuedBufferSteps(c)
        senderStep("poll_done_append_pending", from: .pdAppend, to: .pdGet, begins: Operation(.pollDone, .lock(.pending)),
                   doc: "Hand the dequeued buffer to the deferred worker.",
                   source: "virtio.c virtio_poll_done(): any_prefetched++; spin_lock(&vioch->pending_lock); list_add_tail(&next_msg->list, &vioch->pending_cmds_list)") {
            Guard(!pendingLocked.value)
            // spin_lock(&vioch->pending_lock); list_add_tail; spin_unlock.
            Acquires(pendingLocked.value)
            Releases(pendingLocked.value)
            touch(nextStale[c])
            touchesChannel()
            pendingList.push(n)
            prefetched[c] <- true
            dropNext(c)
        }
        senderStep("poll_done_finish", from: .pdEnd,
                   begins: Operation(.pollDone, .virtqueue(.enableCb)), Operation(.pollDone, .virtqueue(.enableCbPrepare)),
                   doc: "Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.",
                   source: "virtio.c virtio_poll_done(): after the loop: virtqueue_enable_cb / virtqueue_enable_cb_prepare + virtqueue_poll; queue_work(deferred_tx_wq) if (any_prefetched || pending); spin_unlock") {
            touchesChannel()
            If(!found[c]) {
                touch(msgStale[c])
                pollMoved[m] <- !usedRingSeemsEmpty
            }
            // queue_work() only while deferred_tx_wq is set (cleanup_sync clears it).
            If(whileWorkQueueAlive(prefetched[c] || !usedRingSeemsEmpty)) { workQueued.value <- true }
            // spin_unlock_irqrestore(&vioch->lock), then scmi_vio_channel_release().
            Releases(channelLocked.value)
            channelLocked.value <- false
            senderReleasesChannel(c)
            found[c] <- false
            prefetched[c] <- false
            If(found[c]) { returnFromPollDone(c, true) } else: { returnFromPollDone(c, false) }
        }
    }

    /// Upstream's order: mark POLL_DONE under `poll_lock` first, write `rx_len` after.
    var marksBeforeRxLen: Bool { switches.messageRefcount && !switches.rxLenBeforePollDone }

    /// `poll_done` lets go of `next_msg`.
    func dropNext(_ c: Expr) -> [ActionPart] {
        [next[c] <- buffer.none, nextStale[c] <- false, marked[c] <- false]
    }

    /// What happens to a buffer the drain dequeued: the one place that picks the variant's way.
    @StepBuilder
    func dequeuedBufferSteps(_ c: Expr) -> [Step] {
        if switches.messageRefcount {
            dequeuedWithRefcounts(c)
        } else if switches.marksOwnBufferPollDone {
            dequeuedMarkingEveryPolledBuffer(c)
        } else {
            dequeuedMarkingOtherCPUsBuffers(c)
        }
    }

    // MARK: - upstream, fixed: mark under poll_lock, classify under poll_lock

    @StepBuilder
    func dequeuedWithRefcounts(_ c: Expr) -> [Step] {
        let n = next[c]
        let markFirst = marksBeforeRxLen
        senderStep("poll_done_mark_done", from: .pdMark, begins: Operation(.pollDone, .lock(.poll)),
                   doc: "Under next_msg's poll_lock: a POLLING buffer becomes POLL_DONE, and this call remembers it did it.",
                   source: "virtio.c virtio_poll_done(): spin_lock(&next_msg->poll_lock); if (POLLING) { POLL_DONE; next_msg_done = true }") {
            // A plain write under poll_lock (upstream); fixed writes it with smp_store_release after
            // rx_len (Spec/Litmus/poll-done-rx-len-release-acquire.litmus, writer side).
            if switches.releaseOnPollDoneMark { Releases(status[n]) }
            touch(nextStale[c])
            if markFirst {
                If(status[n] == polling("POLLING")) {
                    status[n] <- polling("POLL_DONE")
                    marked[c] <- true
                }
                Goto(SenderPC.pdRxLen)
            } else {
                // rx_len is already set: decide here, on what this step marks.
                If(status[n] == polling("POLLING")) { status[n] <- polling("POLL_DONE") }
                dispatchDequeued(c, marked: status[n] == polling("POLLING"))
            }
        }
        setRxLen(c) {
            if markFirst { dispatchDequeued(c, marked: marked[c]) } else { Goto(SenderPC.pdMark) }
        }
        senderStep("poll_done_classify", from: .pdClassify, begins: Operation(.pollDone, .lock(.poll)),
                   doc: "Under next_msg's poll_lock: a NOT_POLLED or POLL_TIMEOUT buffer goes to the pending list; others are left.",
                   source: "virtio.c virtio_poll_done(): spin_lock(&next_msg->poll_lock); if (NOT_POLLED || POLL_TIMEOUT) -> pending") {
            touch(nextStale[c])
            If(status[n] == polling("NOT_POLLED") || status[n] == polling("POLL_TIMEOUT")) {
                Goto(SenderPC.pdAppend)
            } else: {
                dropNext(c)
                Goto(SenderPC.pdGet)
            }
        }
    }

    /// After a dequeued buffer is marked and its length set: the own buffer ends the drain,
    /// a buffer this call marked is left to its owner, any other is classified.
    func dispatchDequeued(_ c: Expr, marked markedByThisCall: Expr) -> ActionPart {
        If(next[c] == msg[c]) {
            found[c] <- true
            dropNext(c)
            Goto(SenderPC.pdEnd)
        } else: {
            If(markedByThisCall) {
                dropNext(c)
                Goto(SenderPC.pdGet)
            } else: {
                Goto(SenderPC.pdClassify)
            }
        }
    }

    /// `next_msg->rx_len = length`, then `then`.
    func setRxLen(_ c: Expr, @ActionBuilder then: () -> [ActionPart]) -> Step {
        senderStep("poll_done_set_rx_len", from: .pdRxLen, begins: Operation(.pollDone, .write(.rxLen)),
                   doc: "Record the reply's length in the dequeued buffer.",
                   source: "virtio.c virtio_poll_done(): next_msg->rx_len = length") {
            // virtio.c virtio_poll_done() / scmi_vio_complete_cb(): a plain store.
            Writes(rxLenFresh, .plain)
            touch(nextStale[c])
            rxLenFresh[next[c]] <- true
            then()
        }
    }

    // MARK: - v4-proposal: every polled buffer marked POLL_DONE under poll_lock

    @StepBuilder
    func dequeuedMarkingEveryPolledBuffer(_ c: Expr) -> [Step] {
        let n = next[c]
        setRxLen(c) { Goto(SenderPC.pdClassify) }
        senderStep("poll_done_classify", from: .pdClassify, begins: Operation(.pollDone, .lock(.poll)),
                   doc: "Under next_msg's poll_lock: the own buffer is marked POLL_DONE and found; NOT_POLLED or POLL_TIMEOUT goes to the pending list; another polled buffer is marked POLL_DONE.",
                   source: "review reply (v4-proposal): mark every dequeued polled message POLL_DONE; hand POLL_TIMEOUT ones to the worker") {
            touch(nextStale[c])
            If(n == msg[c]) {
                // "Every polled message dequeued is marked POLL_DONE": the own buffer is marked
                // if it is polled (POLLING), which it is unless a stale pointer names a reused one.
                If(status[n] == polling("POLLING")) { status[n] <- polling("POLL_DONE") }
                found[c] <- true
                dropNext(c)
                Goto(SenderPC.pdEnd)
            } else: {
                If(status[n] == polling("NOT_POLLED") || status[n] == polling("POLL_TIMEOUT")) {
                    Goto(SenderPC.pdAppend)
                } else: {
                    status[n] <- polling("POLL_DONE")
                    dropNext(c)
                    Goto(SenderPC.pdGet)
                }
            }
        }
    }

    // MARK: - v4: other CPUs' buffers marked POLL_DONE, unlocked

    @StepBuilder
    func dequeuedMarkingOtherCPUsBuffers(_ c: Expr) -> [Step] {
        let n = next[c]
        setRxLen(c) {
            If(n == msg[c]) {
                found[c] <- true
                dropNext(c)
                Goto(SenderPC.pdEnd)
            } else: {
                Goto(SenderPC.pdClassify)
            }
        }
        senderStep("poll_done_classify", from: .pdClassify, begins: Operation(.pollDone, .read(.pollStatus)),
                   doc: "Unlocked read: a NOT_POLLED buffer goes to the pending list; another CPU's polled buffer will be marked POLL_DONE.",
                   source: "virtio.c virtio_poll_done() (v4): if (next_msg->poll_status == VIO_MSG_NOT_POLLED) -> pending; else ...") {
            touch(nextStale[c])
            If(status[n] == polling("NOT_POLLED")) { Goto(SenderPC.pdAppend) } else: { Goto(SenderPC.pdMarkOther) }
        }
        senderStep("poll_done_mark_other", from: .pdMarkOther, to: .pdGet, begins: Operation(.pollDone, .write(.pollStatus)),
                   doc: "Mark another CPU's polled buffer POLL_DONE and leave it to its owner.",
                   source: "virtio.c virtio_poll_done() (v4): smp_store_mb(next_msg->poll_status, VIO_MSG_POLL_DONE)") {
            touch(nextStale[c])
            status[n] <- polling("POLL_DONE")
            dropNext(c)
        }
    }
}
