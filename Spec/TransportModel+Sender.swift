import TransitionSystems

extension TransportModel {
    /// Program-counter labels of a sender, in the order a transfer visits them.
    static let senderLabels = [
        "idle", "get_free", "send", "wait",
        "pd_priv", "pd_status", "pd_poll", "pd_get", "pd_mark", "pd_rx_len", "pd_classify", "pd_mark_other",
        "pd_append", "pd_end", "loop_check", "decide", "fetch",
        "tx_read", "tx_decide", "tx_reset", "tx_release", "tx_release2", "tx_free", "put",
    ]

    /// Labels inside the core's polling loop (including the one `poll_done` after it).
    static let pollingLabels = [
        "pd_priv", "pd_status", "pd_poll", "pd_get", "pd_mark", "pd_rx_len", "pd_classify", "pd_mark_other",
        "pd_append", "pd_end", "loop_check",
    ]

    /// A sender: the SCMI core's `do_xfer` on one CPU, with the transport's `send_message`,
    /// `poll_done`, `fetch_response` and `mark_txdone`, transfer after transfer.
    func sender() -> Process {
        let b = behaviour
        let core = configuration.core
        return Process("sender", over: cpu, named: "cpu", labels: Self.senderLabels) { c in
                let m = msg[c]
            let n = next[c]

            // MARK: do_xfer: a new transfer

            Step("start", Parameter("polled", .boolean), from: "idle", to: "get_free",
                 doc: "A new transfer, polled or not, in state SENT_OK with a fresh token.",
                 source: "driver.c do_xfer(): xfer_get, hdr.poll_completion, xfer->state = SCMI_XFER_SENT_OK") { p in
                // Every other field of the transfer was reset when the previous one was released.
                polled[c] <- p
            }

            // MARK: send_message

            Step("get_free_msg", from: "get_free",
                 doc: "Take the head of the free list; with none free, the transfer fails with -EBUSY.",
                 source: "virtio.c virtio_send_message(): scmi_virtio_get_free_msg() under free_lock (upstream: then poll_status = NOT_POLLED, users = 1)") {
                If(freeList.isEmpty) {
                    Goto("put")
                } else: {
                    freeList.pop()
                    onFreeList[freeList.head] <- false
                    transferBuffer[c] <- freeList.head
                    msg[c] <- freeList.head
                    msgStale[c] <- false
                    if b.messageRefcount {
                        users[freeList.head] <- 1
                        status[freeList.head] <- polling("NOT_POLLED")
                    }
                    Goto("send")
                }
            }
            Step("send_message", from: "send",
                 doc: "Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.",
                 source: "virtio.c virtio_send_message(): spin_lock(vioch->lock) ... virtqueue_enable_cb_prepare, poll_status = POLLING, (upstream: scmi_vio_msg_acquire), xfer->priv = msg, virtqueue_add_sgs, spin_unlock") {
                Guard(!channelLocked.value)
                touch(msgStale[c])
                If(polled[c]) {
                    pollMoved[m] <- !usedRing.isEmpty
                    status[m] <- polling("POLLING")
                    priv[c] <- m
                    if b.messageRefcount { users[m] <- users[m] + 1 }
                    Goto("pd_priv")
                } else: {
                    Goto("wait")
                }
                inDevice[m] <- true
                requestOf[m] <- c
                inputFresh[m] <- false
                rxLenFresh[m] <- false
                msg[c] <- buffer.none
                msgStale[c] <- false
            }

            // MARK: non-polled: wait_for_completion_timeout

            Step("wait_for_completion", from: "wait", to: "tx_read",
                 doc: "The reply's completion, or the timeout.",
                 source: "driver.c scmi_wait_for_reply(): wait_for_completion_timeout(&xfer->done)") {
                Guard(done[c] || deadline[c])
                If(done[c]) { done[c] <- false } else: { timedOut[c] <- true }
            }

            // MARK: poll_done

            Step("poll_done_read_priv", from: "pd_priv",
                 doc: "msg = xfer->priv; no buffer bound means done.",
                 source: "virtio.c virtio_poll_done(): msg = xfer->priv; if (!msg) return true") {
                msg[c] <- priv[c]
                msgStale[c] <- privStale[c]
                found[c] <- false
                prefetched[c] <- false
                If(priv[c] == buffer.none) { returnFromPollDone(c, true) } else: { Goto("pd_status") }
            }
            Step("poll_done_check_status", from: "pd_status",
                 doc: "Unlocked read: another CPU's poller already marked the buffer POLL_DONE.",
                 source: "virtio.c virtio_poll_done(): if (msg->poll_status == VIO_MSG_POLL_DONE) return true") {
                touch(msgStale[c])
                If(status[m] == polling("POLL_DONE")) { returnFromPollDone(c, true) } else: { Goto("pd_poll") }
            }
            Step("poll_done_nothing_new", from: "pd_poll",
                 doc: "The used index has not moved since poll_idx: not yet.",
                 source: "virtio.c virtio_poll_done(): if (!virtqueue_poll(vq, msg->poll_idx)) return false") {
                Guard(!pollMoved[m])
                touch(msgStale[c])
                returnFromPollDone(c, false)
            }
            Step("poll_done_lock", from: "pd_poll", to: "pd_get",
                 doc: "The used index moved: take the channel lock to drain the used ring.",
                 source: "virtio.c virtio_poll_done(): virtqueue_poll() true; spin_lock_irqsave(&vioch->lock); virtqueue_disable_cb") {
                Guard(pollMoved[m] && !channelLocked.value)
                touch(msgStale[c])
                channelLocked.value <- true
            }
            Step("poll_done_get_buf", from: "pd_get",
                 doc: "Dequeue the next used buffer, or end the drain when the ring is empty.",
                 source: "virtio.c virtio_poll_done(): while ((next_msg = virtqueue_get_buf(vq, &length)))") {
                If(usedRing.isEmpty) {
                    Goto("pd_end")
                } else: {
                    n <- usedRing.head
                    nextStale[c] <- false
                    marked[c] <- false
                    usedRing.pop()
                    Goto(b.markBeforeRxLen ? "pd_mark" : "pd_rx_len")
                }
            }
            if b.messageRefcount {
                Step("poll_done_mark_done", from: "pd_mark",
                     doc: "Under next_msg's poll_lock: a POLLING buffer becomes POLL_DONE, and this call remembers it did it.",
                     source: "virtio.c virtio_poll_done(): spin_lock(&next_msg->poll_lock); if (POLLING) { POLL_DONE; next_msg_done = true }") {
                    touch(nextStale[c])
                    if b.markBeforeRxLen {
                        If(status[n] == polling("POLLING")) {
                            status[n] <- polling("POLL_DONE")
                            marked[c] <- true
                        }
                        Goto("pd_rx_len")
                    } else {
                        // rx_len is already set: decide here, on what this step marks.
                        If(status[n] == polling("POLLING")) { status[n] <- polling("POLL_DONE") }
                        dispatchDequeued(c, marked: status[n] == polling("POLLING"))
                    }
                }
            }
            Step("poll_done_set_rx_len", from: "pd_rx_len",
                 doc: "Record the reply's length in the dequeued buffer.",
                 source: "virtio.c virtio_poll_done(): next_msg->rx_len = length") {
                touch(nextStale[c])
                rxLenFresh[n] <- true
                if b.messageRefcount {
                    if b.markBeforeRxLen { dispatchDequeued(c, marked: marked[c]) } else { Goto("pd_mark") }
                } else if b.pollLockMarksEveryPolledBuffer {
                    Goto("pd_classify")
                } else {
                    If(n == m) {
                        found[c] <- true
                        n <- buffer.none
                nextStale[c] <- false
                marked[c] <- false
                        Goto("pd_end")
                    } else: {
                        Goto("pd_classify")
                    }
                }
            }
            pollDoneClassify(c)
            Step("poll_done_append_pending", from: "pd_append", to: "pd_get",
                 doc: "Hand the dequeued buffer to the deferred worker.",
                 source: "virtio.c virtio_poll_done(): any_prefetched++; spin_lock(&vioch->pending_lock); list_add_tail(&next_msg->list, &vioch->pending_cmds_list)") {
                Guard(!pendingLocked.value)
                touch(nextStale[c])
                pendingList.push(n)
                prefetched[c] <- true
                n <- buffer.none
                nextStale[c] <- false
                marked[c] <- false
            }
            Step("poll_done_finish", from: "pd_end",
                 doc: "Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.",
                 source: "virtio.c virtio_poll_done(): after the loop: virtqueue_enable_cb / virtqueue_enable_cb_prepare + virtqueue_poll; queue_work(deferred_tx_wq) if (any_prefetched || pending); spin_unlock") {
                If(!found[c]) {
                    touch(msgStale[c])
                    pollMoved[m] <- !usedRing.isEmpty
                }
                If(prefetched[c] || !usedRing.isEmpty) { workQueued.value <- true }
                channelLocked.value <- false
                found[c] <- false
                prefetched[c] <- false
                If(found[c]) { returnFromPollDone(c, true) } else: { returnFromPollDone(c, false) }
            }

            // MARK: the core's polling loop and its result

            Step("poll_loop_check", from: "loop_check",
                 doc: "poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.",
                 source: "driver.c scmi_xfer_done_no_timeout(): try_wait_for_completion(&xfer->done) || ktime_after(ktime_get(), stop)") {
                If(done[c]) {
                    done[c] <- false
                    if core == .y2022 { Goto("decide") } else { Goto("fetch") }
                } else: {
                    If(deadline[c]) {
                        if core == .y2022 {
                            Goto("decide")
                        } else {
                            finalPoll[c] <- true
                            Goto("pd_priv")
                        }
                    } else: {
                        Goto("pd_priv")
                    }
                }
            }
            if core == .y2022 {
                Step("decide_timeout", from: "decide",
                     doc: "2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.",
                     source: "driver.c scmi_wait_for_reply() (2022-2025): if (ktime_after(ktime_get(), stop)) ret = -ETIMEDOUT") {
                    If(deadline[c]) {
                        timedOut[c] <- true
                        Goto("tx_read")
                    } else: {
                        Goto("fetch")
                    }
                }
            }
            Step("fetch_response", from: "fetch", to: "tx_read",
                 doc: "Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.",
                 source: "driver.c scmi_wait_for_reply(): if (xfer->state == SCMI_XFER_SENT_OK) { fetch_response(); state = RESP_OK }; virtio.c virtio_fetch_response()") {
                If(state[c] == transferState["SENT_OK"]) {
                    If(priv[c] != buffer.none) {
                        touch(privStale[c])
                        fetch(priv[c], into: c)
                    }
                    state[c] <- transferState["RESP_OK"]
                }
            }

            // MARK: mark_txdone

            Step("mark_txdone_read_priv", from: "tx_read",
                 doc: "msg = xfer->priv; unbind it (xfer->priv = NULL).",
                 source: "virtio.c virtio_mark_txdone(): msg = xfer->priv; checks; smp_store_mb(xfer->priv, NULL)") {
                if b.messageRefcount {
                    If(priv[c] == buffer.none) {
                        Goto("put")
                    } else: {
                        msg[c] <- priv[c]
                        msgStale[c] <- privStale[c]
                        priv[c] <- buffer.none
                        If(polled[c]) { Goto(b.secondReleaseOnlyWhenPollDone ? "tx_decide" : "tx_release") } else: { Goto("put") }
                    }
                } else {
                    If(!polled[c] || priv[c] == buffer.none) {
                        Goto("put")
                    } else: {
                        msg[c] <- priv[c]
                        msgStale[c] <- privStale[c]
                        priv[c] <- buffer.none
                        if b.pollTimeoutState {
                            Goto("tx_decide")
                        } else {
                            If(timedOut[c]) { Goto("put") } else: { Goto("tx_reset") }
                        }
                    }
                }
            }
            if b.secondReleaseOnlyWhenPollDone {
                Step("mark_txdone_decide", from: "tx_decide", to: "tx_release",
                     doc: "Under poll_lock, before releasing anything: POLL_DONE (a poller dequeued it) means both references go; a POLLING buffer becomes POLL_TIMEOUT and only the transfer's goes.",
                     source: "fixed: virtio_mark_txdone() decides under msg->poll_lock first, independent of ret") {
                    touch(msgStale[c])
                    If(status[m] == polling("POLL_DONE")) {
                        releaseBoth[c] <- true
                    } else: {
                        If(status[m] == polling("POLLING")) { status[m] <- polling("POLL_TIMEOUT") }
                    }
                }
                Step("mark_txdone_release", from: "tx_release",
                     doc: "Release the transfer's reference; at zero the buffer is freed, else the poll path's goes too if decided.",
                     source: "fixed: if (scmi_vio_msg_release(vioch, msg)) done; else if (release_poll_ref) scmi_vio_msg_release(vioch, msg)") {
                    touch(msgStale[c])
                    release(m, zero: "tx_free", otherwise: If(releaseBoth[c]) { Goto("tx_release2") } else: { Goto("put") })
                }
            } else if b.messageRefcount {
                Step("mark_txdone_release", from: "tx_release",
                     doc: "Release the transfer's reference; at zero the buffer is freed.",
                     source: "virtio.c virtio_mark_txdone(): if (... || scmi_vio_msg_release(vioch, msg)) return") {
                    touch(msgStale[c])
                    release(m, zero: "tx_free", otherwise: "tx_decide")
                }
            }
            if b.pollTimeoutState && !b.secondReleaseOnlyWhenPollDone {
                Step("mark_txdone_decide", from: "tx_decide",
                     doc: "Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.",
                     source: "virtio.c virtio_mark_txdone(): spin_lock(&msg->poll_lock); if (ret != -ETIMEDOUT || poll_status == POLL_DONE) release/free; else if (POLLING) poll_status = POLL_TIMEOUT") {
                    touch(msgStale[c])
                    If(!timedOut[c] || status[m] == polling("POLL_DONE")) {
                        Goto(b.messageRefcount ? "tx_release2" : "tx_reset")
                    } else: {
                        if b.messageRefcount {
                            If(status[m] == polling("POLLING")) { status[m] <- polling("POLL_TIMEOUT") }
                        } else {
                            status[m] <- polling("POLL_TIMEOUT")
                        }
                        msg[c] <- buffer.none
                        msgStale[c] <- false
                        Goto("put")
                    }
                }
            }
            if b.messageRefcount {
                Step("mark_txdone_release_poll_ref", from: "tx_release2",
                     doc: "Release the poll path's reference; at zero the buffer is freed.",
                     source: "virtio.c virtio_mark_txdone(): scmi_vio_msg_release(vioch, msg) under poll_lock") {
                    touch(msgStale[c])
                    release(m, zero: "tx_free", otherwise: "put")
                }
            } else {
                Step("mark_txdone_reset_status", from: "tx_reset", to: "tx_free",
                     doc: "put_free: reset the status before returning the buffer.",
                     source: "virtio.c scmi_virtio_put_free_msg(): msg->poll_status = VIO_MSG_NOT_POLLED") {
                    touch(msgStale[c])
                    status[m] <- polling("NOT_POLLED")
                }
            }
            Step("mark_txdone_free", from: "tx_free", to: "put",
                 doc: "Return the buffer to the free list.",
                 source: "virtio.c scmi_virtio_put_free_msg() / scmi_vio_msg_release(): list_add_tail(&msg->list, &vioch->free_list) under free_lock") {
                touch(msgStale[c])
                appendToFreeList(m, clearing: (msg, c))
                msg[c] <- buffer.none
                msgStale[c] <- false
            }

            // MARK: the transfer is released

            Step("xfer_put", from: "put", to: "idle",
                 doc: "Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.",
                 source: "driver.c do_xfer() -> xfer_put(): __scmi_xfer_put(), token freed") {
                for name in buffer.valueNames {
                    If(requestOf[buffer[name]] == c) { requestOf[buffer[name]] <- cpu.none }
                }
                If(irqXfer.value == c) { irqXfer.value <- cpu.none }
                If(workerXfer.value == c) { workerXfer.value <- cpu.none }
                resetTransfer(c)
            }
        }
    }

    /// Puts every field of CPU `c`'s transfer and its paths' locals back to their initial values:
    /// the next transfer starts afresh, and states that differ only in dead values coincide.
    func resetTransfer(_ c: Expr) -> [ActionPart] {
        (behaviour.secondReleaseOnlyWhenPollDone ? [releaseBoth[c] <- false] : []) + [
            polled[c] <- false, state[c] <- transferState["SENT_OK"], done[c] <- false, deadline[c] <- false,
            priv[c] <- buffer.none, privStale[c] <- false, transferBuffer[c] <- buffer.none, timedOut[c] <- false,
            finalPoll[c] <- false, gotReply[c] <- false, msg[c] <- buffer.none, msgStale[c] <- false,
            next[c] <- buffer.none, nextStale[c] <- false, marked[c] <- false, found[c] <- false, prefetched[c] <- false,
        ]
    }

    /// Returns `result` from `poll_done` to the core: into the loop, or as the final check after it.
    func returnFromPollDone(_ c: Expr, _ result: Bool) -> ActionPart {
        let loopExit: [ActionPart]
        switch configuration.core {
        case .current:
            // A successful poll_done ends the loop; the core then calls poll_done once more.
            loopExit = [finalPoll[c] <- true, Goto("pd_priv")]
        case .described:
            loopExit = [Goto("fetch")]
        case .y2022:
            loopExit = [Goto("decide")]
        }
        return If(finalPoll[c]) {
            if result { Goto("fetch") } else {
                timedOut[c] <- true
                Goto("tx_read")
            }
        } else: {
            if result { loopExit } else { Goto("loop_check") }
        }
    }

    /// After a dequeued buffer is marked and its length set: the own buffer ends the drain,
    /// a buffer this call marked is left to its owner, any other is classified.
    func dispatchDequeued(_ c: Expr, marked markedByThisCall: Expr) -> ActionPart {
        If(next[c] == msg[c]) {
            found[c] <- true
            next[c] <- buffer.none
                    nextStale[c] <- false
                    marked[c] <- false
            Goto("pd_end")
        } else: {
            If(markedByThisCall) {
                next[c] <- buffer.none
                    nextStale[c] <- false
                    marked[c] <- false
                Goto("pd_get")
            } else: {
                Goto("pd_classify")
            }
        }
    }

    /// What poll_done does with a dequeued buffer that is not known to be its own.
    @StepBuilder
    func pollDoneClassify(_ c: Expr) -> [Step] {
        let n = next[c]
        if behaviour.messageRefcount {
            Step("poll_done_classify", from: "pd_classify",
                 doc: "Under next_msg's poll_lock: a NOT_POLLED or POLL_TIMEOUT buffer goes to the pending list; others are left.",
                 source: "virtio.c virtio_poll_done(): spin_lock(&next_msg->poll_lock); if (NOT_POLLED || POLL_TIMEOUT) -> pending") {
                touch(nextStale[c])
                If(status[n] == polling("NOT_POLLED") || status[n] == polling("POLL_TIMEOUT")) {
                    Goto("pd_append")
                } else: {
                    next[c] <- buffer.none
                    nextStale[c] <- false
                    marked[c] <- false
                    Goto("pd_get")
                }
            }
        } else if behaviour.pollLockMarksEveryPolledBuffer {
            Step("poll_done_classify", from: "pd_classify",
                 doc: "Under next_msg's poll_lock: the own buffer is marked POLL_DONE and found; NOT_POLLED or POLL_TIMEOUT goes to the pending list; another polled buffer is marked POLL_DONE.",
                 source: "review reply (v4-proposal): mark every dequeued polled message POLL_DONE; hand POLL_TIMEOUT ones to the worker") {
                touch(nextStale[c])
                If(n == msg[c]) {
                    // "Every polled message dequeued is marked POLL_DONE": the own buffer is marked
                    // if it is polled (POLLING), which it is unless a stale pointer names a reused one.
                    If(status[n] == polling("POLLING")) { status[n] <- polling("POLL_DONE") }
                    found[c] <- true
                    next[c] <- buffer.none
                    nextStale[c] <- false
                    marked[c] <- false
                    Goto("pd_end")
                } else: {
                    If(status[n] == polling("NOT_POLLED") || status[n] == polling("POLL_TIMEOUT")) {
                        Goto("pd_append")
                    } else: {
                        status[n] <- polling("POLL_DONE")
                        next[c] <- buffer.none
                    nextStale[c] <- false
                    marked[c] <- false
                        Goto("pd_get")
                    }
                }
            }
        } else {
            Step("poll_done_classify", from: "pd_classify",
                 doc: "Unlocked read: a NOT_POLLED buffer goes to the pending list; another CPU's polled buffer will be marked POLL_DONE.",
                 source: "virtio.c virtio_poll_done() (v4): if (next_msg->poll_status == VIO_MSG_NOT_POLLED) -> pending; else ...") {
                touch(nextStale[c])
                If(status[n] == polling("NOT_POLLED")) { Goto("pd_append") } else: { Goto("pd_mark_other") }
            }
            Step("poll_done_mark_other", from: "pd_mark_other", to: "pd_get",
                 doc: "Mark another CPU's polled buffer POLL_DONE and leave it to its owner.",
                 source: "virtio.c virtio_poll_done() (v4): smp_store_mb(next_msg->poll_status, VIO_MSG_POLL_DONE)") {
                touch(nextStale[c])
                status[n] <- polling("POLL_DONE")
                next[c] <- buffer.none
                    nextStale[c] <- false
                    marked[c] <- false
            }
        }
    }

    /// `scmi_vio_msg_release`: decrement `users`; at zero go to `zero` (which frees), else to `otherwise`.
    /// Releasing at zero records an underflow (refcount_t saturates and warns).
    func release(_ m: Expr, zero: String, otherwise: String) -> ActionPart {
        release(m, zero: zero, otherwise: Goto(otherwise))
    }

    /// `scmi_vio_msg_release` continuing with `otherwise` (any updates) when the count stays above zero.
    func release(_ m: Expr, zero: String, otherwise: ActionPart) -> ActionPart {
        If(users[m] == 0) {
            underflow.value <- true
            otherwise
        } else: {
            users[m] <- users[m] - 1
            If(users[m] == 1) { Goto(zero) } else: { otherwise }
        }
    }
}
