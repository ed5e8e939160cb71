import TransitionSystems
import Vocabulary

/// The deferred TX worker `scmi_vio_deferred_tx_worker` (drivers/firmware/arm_scmi/virtio.c):
/// drains the pending list under `pending_lock`, delivering or freeing each buffer a poller
/// handed over, then runs `complete_cb` itself.
extension TransportModel {
    func worker() -> Process {
        let s = switches
        let pending = DeliveryPath<WorkerPC>(
            process: "worker", prefix: "p_", message: workerMsg, stale: workerStale, transfer: workerXfer,
            function: .deferredTxWorker, rxLen: nil, acquire: .pAcquire, setPriv: .pSetPriv, fetch: .pFetch,
            clearPriv: .pClearPriv, complete: .pComplete, release: .pRelease, reset: .pReset, free: .pFree, after: .next)
        let callback = DeliveryPath<WorkerPC>(
            process: "worker", prefix: "cb_", message: workerMsg, stale: workerStale, transfer: workerXfer,
            function: .completeCb, rxLen: .cbRxLen, acquire: .cbAcquire, setPriv: .cbSetPriv, fetch: .cbFetch,
            clearPriv: .cbClearPriv, complete: .cbComplete, release: .cbRelease, reset: .cbReset, free: .cbFree, after: .cbGet)
        let m = workerMsg.value
        return Process("worker", labels: WorkerPC.self) { _ in
            placingStep("worker", "start", from: WorkerPC.idle, begins: [Operation(.deferredTxWork, .start)],
                        doc: "The queued work runs and takes pending_lock for the drain.",
                        placed: "Its kernel thread runs on CPU `on` (an unbound workqueue, any CPU: virtio.c scmi_vio_probe() allocates it WQ_UNBOUND).",
                        source: "virtio.c scmi_vio_deferred_tx_worker(): spin_lock_irqsave(&vioch->pending_lock)") { k in
                Guard(workQueued.value && !pendingLocked.value)
                Acquires(pendingLocked.value)
                workQueued.value <- false
                // With shutdown: scmi_vio_channel_acquire() first; torn down, the work returns.
                acquireChannel {
                    pendingLocked.value <- true
                    if let k { workerCPU.value <- k }
                    Goto(WorkerPC.next)
                } failed: {
                    Goto(WorkerPC.idle)
                }
            }
            step("worker", "next_pending", from: WorkerPC.next, begins: [Operation(.deferredTxWorker, .listDel(.pending))],
                 doc: "Take the next pending buffer; with none left, drop pending_lock and run complete_cb.",
                 source: "virtio.c scmi_vio_deferred_tx_worker(): list_for_each_entry_safe(...) { list_del(&msg->list); ... }") {
                // spin_unlock_irqrestore(&vioch->pending_lock) once the list is drained.
                Releases(pendingLocked.value)
                touchesChannel()
                If(pendingList.isEmpty) {
                    pendingLocked.value <- false
                    Goto(WorkerPC.cbGet)
                } else: {
                    take(pendingList, into: pending)
                    if s.workerDeliversOnlyNotPolled || s.pollTimeoutState { Goto(WorkerPC.check) } else { Goto(WorkerPC.pAcquire) }
                }
            }
            if s.workerDeliversOnlyNotPolled {
                step("worker", "check_status", from: WorkerPC.check, begins: [Operation(.deferredTxWorker, .read(.pollStatus))],
                     doc: "Deliver only a NOT_POLLED buffer; a timed-out polled one is only released.",
                     source: "virtio.c scmi_vio_deferred_tx_worker(): if (msg->poll_status == VIO_MSG_NOT_POLLED) scmi_rx_callback(...)") {
                    touch(workerStale.value)
                    If(status[m] == polling("NOT_POLLED")) { Goto(WorkerPC.pAcquire) } else: { Goto(WorkerPC.pRelease) }
                }
            } else if s.pollTimeoutState {
                step("worker", "check_status", from: WorkerPC.check, begins: [Operation(.deferredTxWorker, .read(.pollStatus))],
                     doc: "A POLL_TIMEOUT buffer is freed without delivery; any other is delivered.",
                     source: "review reply (v4-proposal): the worker just frees timed-out buffers") {
                    touch(workerStale.value)
                    If(status[m] == polling("POLL_TIMEOUT")) { Goto(WorkerPC.pReset) } else: { Goto(WorkerPC.pAcquire) }
                }
            }
            deliverySteps(pending)
            placingStep("worker", "complete_cb_get_buf", from: WorkerPC.cbGet,
                        begins: [Operation(.completeCb, .channelAcquire), Operation(.completeCb, .channelReacquire)],
                        doc: "complete_cb from the worker: dequeue the next used buffer, or stop when the ring is empty.",
                        placed: "Holding no lock before it, the thread may have moved: it goes on on CPU `on`.",
                        source: "virtio.c scmi_vio_deferred_tx_worker(): scmi_vio_complete_cb(vioch->vqueue)") { k in
                Guard(!channelLocked.value)
                Acquires(channelLocked.value)
                Releases(channelLocked.value)
                touchesChannel()
                If(usedRingSeemsEmpty) {
                    // scmi_vio_channel_release() as the work ends (with shutdown).
                    releaseChannel()
                    if k != nil { workerCPU.value <- cpu.none }
                    Goto(WorkerPC.idle)
                } else: {
                    if let k { workerCPU.value <- k }
                    take(usedRing, into: callback)
                    Goto(WorkerPC.cbRxLen)
                }
            }
            dequeuedBufferSteps(callback)
        }
    }
}
