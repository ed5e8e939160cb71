import TransitionSystems
import Vocabulary

/// The virtqueue callback `scmi_vio_complete_cb` (drivers/firmware/arm_scmi/virtio.c) and the
/// delivery it makes through the core (`scmi_rx_callback` → `scmi_handle_response` in
/// driver.c), run by the IRQ path and, from the deferred worker, by the worker.
extension TransportModel {
    /// The variables and labels of one path that delivers buffers (the IRQ path, or the worker
    /// in its drain or in its own `complete_cb`), and the kernel function its code is in.
    struct DeliveryPath<L: ProgramCounter> {
        let process: String
        /// What the path's action names start with (`""`, `p_`, `cb_`).
        let prefix: String
        /// The buffer it holds, its ghost "released since" flag, and the transfer its delivery acquired.
        let message: Variable
        let stale: Variable
        let transfer: Variable
        /// The function whose code hands the buffer back (`complete_cb`, `deferred_tx_worker`).
        let function: KernelFunction
        let rxLen: L?
        let acquire: L
        let setPriv: L
        let fetch: L
        let clearPriv: L
        let complete: L
        let release: L
        let reset: L
        let free: L
        /// Where the path goes once it has let go of the buffer.
        let after: L
        /// Whether letting go of the buffer ends a round that took its own channel reference (the
        /// IRQ path's `complete_cb`; the worker holds one reference for its whole run).
        var endsChannelReference = false
    }

    /// The IRQ path: `scmi_vio_complete_cb`, one dequeued buffer per round; it may start whenever
    /// the used ring is not empty, and stops when it finds it empty.
    func irq() -> Process {
        let path = DeliveryPath<IRQPC>(
            process: "irq", prefix: "", message: irqMsg, stale: irqStale, transfer: irqXfer, function: .completeCb,
            rxLen: .rxLen, acquire: .acquire, setPriv: .setPriv, fetch: .fetch, clearPriv: .clearPriv,
            complete: .complete, release: .release, reset: .reset, free: .free, after: .idle,
            endsChannelReference: true)
        // With contexts the handler's later rounds are steps of their own, each beginning at
        // complete_cb's channel_acquire at the top of its loop.
        let begins = [Operation(.completeCb, .start), Operation(.completeCb, .channelAcquire)]
            + (configuration.contexts == nil ? [] : [Operation(.completeCb, .channelReacquire)])
        return Process("irq", labels: IRQPC.self) { _ in
            if configuration.contexts == nil {
                step("irq", "get_buf", from: IRQPC.idle, to: .rxLen, begins: begins,
                     doc: "Under the channel lock, dequeue the next used buffer.",
                     source: "virtio.c scmi_vio_complete_cb(): spin_lock(&vioch->lock); virtqueue_get_buf()") {
                    Guard(handlerHasWork && !channelLocked.value)
                    // spin_lock_irqsave(&vioch->lock) around virtqueue_get_buf, then unlock.
                    Acquires(channelLocked.value)
                    Releases(channelLocked.value)
                    // handlerHasWork: the acquire succeeds.
                    takeChannelReference()
                    touchesChannel()
                    take(usedRing, into: path)
                }
            } else {
                step("irq", "get_buf", contextCPU, from: IRQPC.idle, begins: begins,
                     doc: "The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.",
                     source: "virtio.c scmi_vio_complete_cb() from vring_interrupt(): loop { spin_lock_irqsave(&vioch->lock); virtqueue_get_buf() }, until the ring is empty") { k in
                    // Where the handler may start and that it stays on its CPU: onTheirCPUs(_:_:_:).
                    Guard(!channelLocked.value)
                    Acquires(channelLocked.value)
                    Releases(channelLocked.value)
                    // A failed acquire returns before the lock; an empty ring is seen holding a reference.
                    If(!handlerHasWork) {
                        irqCPU.value <- cpu.none
                        Goto(IRQPC.idle)
                    } else: {
                        irqCPU.value <- k
                        takeChannelReference()
                        touchesChannel()
                        take(usedRing, into: path)
                        Goto(IRQPC.rxLen)
                    }
                }
            }
            dequeuedBufferSteps(path)
        }
    }

    /// The path takes the head of `queue`.
    func take<L>(_ queue: BufferQueue, into path: DeliveryPath<L>) -> [ActionPart] {
        [path.message.value <- queue.head, path.stale.value <- false] + queue.pop()
    }

    /// The path lets go of its buffer; the IRQ path's round of `complete_cb` ends there, and with
    /// shutdown gives back the channel reference it took.
    func dropBuffer<L>(_ path: DeliveryPath<L>) -> [ActionPart] {
        [path.message.value <- buffer.none, path.stale.value <- false] + (path.endsChannelReference ? releaseChannel() : [])
    }

    /// A round of `complete_cb` has a buffer to deliver: the used ring is not empty, and with
    /// shutdown the device is not broken and the channel acquire succeeds.
    var handlerHasWork: Expr {
        configuration.shutdown ? !usedRingSeemsEmpty && !tornDown : !usedRing.isEmpty
    }

    /// `complete_cb`'s body for one dequeued buffer: set `rx_len`, deliver it, give it back.
    @StepBuilder
    func dequeuedBufferSteps<L>(_ path: DeliveryPath<L>) -> [Step] {
        if let rxLen = path.rxLen {
            step(path.process, "\(path.prefix)set_rx_len", from: rxLen, to: path.acquire,
                 begins: [Operation(.completeCb, .write(.rxLen))],
                 doc: "Record the reply's length.",
                 source: "virtio.c scmi_vio_complete_cb(): msg->rx_len = length") {
                // A plain store, after the channel lock is dropped.
                Writes(rxLenFresh, .plain)
                touch(path.stale.value)
                rxLenFresh[path.message.value] <- true
            }
        }
        deliverySteps(path)
    }

    /// `scmi_rx_callback` → `scmi_handle_response` for the path's buffer, then giving the buffer
    /// back (v4: `put_free_msg`; upstream: release one reference).
    @StepBuilder
    func deliverySteps<L>(_ path: DeliveryPath<L>) -> [Step] {
        let s = switches
        let prefix = path.prefix
        let m = path.message.value
        let x = path.transfer.value
        let giveBack = s.messageRefcount ? path.release : path.reset
        step(path.process, "\(prefix)acquire_xfer", from: path.acquire, begins: [Operation(path.function, .readHeader)],
             doc: "Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.",
             source: "driver.c scmi_handle_response(): scmi_xfer_command_acquire(): token lookup, xfer->lock, SENT_OK -> RESP_OK") {
            touch(path.stale.value)
            // scmi_rx_callback(vioch->cinfo, ...).
            touchesChannel()
            lookUpTransfer(m) { x in
                [If(state[x] == transferState["SENT_OK"]) {
                    state[x] <- transferState["RESP_OK"]
                    path.transfer.value <- x
                    Goto(path.setPriv)
                } else: {
                    Goto(giveBack)
                }]
            } notFound: {
                [Goto(giveBack)]
            }
        }
        step(path.process, "\(prefix)set_xfer_priv", from: path.setPriv, to: path.fetch,
             begins: [Operation(.handleResponse, .write(.xferPriv))],
             doc: "Bind the buffer to the transfer: xfer->priv = msg.",
             source: "driver.c scmi_handle_response(): smp_store_mb(xfer->priv, priv)") {
            // xfer->priv stays sequentially consistent; the fence is left out (TransportModel.weakMemory).
            If(x != cpu.none) {
                priv[x] <- m
                privStale[x] <- path.stale.value
            }
        }
        step(path.process, "\(prefix)fetch_response", from: path.fetch, begins: [Operation(.fetchResponse, .read(.xferPriv))],
             doc: "Fetch the reply from xfer->priv into the transfer.",
             source: "driver.c scmi_handle_response(): info->desc->ops->fetch_response(cinfo, xfer); virtio.c virtio_fetch_response()") {
            Reads(rxLenFresh, .plain)
            If(x != cpu.none) {
                If(priv[x] != buffer.none) {
                    touch(privStale[x])
                    fetch(priv[x], into: x)
                }
            }
            Goto(s.coreClearsPrivAfterDelivery ? path.clearPriv : path.complete)
        }
        if s.coreClearsPrivAfterDelivery {
            step(path.process, "\(prefix)clear_xfer_priv", from: path.clearPriv, to: path.complete,
                 begins: [Operation(.handleResponse, .clear(.xferPriv))],
                 doc: "v4's core unbinds the buffer right after fetching: xfer->priv = NULL.",
                 source: "driver.c scmi_handle_response() (v4 series): smp_store_mb(xfer->priv, NULL)") {
                    If(x != cpu.none) { priv[x] <- buffer.none }
            }
        }
        step(path.process, "\(prefix)complete_xfer", from: path.complete, to: giveBack,
             begins: [Operation(.handleResponse, .complete(.done))],
             doc: "Complete xfer->done and drop the transfer reference.",
             source: "driver.c scmi_handle_response(): complete(&xfer->done); scmi_xfer_command_release()") {
            // complete(): its ordering is left out (TransportModel.weakMemory).
            If(x != cpu.none) { done[x] <- true }
            path.transfer.value <- cpu.none
            // With --tokens: a token this path kept taken after its transfer's release is free now.
            pathDropsToken(path.process)
        }
        if s.messageRefcount {
            step(path.process, "\(prefix)release_msg", from: path.release, begins: [releaseOperation(path.function)],
                 doc: "Release the path's reference; at zero the buffer is freed.",
                 source: "virtio.c scmi_finalize_message() -> scmi_vio_msg_release()") {
                touch(path.stale.value)
                If(users[m] == 0) {
                    underflow.value <- true
                    dropBuffer(path)
                    Goto(path.after)
                } else: {
                    users[m] <- users[m] - 1
                    If(users[m] == 1) {
                        Goto(path.free)
                    } else: {
                        dropBuffer(path)
                        Goto(path.after)
                    }
                }
            }
        } else {
            step(path.process, "\(prefix)reset_status", from: path.reset, to: path.free,
                 begins: [Operation(path.function, .write(.pollStatus), via: .putFreeMsg)],
                 doc: "put_free: reset the status before returning the buffer.",
                 source: "virtio.c scmi_virtio_put_free_msg(): msg->poll_status = VIO_MSG_NOT_POLLED") {
                touch(path.stale.value)
                status[m] <- polling("NOT_POLLED")
            }
        }
        step(path.process, "\(prefix)free_msg", from: path.free, to: path.after, begins: [freeOperation(path.function)],
             doc: "Return the buffer to the free list.",
             source: "virtio.c scmi_virtio_put_free_msg() / scmi_vio_msg_release(): list_add_tail under free_lock") {
            touch(path.stale.value)
            touchesChannel()
            appendToFreeList(m, clearing: path.message)
            dropBuffer(path)
        }
    }
}
