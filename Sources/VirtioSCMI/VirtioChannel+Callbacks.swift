import Scheduling
import Vocabulary

extension VirtioChannel {
    // MARK: - IRQ path

    /// The virtqueue callback (`scmi_vio_complete_cb`): dequeues every used buffer and
    /// delivers it, one channel reference per iteration.
    ///
    /// The first iteration's `channel_acquire` is `Operation(.completeCb, .channelAcquire)`;
    /// every later one, which begins the dequeue of the next buffer, is `.channelReacquire`.
    public func completeCallback() {
        var callbacksEnabled = true
        var acquire = Access.channelAcquire
        while true {
            // Holding no lock, the worker's thread may move to another CPU here (with contexts).
            platform.mayMoveAtNextPoint()
            guard channelAcquire(.completeCb, acquire) else { return }
            acquire = .channelReacquire
            lock.lock(.op(.completeCb, .lock(.channel)))
            if callbacksEnabled {
                vqueue.disableCallbacks(.op(.completeCb, .virtqueue(.disableCb)))
                callbacksEnabled = false
            }
            let dequeued = vqueue.getBuf(.op(.completeCb, .virtqueue(.getBuf)))
            if dequeued == nil {
                if vqueue.enableCallbacks(.op(.completeCb, .virtqueue(.enableCb))) {
                    lock.unlock()
                    channelRelease(.completeCb)
                    return
                }
                callbacksEnabled = true
            }
            lock.unlock()

            if let (msg, length) = dequeued {
                ledger.dequeued(msg)
                platform.trace("\(platform.currentActorName) dequeued \(msg) in complete_cb")
                msg.writeRxLen(length, .op(.completeCb, .write(.rxLen), "\(length.bytes) (\(msg))"))
                let header = msg.readInput(.op(.completeCb, .readHeader, "of \(msg)")).token
                core?.rxCallback(header: header, priv: msg)
                finalizeMessage(msg, .completeCb)
            }
            // Released between iterations so that shutdown can complete.
            channelRelease(.completeCb)
        }
    }

    // MARK: - Deferred worker

    /// The deferred TX worker (`scmi_vio_deferred_tx_worker`): delivers or frees the
    /// buffers pollers handed over, then runs the IRQ path itself.
    ///
    /// Which buffers it delivers: upstream's worker (`workerDeliversOnlyNotPolled`) delivers
    /// only NOT_POLLED buffers and only releases the others; the review reply's worker
    /// (`pollTimeoutState` without it) "would just free the timed out buffer": it frees
    /// POLL_TIMEOUT buffers without delivering them and delivers every other; v4's delivers
    /// every buffer.
    public func deferredTxWorker() {
        guard channelAcquire(.deferredTxWorker) else { return }
        pendingLock.lock(.op(.deferredTxWorker, .lock(.pending)))
        while let msg = pendingList.removeFirst(.op(.deferredTxWorker, .listDel(.pending))) {
            ledger.dequeued(msg)
            // No poll_lock needed: no one else processes this buffer now.
            var deliver = true
            if switches.workerDeliversOnlyNotPolled {
                deliver = msg.readPollStatus(.op(.deferredTxWorker, .read(.pollStatus), "of \(msg)")) == .notPolled
            } else if switches.pollTimeoutState {
                deliver = msg.readPollStatus(.op(.deferredTxWorker, .read(.pollStatus), "of \(msg)")) != .pollTimeout
            }
            if deliver {
                let header = msg.readInput(.op(.deferredTxWorker, .readHeader, "of \(msg)")).token
                core?.rxCallback(header: header, priv: msg)
            } else {
                platform.trace("worker frees timed-out \(msg) without delivering it")
            }
            finalizeMessage(msg, .deferredTxWorker)
        }
        pendingLock.unlock()
        completeCallback()
        channelRelease(.deferredTxWorker)
    }
}
