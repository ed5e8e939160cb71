import Scheduling

extension VirtioChannel {
    // MARK: - IRQ path

    /// The virtqueue callback (`scmi_vio_complete_cb`): dequeues every used buffer and
    /// delivers it, one channel reference per iteration.
    public func completeCallback() {
        var callbacksEnabled = true
        while true {
            guard channelAcquire("complete_cb") else { return }
            lock.lock("complete_cb lock vioch.lock")
            if callbacksEnabled {
                vqueue.disableCallbacks("complete_cb virtqueue_disable_cb")
                callbacksEnabled = false
            }
            let dequeued = vqueue.getBuf("complete_cb virtqueue_get_buf")
            if dequeued == nil {
                if vqueue.enableCallbacks("complete_cb virtqueue_enable_cb") {
                    lock.unlock()
                    channelRelease("complete_cb")
                    return
                }
                callbacksEnabled = true
            }
            lock.unlock()

            if let (msg, length) = dequeued {
                ledger.dequeued(msg)
                platform.trace("\(platform.currentActorName) dequeued \(msg) in complete_cb")
                msg.writeRxLen(length, "complete_cb rx_len = \(length.bytes) (\(msg))")
                let header = msg.readInput("complete_cb read_header of \(msg)").token
                core?.rxCallback(header: header, priv: msg)
                finalizeMessage(msg, "complete_cb")
            }
            // Released between iterations so that shutdown can complete.
            channelRelease("complete_cb")
        }
    }

    // MARK: - Deferred worker

    /// The deferred TX worker (`scmi_vio_deferred_tx_worker`): delivers or frees the
    /// buffers pollers handed over, then runs the IRQ path itself.
    public func deferredTxWorker() {
        guard channelAcquire("deferred_tx_worker") else { return }
        pendingLock.lock("deferred_tx_worker lock pending_lock")
        while let msg = pendingList.removeFirst("deferred_tx_worker list_del pending_cmds_list") {
            ledger.dequeued(msg)
            // No poll_lock needed: no one else processes this buffer now.
            var deliver = true
            if behaviour.pollTimeoutState {
                deliver = msg.readPollStatus("deferred_tx_worker read poll_status of \(msg)") == .notPolled
            }
            if deliver {
                let header = msg.readInput("deferred_tx_worker read_header of \(msg)").token
                core?.rxCallback(header: header, priv: msg)
            } else {
                platform.trace("worker frees timed-out \(msg) without delivering it")
            }
            finalizeMessage(msg, "deferred_tx_worker")
        }
        pendingLock.unlock()
        completeCallback()
        channelRelease("deferred_tx_worker")
    }
}
