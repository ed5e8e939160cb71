import TransitionSystems
import Vocabulary

/// The SCMI core's `do_xfer` on one CPU (drivers/firmware/arm_scmi/driver.c): a new
/// transfer, the wait for its reply (`scmi_wait_for_reply`, with the polling loop and the
/// result decision of the configured core), the core's `fetch_response`, and the release
/// of the transfer. The transport operations it calls have files of their own.
extension TransportModel {
    /// A sender: `do_xfer` on one CPU, with the transport's `send_message`, `poll_done`,
    /// `fetch_response` and `mark_txdone`, transfer after transfer.
    func sender() -> Process {
        Process("sender", over: cpu, named: "cpu", labels: SenderPC.self) { c in
            newTransfer(c)
            sendMessage(c)
            waitForCompletion(c)
            pollDone(c)
            pollLoopAndDecision(c)
            markTxdone(c)
            transferPut(c)
        }
    }

    func senderStep(_ name: String, from: SenderPC, to: SenderPC? = nil, begins: Operation..., doc: String,
                    source: String, @ActionBuilder _ body: () -> [ActionPart]) -> Step {
        step("sender", name, from: from, to: to, begins: begins, doc: doc, source: source, body)
    }

    // MARK: - A new transfer

    func newTransfer(_ c: Expr) -> Step {
        counterparts.recorded.record(process: "sender", action: "start", from: SenderPC.idle.rawValue,
                                     .code(begins: [Operation(.xferGetInit, .lock(.xferTable))]))
        return Step("start", Parameter("polled", .boolean), from: SenderPC.idle,
                    doc: "A new transfer, polled or not, in state SENT_OK with a fresh token.",
                    source: "driver.c do_xfer(): xfer_get, hdr.poll_completion, xfer->state = SCMI_XFER_SENT_OK") { p in
            // driver.c do_xfer(): smp_mb() before send_message; a fence left out (TransportModel.weakMemory).
            // Every other field of the transfer was reset when the previous one was released.
            // driver.c xfer_get(): scmi_xfer_token_set(), with --tokens; with every token taken
            // xfer_get fails and there is no transfer.
            allocateToken(c) {
                polled[c] <- p
                Goto(SenderPC.getFree)
            } exhausted: {
                Goto(SenderPC.idle)
            }
        }
    }

    // MARK: - Non-polled: wait_for_completion_timeout

    func waitForCompletion(_ c: Expr) -> Step {
        senderStep("wait_for_completion", from: .wait, to: .txRead, begins: Operation(.waitForReply, .waitForCompletionTimeout),
                   doc: "The reply's completion, or the timeout.",
                   source: "driver.c scmi_wait_for_reply(): wait_for_completion_timeout(&xfer->done)") {
            Guard(done[c] || deadline[c])
            // kernel/sched/completion.c: a successful wait is ordered after complete(); xfer->done is
            // no synchronisation object here (TransportModel.weakMemory).
            If(done[c]) { done[c] <- false } else: { timedOut[c] <- true }
        }
    }

    // MARK: - The core's polling loop and its result

    @StepBuilder
    func pollLoopAndDecision(_ c: Expr) -> [Step] {
        let core = configuration.core
        senderStep("poll_loop_check", from: .loopCheck, begins: Operation(.pollLoop, .tryWaitForCompletion),
                   doc: "poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.",
                   source: "driver.c scmi_xfer_done_no_timeout(): try_wait_for_completion(&xfer->done) || ktime_after(ktime_get(), stop)") {
            // try_wait_for_completion() and ktime_get(): their orderings are left out (TransportModel.weakMemory).
            If(done[c]) {
                done[c] <- false
                if core.decidesByDeadline { Goto(SenderPC.decide) } else { Goto(SenderPC.fetch) }
            } else: {
                If(deadline[c]) {
                    if core.decidesByDeadline {
                        Goto(SenderPC.decide)
                    } else {
                        finalPoll[c] <- true
                        Goto(SenderPC.pdPriv)
                    }
                } else: {
                    Goto(SenderPC.pdPriv)
                }
            }
        }
        if core.decidesByDeadline {
            senderStep("decide_timeout", from: .decide, begins: Operation(.waitForReply, .deadlineCheck),
                       doc: "2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.",
                       source: "driver.c scmi_wait_for_reply() (2022-2025): if (ktime_after(ktime_get(), stop)) ret = -ETIMEDOUT") {
                // ktime_get() (kernel/time/timekeeping.c) reads tk_core.seq with read_seqcount_begin(),
                // whose smp_rmb() (include/linux/seqlock.h) orders the loop's reads before fetch_response's.
                Barrier(.rmb)
                If(deadline[c]) {
                    timedOut[c] <- true
                    Goto(SenderPC.txRead)
                } else: {
                    Goto(SenderPC.fetch)
                }
            }
        }
        senderStep("fetch_response", from: .fetch, to: .txRead, begins: Operation(.waitForReply, .lock(.transfer)),
                   doc: "Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.",
                   source: "driver.c scmi_wait_for_reply(): if (xfer->state == SCMI_XFER_SENT_OK) { fetch_response(); state = RESP_OK }; virtio.c virtio_fetch_response()") {
            Reads(rxLenFresh, .plain)
            If(state[c] == transferState["SENT_OK"]) {
                If(priv[c] != buffer.none) {
                    touch(privStale[c])
                    fetch(priv[c], into: c)
                }
                state[c] <- transferState["RESP_OK"]
            }
        }
    }

    /// Returns `result` from `poll_done` to the core: into the loop, or as the final check after it.
    func returnFromPollDone(_ c: Expr, _ result: Bool) -> ActionPart {
        let loopExit: [ActionPart]
        switch configuration.core {
        case .current:
            // A successful poll_done ends the loop; the core then calls poll_done once more.
            loopExit = [finalPoll[c] <- true, Goto(SenderPC.pdPriv)]
        case .described:
            loopExit = [Goto(SenderPC.fetch)]
        case .y2022:
            loopExit = [Goto(SenderPC.decide)]
        }
        return If(finalPoll[c]) {
            if result { Goto(SenderPC.fetch) } else {
                timedOut[c] <- true
                Goto(SenderPC.txRead)
            }
        } else: {
            if result { loopExit } else { Goto(SenderPC.loopCheck) }
        }
    }

    // MARK: - The transfer is released

    func transferPut(_ c: Expr) -> Step {
        // mark_txdone's scmi_vio_channel_release() as it returns belongs to this step.
        senderStep("xfer_put", from: .put, to: .idle, begins: Operation(.xferPut, .lock(.xferTable)), Operation(.markTxdone, .channelRelease),
                   doc: "Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.",
                   source: "driver.c do_xfer() -> xfer_put(): __scmi_xfer_put(), token freed") {
            for name in buffer.valueNames {
                If(requestOf[buffer[name]] == c) { requestOf[buffer[name]] <- cpu.none }
            }
            If(irqXfer.value == c) { irqXfer.value <- cpu.none }
            If(workerXfer.value == c) { workerXfer.value <- cpu.none }
            // With shutdown: the channel reference mark_txdone took, released as it returns.
            senderReleasesChannel(c, clearing: false)
            // driver.c __scmi_xfer_put(): the token is free again, replied to or not.
            freeToken(c)
            resetTransfer(c)
        }
    }
}
