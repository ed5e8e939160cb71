import Scheduling
import Vocabulary

extension VirtioChannel {
    // MARK: - poll_done

    /// Whether the polled reply has arrived (`virtio_poll_done`): drains the used ring
    /// until the transfer's own buffer is found, marking other CPUs' polled buffers
    /// POLL_DONE and handing the others to the deferred worker.
    public func pollDone(_ xfer: Transfer) -> Bool {
        guard let msg = xfer.priv.load(.op(.pollDone, .read(.xferPriv))) else { return true }
        // Processed already by another CPU's poller? (read without poll_lock; fixed reads it with
        // smp_load_acquire, so that fetch_response sees the rx_len written before the mark)
        let checkOrder: MemoryOrder = switches.acquireOnPollDoneCheck ? .acquire : .plain
        if msg.readPollStatus(.op(.pollDone, .read(.pollStatus), "of \(msg)"), order: checkOrder) == .pollDone { return true }
        // Torn down: upstream says "done" (the core then fetches a reply that never came); fixed
        // says "not yet", so the core's loop ends at its deadline with -ETIMEDOUT.
        guard channelAcquire(.pollDone) else { return !switches.pollDoneNotYetAfterTeardown }
        if !vqueue.poll(msg.message.pollIndex.peek(), .op(.pollDone, .virtqueue(.poll))) {
            channelRelease(.pollDone)
            return false
        }

        lock.lock(.op(.pollDone, .lock(.channel)))
        vqueue.disableCallbacks(.op(.pollDone, .virtqueue(.disableCb)))
        var found = false
        var anyPrefetched = false
        while let (next, length) = vqueue.getBuf(.op(.pollDone, .virtqueue(.getBuf))) {
            ledger.dequeued(next)
            platform.trace("\(platform.currentActorName) dequeued \(next) while polling for token \(xfer.token)")
            let isOwn = next.pointsTo(msg)
            if switches.rxLenBeforePollDone {
                next.writeRxLen(length, .op(.pollDone, .write(.rxLen), "\(length.bytes) (\(next))"))
            }
            var status: PollStatus?
            var markedDone = false
            if !isOwn || switches.marksOwnBufferPollDone {
                if switches.pollLock { next.lockPoll(.op(.pollDone, .lock(.poll), "of \(next)")) }
                status = next.readPollStatus(.op(.pollDone, .read(.pollStatus), "of \(next)"))
                if status == .polling {
                    // fixed: smp_store_release, after rx_len, which it publishes to the owner's acquire.
                    let markOrder: MemoryOrder = switches.releaseOnPollDoneMark ? .release : .plain
                    next.writePollStatus(.pollDone, .op(.pollDone, .write(.pollStatus), "POLL_DONE (\(next))"), order: markOrder)
                    markedDone = true
                }
                if switches.pollLock { next.unlockPoll() }
            }
            if !switches.rxLenBeforePollDone {
                next.writeRxLen(length, .op(.pollDone, .write(.rxLen), "\(length.bytes) (\(next))"))
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
            if switches.pollLock {
                next.lockPoll(.op(.pollDone, .lock(.poll), "of \(next)"))
                status = next.readPollStatus(.op(.pollDone, .read(.pollStatus), "of \(next)"))
                next.unlockPoll()
            }
            let handOver = status == .notPolled || (switches.pollTimeoutState && status == .pollTimeout)
            if handOver {
                anyPrefetched = true
                appendToPendingList(next, .pollDone)
            }
            ledger.finished(with: next)
        }

        let pending: Bool
        if found {
            pending = !vqueue.enableCallbacks(.op(.pollDone, .virtqueue(.enableCb)))
        } else {
            let index = vqueue.enableCallbacksPrepare(.op(.pollDone, .virtqueue(.enableCbPrepare)))
            msg.message.pollIndex.poke(index)
            // Part of re-arming, not a new poll.
            pending = vqueue.poll(index, .op(.pollDone, .virtqueue(.pollAfterRearm)))
        }
        if let workQueue = deferredTxWQ.peek(), anyPrefetched || pending {
            workQueue.queueWork(.op(.pollDone, .queueWork))
        }
        lock.unlock()
        channelRelease(.pollDone)
        return found
    }

    /// Whether `pollDone(xfer)` could return true or change anything now; no scheduling
    /// points. A controlled scheduler uses it to skip polling iterations that would only
    /// repeat the last, fruitless one.
    func pollDoneCouldSucceed(_ xfer: Transfer) -> Bool {
        guard let msg = xfer.priv.peek() else { return true }
        if msg.message.pollStatus.peek() == .pollDone { return true }
        if users.value == 0 { return !switches.pollDoneNotYetAfterTeardown }
        return !vqueue.isBroken && vqueue.usedIndex != msg.message.pollIndex.peek()
    }

    // MARK: - mark_txdone

    /// Ends the transport's part of a transfer (`virtio_mark_txdone`): unbinds `priv` and
    /// frees a polled buffer unless the device may still own it.
    public func markTxDone(_ xfer: Transfer, result ret: Int32) {
        let bound = xfer.priv.load(.op(.markTxdone, .read(.xferPriv)))
        if switches.messageRefcount {
            markTxDoneWithRefcount(xfer, ret, bound)
        } else {
            markTxDoneWithoutRefcount(xfer, ret, bound)
        }
    }

    /// Upstream and later: the owner drops its reference, and the poll path's reference too
    /// when no one else will.
    private func markTxDoneWithRefcount(_ xfer: Transfer, _ ret: Int32, _ bound: MessageRef?) {
        guard let msg = bound, channelAcquire(.markTxdone) else { return }
        xfer.priv.store(nil, .op(.markTxdone, .clear(.xferPriv)))
        guard xfer.isPolled else {
            channelRelease(.markTxdone)
            return
        }
        if switches.decidesBeforeReleasing {
            msg.lockPoll(.op(.markTxdone, .lock(.poll), "of \(msg)"))
            let status = msg.readPollStatus(.op(.markTxdone, .read(.pollStatus), "of \(msg)"))
            let releaseAgain = shouldReleasePollReference(ret, status)
            if !releaseAgain && status == .polling {
                msg.writePollStatus(.pollTimeout, .op(.markTxdone, .write(.pollStatus), "POLL_TIMEOUT (\(msg))"))
            }
            msg.unlockPoll()
            if !releaseMessage(msg, .markTxdone) && releaseAgain {
                releaseMessage(msg, .markTxdone)
            }
            channelRelease(.markTxdone)
            return
        }
        // Not already freed on the IRQ path?
        if releaseMessage(msg, .markTxdone) {
            channelRelease(.markTxdone)
            return
        }
        msg.lockPoll(.op(.markTxdone, .lock(.poll), "of \(msg)"))
        let status = msg.readPollStatus(.op(.markTxdone, .read(.pollStatus), "of \(msg)"))
        if shouldReleasePollReference(ret, status) {
            releaseMessage(msg, .markTxdone)
        } else if status == .polling {
            // Do not free timed-out polled messages while the device may still own them.
            msg.writePollStatus(.pollTimeout, .op(.markTxdone, .write(.pollStatus), "POLL_TIMEOUT (\(msg))"))
        }
        msg.unlockPoll()
        channelRelease(.markTxdone)
    }

    /// Whether `mark_txdone` also drops the poll path's reference.
    private func shouldReleasePollReference(_ ret: Int32, _ status: PollStatus) -> Bool {
        if switches.secondReleaseOnlyWhenPollDone { return status == .pollDone }
        return ret != -Errno.ETIMEDOUT || status == .pollDone
    }

    /// v4 and v4-proposal: free only polled buffers whose reply was seen.
    private func markTxDoneWithoutRefcount(_ xfer: Transfer, _ ret: Int32, _ bound: MessageRef?) {
        guard channelAcquire(.markTxdone) else { return }
        guard xfer.isPolled, let msg = bound else {
            channelRelease(.markTxdone)
            return
        }
        xfer.priv.store(nil, .op(.markTxdone, .clear(.xferPriv)))
        var free = ret != -Errno.ETIMEDOUT
        if switches.freesPollDoneBufferOnTimeout || switches.pollTimeoutState {
            if switches.pollLock { msg.lockPoll(.op(.markTxdone, .lock(.poll), "of \(msg)")) }
            let status = msg.readPollStatus(.op(.markTxdone, .read(.pollStatus), "of \(msg)"))
            if switches.freesPollDoneBufferOnTimeout && status == .pollDone { free = true }
            if !free && switches.pollTimeoutState {
                msg.writePollStatus(.pollTimeout, .op(.markTxdone, .write(.pollStatus), "POLL_TIMEOUT (\(msg))"))
            }
            if switches.pollLock { msg.unlockPoll() }
        }
        if free { putFreeMessage(msg, .markTxdone) }
        channelRelease(.markTxdone)
    }
}
