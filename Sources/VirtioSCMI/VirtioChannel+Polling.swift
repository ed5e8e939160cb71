import Scheduling

extension VirtioChannel {
    // MARK: - poll_done

    /// Whether the polled reply has arrived (`virtio_poll_done`): drains the used ring
    /// until the transfer's own buffer is found, marking other CPUs' polled buffers
    /// POLL_DONE and handing the others to the deferred worker.
    public func pollDone(_ xfer: Transfer) -> Bool {
        guard let msg = xfer.priv.load("poll_done read xfer->priv") else { return true }
        // Processed already by another CPU's poller? (read without poll_lock)
        if msg.readPollStatus("poll_done read poll_status of \(msg)") == .pollDone { return true }
        guard channelAcquire("poll_done") else { return true }
        if !vqueue.poll(msg.message.pollIndex.peek(), "poll_done virtqueue_poll") {
            channelRelease("poll_done")
            return false
        }

        lock.lock("poll_done lock vioch.lock")
        vqueue.disableCallbacks("poll_done virtqueue_disable_cb")
        var found = false
        var anyPrefetched = false
        while let (next, length) = vqueue.getBuf("poll_done virtqueue_get_buf") {
            ledger.dequeued(next)
            platform.trace("\(platform.currentActorName) dequeued \(next) while polling for token \(xfer.token)")
            let isOwn = next.pointsTo(msg)
            if behaviour.rxLenBeforePollDone {
                next.writeRxLen(length, "poll_done rx_len = \(length.bytes) (\(next))")
            }
            var status: PollStatus?
            var markedDone = false
            if !isOwn || behaviour.marksOwnBufferPollDone {
                if behaviour.pollLock { next.lockPoll("poll_done lock poll_lock of \(next)") }
                status = next.readPollStatus("poll_done read poll_status of \(next)")
                if status == .polling {
                    next.writePollStatus(.pollDone, "poll_done poll_status = POLL_DONE (\(next))")
                    markedDone = true
                }
                if behaviour.pollLock { next.unlockPoll() }
            }
            if !behaviour.rxLenBeforePollDone {
                next.writeRxLen(length, "poll_done rx_len = \(length.bytes) (\(next))")
            }
            if isOwn {
                found = true
                ledger.finished(with: next)
                break
            }
            if markedDone {
                // Another CPU's polled buffer: its owner finishes it.
                ledger.finished(with: next)
                continue
            }
            if behaviour.pollLock {
                next.lockPoll("poll_done lock poll_lock of \(next)")
                status = next.readPollStatus("poll_done read poll_status of \(next)")
                next.unlockPoll()
            }
            let handOver = status == .notPolled || (behaviour.pollTimeoutState && status == .pollTimeout)
            if handOver {
                anyPrefetched = true
                appendToPendingList(next, "poll_done")
            }
            ledger.finished(with: next)
        }

        let pending: Bool
        if found {
            pending = !vqueue.enableCallbacks("poll_done virtqueue_enable_cb")
        } else {
            let index = vqueue.enableCallbacksPrepare("poll_done virtqueue_enable_cb_prepare")
            msg.message.pollIndex.poke(index)
            pending = vqueue.poll(index, "poll_done virtqueue_poll")
        }
        if let workQueue = deferredTxWQ.peek(), anyPrefetched || pending {
            workQueue.queueWork("poll_done queue_work deferred_tx_work")
        }
        lock.unlock()
        channelRelease("poll_done")
        return found
    }

    /// Whether `pollDone(xfer)` could return true or change anything now; no scheduling
    /// points. A controlled scheduler uses it to skip polling iterations that would only
    /// repeat the last, fruitless one.
    func pollDoneCouldSucceed(_ xfer: Transfer) -> Bool {
        guard let msg = xfer.priv.peek() else { return true }
        if msg.message.pollStatus.peek() == .pollDone { return true }
        if users.value == 0 { return true }
        return !vqueue.isBroken && vqueue.usedIndex != msg.message.pollIndex.peek()
    }

    // MARK: - mark_txdone

    /// Ends the transport's part of a transfer (`virtio_mark_txdone`): unbinds `priv` and
    /// frees a polled buffer unless the device may still own it.
    public func markTxDone(_ xfer: Transfer, result ret: Int32) {
        let bound = xfer.priv.load("mark_txdone read xfer->priv")
        if behaviour.messageRefcount {
            markTxDoneWithRefcount(xfer, ret, bound)
        } else {
            markTxDoneWithoutRefcount(xfer, ret, bound)
        }
    }

    /// Upstream and later: the owner drops its reference, and the poll path's reference too
    /// when no one else will.
    private func markTxDoneWithRefcount(_ xfer: Transfer, _ ret: Int32, _ bound: MessageRef?) {
        guard let msg = bound, channelAcquire("mark_txdone") else { return }
        xfer.priv.store(nil, "mark_txdone xfer->priv = NULL")
        guard xfer.isPolled else {
            channelRelease("mark_txdone")
            return
        }
        if behaviour.decidesBeforeReleasing {
            msg.lockPoll("mark_txdone lock poll_lock of \(msg)")
            let status = msg.readPollStatus("mark_txdone read poll_status of \(msg)")
            let releaseAgain = shouldReleasePollReference(ret, status)
            if !releaseAgain && status == .polling {
                msg.writePollStatus(.pollTimeout, "mark_txdone poll_status = POLL_TIMEOUT (\(msg))")
            }
            msg.unlockPoll()
            if !releaseMessage(msg, "mark_txdone") && releaseAgain {
                releaseMessage(msg, "mark_txdone")
            }
            channelRelease("mark_txdone")
            return
        }
        // Not already freed on the IRQ path?
        if releaseMessage(msg, "mark_txdone") {
            channelRelease("mark_txdone")
            return
        }
        msg.lockPoll("mark_txdone lock poll_lock of \(msg)")
        let status = msg.readPollStatus("mark_txdone read poll_status of \(msg)")
        if shouldReleasePollReference(ret, status) {
            releaseMessage(msg, "mark_txdone")
        } else if status == .polling {
            // Do not free timed-out polled messages while the device may still own them.
            msg.writePollStatus(.pollTimeout, "mark_txdone poll_status = POLL_TIMEOUT (\(msg))")
        }
        msg.unlockPoll()
        channelRelease("mark_txdone")
    }

    /// Whether `mark_txdone` also drops the poll path's reference.
    private func shouldReleasePollReference(_ ret: Int32, _ status: PollStatus) -> Bool {
        if behaviour.secondReleaseOnlyWhenPollDone { return status == .pollDone }
        return ret != -Errno.ETIMEDOUT || status == .pollDone
    }

    /// v4 and v4-proposal: free only polled buffers whose reply was seen.
    private func markTxDoneWithoutRefcount(_ xfer: Transfer, _ ret: Int32, _ bound: MessageRef?) {
        guard channelAcquire("mark_txdone") else { return }
        guard xfer.isPolled, let msg = bound else {
            channelRelease("mark_txdone")
            return
        }
        xfer.priv.store(nil, "mark_txdone xfer->priv = NULL")
        var free = ret != -Errno.ETIMEDOUT
        if behaviour.freesPollDoneBufferOnTimeout || behaviour.pollTimeoutState {
            if behaviour.pollLock { msg.lockPoll("mark_txdone lock poll_lock of \(msg)") }
            let status = msg.readPollStatus("mark_txdone read poll_status of \(msg)")
            if behaviour.freesPollDoneBufferOnTimeout && status == .pollDone { free = true }
            if !free && behaviour.pollTimeoutState {
                msg.writePollStatus(.pollTimeout, "mark_txdone poll_status = POLL_TIMEOUT (\(msg))")
            }
            if behaviour.pollLock { msg.unlockPoll() }
        }
        if free { putFreeMessage(msg, "mark_txdone") }
        channelRelease("mark_txdone")
    }
}
