/// Reading the channel's state for snapshots and checks, without scheduling points.
extension VirtioChannel {
    /// Where a buffer is now.
    public func location(of index: Int) -> BufferLocation {
        let message = messages[index]
        var places: [BufferLocation] = []
        if freeList.peekAll().contains(where: { $0 === message }) { places.append(.freeList) }
        if vqueue.heldRequests.contains(where: { $0.buffer == index }) { places.append(.device) }
        if vqueue.usedElements.contains(where: { $0.buffer == index }) { places.append(.usedRing) }
        if pendingList.peekAll().contains(where: { $0.message === message }) { places.append(.pendingList) }
        if places.count > 1 { return .several(places) }
        if let place = places.first { return place }
        let record = ledger.record(of: index)
        if let path = record.dequeuedBy.first { return .dequeued(by: path) }
        if record.ownerHolds, let owner = record.owner { return .heldBySender(owner) }
        return .nowhere
    }

    /// The buffers on the free list, head first.
    public var freeBuffers: [Int] { freeList.peekAll().map(\.index) }

    /// The buffers on the pending list, head first.
    public var pendingBuffers: [Int] { pendingList.peekAll().map(\.message.index) }

    /// The channel refcount now.
    public var channelUsers: Int { users.value }

    /// Whether `shutdown_done` is set (`cleanup_sync` began).
    public var isShuttingDown: Bool { shutdownDone.peek() != nil }

    /// Whether `deferred_tx_wq` is still set (`cleanup_sync` clears it).
    public var hasDeferredWorkQueue: Bool { deferredTxWQ.peek() != nil }
}
