import TransitionSystems

extension TransportModel {
    /// The variables a completion path (the IRQ path or the worker) keeps for the buffer in hand.
    struct CompletionPath {
        /// The buffer it holds.
        let message: Variable
        /// Whether that buffer was released since it was taken (ghost).
        let stale: Variable
        /// The transfer its delivery acquired.
        let transfer: Variable
    }

    var irqPath: CompletionPath { CompletionPath(message: irqMsg, stale: irqStale, transfer: irqXfer) }
    var workerPath: CompletionPath { CompletionPath(message: workerMsg, stale: workerStale, transfer: workerXfer) }

    /// `complete_cb`'s body for one dequeued buffer: set `rx_len`, deliver it with `rx_callback`,
    /// then give it back (v4: put_free; upstream: release one reference). Labels get `prefix`;
    /// the path continues at `after` with its buffer dropped.
    @StepBuilder
    func dequeuedBufferSteps(_ path: CompletionPath, prefix: String, after: String) -> [Step] {
        let m = path.message.value
        Step("\(prefix)set_rx_len", from: "\(prefix)rx_len", to: "\(prefix)acquire",
             doc: "Record the reply's length.",
             source: "virtio.c scmi_vio_complete_cb(): msg->rx_len = length") {
            touch(path.stale.value)
            rxLenFresh[m] <- true
        }
        deliverySteps(path, prefix: prefix, after: after)
    }

    /// `scmi_rx_callback` → `scmi_handle_response` for the path's buffer, then giving the buffer back.
    @StepBuilder
    func deliverySteps(_ path: CompletionPath, prefix: String, after: String) -> [Step] {
        let b = behaviour
        let m = path.message.value
        let x = path.transfer.value
        let giveBack = b.messageRefcount ? "\(prefix)release" : "\(prefix)reset"
        Step("\(prefix)acquire_xfer", from: "\(prefix)acquire",
             doc: "Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.",
             source: "driver.c scmi_handle_response(): scmi_xfer_command_acquire(): token lookup, xfer->lock, SENT_OK -> RESP_OK") {
            touch(path.stale.value)
            If(requestOf[m] != cpu.none && state[requestOf[m]] == transferState["SENT_OK"]) {
                state[requestOf[m]] <- transferState["RESP_OK"]
                path.transfer.value <- requestOf[m]
                Goto("\(prefix)set_priv")
            } else: {
                Goto(giveBack)
            }
        }
        Step("\(prefix)set_xfer_priv", from: "\(prefix)set_priv", to: "\(prefix)fetch",
             doc: "Bind the buffer to the transfer: xfer->priv = msg.",
             source: "driver.c scmi_handle_response(): smp_store_mb(xfer->priv, priv)") {
            If(x != cpu.none) {
                priv[x] <- m
                privStale[x] <- path.stale.value
            }
        }
        Step("\(prefix)fetch_response", from: "\(prefix)fetch",
             doc: "Fetch the reply from xfer->priv into the transfer.",
             source: "driver.c scmi_handle_response(): info->desc->ops->fetch_response(cinfo, xfer); virtio.c virtio_fetch_response()") {
            If(x != cpu.none) {
                If(priv[x] != buffer.none) {
                    touch(privStale[x])
                    fetch(priv[x], into: x)
                }
            }
            Goto(b.coreClearsPrivAfterDelivery ? "\(prefix)clear_priv" : "\(prefix)complete")
        }
        if b.coreClearsPrivAfterDelivery {
            Step("\(prefix)clear_xfer_priv", from: "\(prefix)clear_priv", to: "\(prefix)complete",
                 doc: "v4's core unbinds the buffer right after fetching: xfer->priv = NULL.",
                 source: "driver.c scmi_handle_response() (v4 series): smp_store_mb(xfer->priv, NULL)") {
                If(x != cpu.none) { priv[x] <- buffer.none }
            }
        }
        Step("\(prefix)complete_xfer", from: "\(prefix)complete", to: giveBack,
             doc: "Complete xfer->done and drop the transfer reference.",
             source: "driver.c scmi_handle_response(): complete(&xfer->done); scmi_xfer_command_release()") {
            If(x != cpu.none) { done[x] <- true }
            path.transfer.value <- cpu.none
        }
        if b.messageRefcount {
            Step("\(prefix)release_msg", from: "\(prefix)release",
                 doc: "Release the path's reference; at zero the buffer is freed.",
                 source: "virtio.c scmi_finalize_message() -> scmi_vio_msg_release()") {
                touch(path.stale.value)
                If(users[m] == 0) {
                    underflow.value <- true
                    path.message.value <- buffer.none
                    path.stale.value <- false
                    Goto(after)
                } else: {
                    users[m] <- users[m] - 1
                    If(users[m] == 1) {
                        Goto("\(prefix)free")
                    } else: {
                        path.message.value <- buffer.none
                        path.stale.value <- false
                        Goto(after)
                    }
                }
            }
        } else {
            Step("\(prefix)reset_status", from: "\(prefix)reset", to: "\(prefix)free",
                 doc: "put_free: reset the status before returning the buffer.",
                 source: "virtio.c scmi_virtio_put_free_msg(): msg->poll_status = VIO_MSG_NOT_POLLED") {
                touch(path.stale.value)
                status[m] <- polling("NOT_POLLED")
            }
        }
        Step("\(prefix)free_msg", from: "\(prefix)free", to: after,
             doc: "Return the buffer to the free list.",
             source: "virtio.c scmi_virtio_put_free_msg() / scmi_vio_msg_release(): list_add_tail under free_lock") {
            touch(path.stale.value)
            appendToFreeList(m, clearing: (path.message, nil))
            path.message.value <- buffer.none
            path.stale.value <- false
        }
    }

    /// Labels of a path running `deliverySteps` (and `dequeuedBufferSteps`) with `prefix`.
    func deliveryLabels(_ prefix: String, withRxLen: Bool) -> [String] {
        var labels = withRxLen ? ["rx_len"] : []
        labels += ["acquire", "set_priv", "fetch", "clear_priv", "complete", "release", "reset", "free"]
        return labels.map { prefix + $0 }
    }

    /// The IRQ path: `scmi_vio_complete_cb`, one dequeued buffer per round; it may start whenever
    /// the used ring is not empty, and stops when it finds it empty.
    func irq() -> Process {
        let path = irqPath
        return Process("irq", labels: ["idle"] + deliveryLabels("", withRxLen: true)) { _ in
            Step("get_buf", from: "idle", to: "rx_len",
                 doc: "Under the channel lock, dequeue the next used buffer.",
                 source: "virtio.c scmi_vio_complete_cb(): spin_lock(&vioch->lock); virtqueue_get_buf()") {
                Guard(!usedRing.isEmpty && !channelLocked.value)
                path.message.value <- usedRing.head
                path.stale.value <- false
                usedRing.pop()
            }
            dequeuedBufferSteps(path, prefix: "", after: "idle")
        }
    }

    /// The deferred TX worker: drains the pending list under `pending_lock`, then runs `complete_cb` itself.
    func worker() -> Process {
        let b = behaviour
        let path = workerPath
        let m = path.message.value
        let labels = ["idle", "next", "check"] + deliveryLabels("p_", withRxLen: false)
            + ["cb_get"] + deliveryLabels("cb_", withRxLen: true)
        return Process("worker", labels: labels) { _ in
            Step("start", from: "idle", to: "next",
                 doc: "The queued work runs and takes pending_lock for the drain.",
                 source: "virtio.c scmi_vio_deferred_tx_worker(): spin_lock_irqsave(&vioch->pending_lock)") {
                Guard(workQueued.value && !pendingLocked.value)
                workQueued.value <- false
                pendingLocked.value <- true
            }
            Step("next_pending", from: "next",
                 doc: "Take the next pending buffer; with none left, drop pending_lock and run complete_cb.",
                 source: "virtio.c scmi_vio_deferred_tx_worker(): list_for_each_entry_safe(...) { list_del(&msg->list); ... }") {
                If(pendingList.isEmpty) {
                    pendingLocked.value <- false
                    Goto("cb_get")
                } else: {
                    path.message.value <- pendingList.head
                    path.stale.value <- false
                    pendingList.pop()
                    if b.workerDeliversOnlyNotPolled || b.pollTimeoutState { Goto("check") } else { Goto("p_acquire") }
                }
            }
            if b.workerDeliversOnlyNotPolled {
                Step("check_status", from: "check",
                     doc: "Deliver only a NOT_POLLED buffer; a timed-out polled one is only released.",
                     source: "virtio.c scmi_vio_deferred_tx_worker(): if (msg->poll_status == VIO_MSG_NOT_POLLED) scmi_rx_callback(...)") {
                    touch(path.stale.value)
                    If(status[m] == polling("NOT_POLLED")) { Goto("p_acquire") } else: { Goto("p_release") }
                }
            } else if b.pollTimeoutState {
                Step("check_status", from: "check",
                     doc: "A POLL_TIMEOUT buffer is freed without delivery; any other is delivered.",
                     source: "review reply (v4-proposal): the worker just frees timed-out buffers") {
                    touch(path.stale.value)
                    If(status[m] == polling("POLL_TIMEOUT")) { Goto("p_reset") } else: { Goto("p_acquire") }
                }
            }
            deliverySteps(path, prefix: "p_", after: "next")
            Step("complete_cb_get_buf", from: "cb_get",
                 doc: "complete_cb from the worker: dequeue the next used buffer, or stop when the ring is empty.",
                 source: "virtio.c scmi_vio_deferred_tx_worker(): scmi_vio_complete_cb(vioch->vqueue)") {
                Guard(!channelLocked.value)
                If(usedRing.isEmpty) {
                    Goto("idle")
                } else: {
                    path.message.value <- usedRing.head
                    path.stale.value <- false
                    usedRing.pop()
                    Goto("cb_rx_len")
                }
            }
            dequeuedBufferSteps(path, prefix: "cb_", after: "cb_get")
        }
    }

    /// The device: replies to any request it holds, in any order, at any time, or never.
    func device() -> Process {
        Process("device") { _ in
            Step("reply", Parameter("m", buffer),
                 doc: "Return a request with its reply on the used ring; the used index moves.",
                 source: "virtio device: writes the reply into msg->input, adds the buffer to the used ring") { m in
                Guard(inDevice[m] && usedRing.length.value < Expr.number(usedRing.capacity))
                inDevice[m] <- false
                usedRing.push(m)
                inputFresh[m] <- true
                for name in buffer.valueNames { pollMoved[buffer[name]] <- true }
            }
        }
    }

    /// The passing of each transfer's deadline, a free event while the transfer waits or polls.
    func timer(_ sender: Process) -> Process {
        let waiting = ["wait", "decide"] + Self.pollingLabels
        return Process("timer", over: cpu, named: "cpu") { c in
            Step("deadline_passes", doc: "The transfer's timeout expires.",
                 source: "driver.c: ktime_after(ktime_get(), stop) / wait_for_completion_timeout expiring") {
                Guard(!deadline[c] && .or(waiting.map { sender.at($0, c) }))
                deadline[c] <- true
            }
        }
    }
}
