import TransitionSystems
import Vocabulary

extension Expr: Truth {
    public static func all(_ terms: [Expr]) -> Expr { .and(terms) }
    public static func any(_ terms: [Expr]) -> Expr { .or(terms) }
    public var negated: Expr { !self }
}

extension TransportModel {
    /// The channel at rest, by the vocabulary's one definition.
    /// With shutdown, only before `chan_free` begins: a channel being freed reclaims its buffers
    /// with the device, it does not return them.
    func quiescence(_ sender: Process, _ irq: Process, _ worker: Process, _ shutdown: Process?) -> Expr {
        let sendersIdle = Expr.forAll("c", in: cpu) { sender.at(SenderPC.idle, $0) }
        return Quiescence(sendersIdle: shutdown.map { sendersIdle && $0.at(ShutdownPC.idle) } ?? sendersIdle,
                   irqIdle: irq.at(IRQPC.idle), workerIdle: worker.at(WorkerPC.idle), workQueued: workQueued.value,
                   usedRingEmpty: usedRing.isEmpty, deviceHoldsNoBuffer: .forAll("m", in: buffer) { !inDevice[$0] }).holds
    }

    /// CPU `c`'s polled transfer stuck with nothing to wake it, by the vocabulary's one definition.
    func lostWakeup(of c: Expr, _ sender: Process) -> Expr {
        let m = transferBuffer[c]
        return LostWakeup(
            inPollingLoop: .or(SenderPC.polling.map { sender.at($0, c) }), polled: polled[c], deadlinePassed: deadline[c],
            finalPollStarted: finalPoll[c], ownBufferFound: found[c], bufferBound: m != buffer.none && priv[c] != buffer.none,
            someoneHoldsBuffer: inDevice[m] || usedRing.contains(m) || pendingList.contains(m) || irqMsg.value == m
                || workerMsg.value == m || .exists("k", in: cpu) { next[$0] == m },
            markedPollDone: status[m] == polling("POLL_DONE"), completed: done[c]).isStuck
    }

    /// The properties a correct transport keeps, with the vocabulary's names.
    func invariants(_ sender: Process, _ irq: Process, _ worker: Process, _ shutdown: Process?) -> [Invariant] {
        let properties = Property.specified + (shutdown == nil ? [] : [.shutdownSafety])
        return properties.map { property in
            switch property {
            case .conservation:
                return Invariant(property.rawValue, """
                    Every TX buffer is in at most one of the free list, the device, the used ring and the \
                    pending list (a buffer in none of them is held by the path that took it): never \
                    free while the device owns it, never queued twice.
                    """) {
                    .forAll("m", in: buffer) { m in
                        freeList.occurrences(of: m) + .ite(inDevice[m], then: 1, else: 0)
                            + usedRing.occurrences(of: m) + pendingList.occurrences(of: m) <= 1
                    }
                }
            case .noDoubleFree:
                return Invariant(property.rawValue, """
                    A buffer is never appended to the free list while it is on it, and a message refcount \
                    is never released at zero.
                    """) {
                    !doubleFree.value && !underflow.value
                }
            case .noUseAfterRelease:
                return Invariant(property.rawValue, """
                    No path reads or writes a buffer (its status, rx_len, input, refcount or list node) \
                    through a pointer it took before the buffer was returned to the free list.
                    """) {
                    !useAfterRelease.value
                }
            case .exactlyOnceDelivery:
                return Invariant(property.rawValue, """
                    A reply reaches at most once the transfer whose token it carries: fetch_response never \
                    reads a buffer that carries another transfer's token, a stale input or a length not \
                    yet written, and never fetches a second reply into a transfer.
                    """) {
                    !badDelivery.value
                }
            case .noLeakAtQuiescence:
                return Invariant(property.rawValue, """
                    When no sender is active, the device holds no buffer, the used ring is empty and no \
                    IRQ path or worker runs or is queued, every buffer is back on the free list (a buffer \
                    left on the pending list with no worker queued is a leak too).
                    """) {
                    quiescence(sender, irq, worker, shutdown).implies(.forAll("m", in: buffer) { onFreeList[$0] })
                }
            case .noLostWakeup:
                return Invariant(property.rawValue, """
                    Checked as a safety property (a stuck state), not as full liveness: a polled transfer \
                    whose reply has been taken off the used ring, before its deadline, is never left \
                    polling with nothing that can still end its loop — no POLL_DONE mark, no completion, \
                    no path holding the buffer, priv still bound.
                    """) {
                    .forAll("c", in: cpu) { c in !lostWakeup(of: c, sender) }
                }
            case .shutdownSafety:
                return Invariant(property.rawValue, """
                    Once the channel's users reach zero (chan_free's last release cleared cinfo), no path \
                    touches the virtqueue, the free or pending list, or cinfo.
                    """) {
                    !shutdownUnsafe.value
                }
            }
        }
    }
}
