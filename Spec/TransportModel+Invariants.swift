import TransitionSystems

extension TransportModel {
    /// The properties a correct transport keeps, with the reference's names.
    func invariants(_ sender: Process, _ irq: Process, _ worker: Process) -> [Invariant] {
        let quiescent: Expr = .forAll("c", in: cpu) { sender.at("idle", $0) }
            && irq.at("idle") && worker.at("idle") && !workQueued.value && usedRing.isEmpty
            && .forAll("m", in: buffer) { !inDevice[$0] }
        return [
            Invariant("conservation", """
                Every TX buffer is in at most one of the free list, the device, the used ring and the \
                pending list (a buffer in none of them is held by the path that took it): never \
                free while the device owns it, never queued twice.
                """) {
                .forAll("m", in: buffer) { m in
                    freeList.occurrences(of: m) + .ite(inDevice[m], then: 1, else: 0)
                        + usedRing.occurrences(of: m) + pendingList.occurrences(of: m) <= 1
                }
            },
            Invariant("no-double-free", """
                A buffer is never appended to the free list while it is on it, and a message refcount \
                is never released at zero.
                """) {
                !doubleFree.value && !underflow.value
            },
            Invariant("no-use-after-release", """
                No path reads or writes a buffer (its status, rx_len, input, refcount or list node) \
                through a pointer it took before the buffer was returned to the free list.
                """) {
                !useAfterRelease.value
            },
            Invariant("exactly-once-delivery", """
                A reply reaches at most once the transfer whose token it carries: fetch_response never \
                reads a buffer that carries another transfer's token, a stale input or a length not \
                yet written, and never fetches a second reply into a transfer.
                """) {
                !badDelivery.value
            },
            Invariant("no-leak-at-quiescence", """
                When no sender is active, the device holds no buffer, the used ring is empty and no \
                IRQ path or worker runs or is queued, every buffer is back on the free list (a buffer \
                left on the pending list with no worker queued is a leak too).
                """) {
                quiescent.implies(.forAll("m", in: buffer) { onFreeList[$0] })
            },
            Invariant("no-lost-wakeup", """
                Checked as a safety property (a stuck state), not as full liveness: a polled transfer \
                whose reply has been taken off the used ring, before its deadline, is never left \
                polling with nothing that can still end its loop — no POLL_DONE mark, no completion, \
                no path holding the buffer, priv still bound.
                """) {
                .forAll("c", in: cpu) { c in
                    let m = transferBuffer[c]
                    let loop: Expr = .or(Self.pollingLabels.map { sender.at($0, c) })
                    let stuck: Expr = loop && polled[c] && !deadline[c] && !finalPoll[c] && !found[c]
                        && m != buffer.none && !inDevice[m] && !usedRing.contains(m) && !pendingList.contains(m)
                        && status[m] != polling("POLL_DONE") && !done[c] && priv[c] != buffer.none
                        && irqMsg.value != m && workerMsg.value != m
                        && .forAll("k", in: cpu) { next[$0] != m }
                    return !stuck
                }
            },
        ]
    }
}
