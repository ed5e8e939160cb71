import Scheduling
import Vocabulary

/// The TX channel of the SCMI virtio transport (`struct scmi_vio_channel` for the cmdq),
/// with the transport operations the core calls: `sendMessage`, `fetchResponse`,
/// `markTxDone`, `pollDone`; the virtqueue callback `completeCallback`; the
/// `deferredTxWorker`; and `channelFree`.
///
/// The code follows the driver's design; every place where kernel versions differ reads one
/// of `switches`. Every access to state that another path can touch outside the same lock
/// is a scheduling point of `platform` labelled with its `Operation` (and the buffer, token
/// or value it touches), so a controlled scheduler can interleave the paths at exactly
/// those points.
public final class VirtioChannel: @unchecked Sendable {
    public let switches: Switches
    public let platform: Platform
    public let vqueue: Virtqueue
    public let device: SimulatedDevice
    /// The message buffers, `max_msg` of them.
    public let messages: [VirtioMessage]
    public let ledger: BufferLedger
    public let recorder: ViolationRecorder
    /// The deferred TX work queue (`deferred_tx_wq`), run by the actor "worker".
    public let workQueue: WorkQueue
    /// The virtqueue interrupt, served by `completeCallback` on the actor "irq".
    public let interrupt: InterruptLine
    weak var core: SCMICore?

    /// `vioch->lock`: every virtqueue operation, `cinfo`, `shutdown_done`, `deferred_tx_wq`.
    let lock: SpinLock
    let freeLock: SpinLock
    let freeList: SharedList<VirtioMessage>
    let pendingLock: SpinLock
    let pendingList: SharedList<MessageRef>
    /// The channel refcount (`vioch->users`).
    let users: RefCount
    /// Whether `cinfo` is set (the channel is ready); under `lock`.
    let cinfo: Shared<Bool>
    /// `shutdown_done`; only accessed under `lock`.
    let shutdownDone: Shared<Completion?>
    /// `deferred_tx_wq`; only accessed under `lock` (or before the channel is shared).
    let deferredTxWQ: Shared<WorkQueue?>
    /// Shadow bookkeeping, not a driver field: the channel references each actor holds now.
    private let referenceLock = PlainLock()
    private var referencesByActor: [String: Int] = [:]

    /// Sets the channel up (`virtio_chan_setup` for TX): `bufferCount` buffers on the free
    /// list, the worker allocated, the channel ready with one user. Nothing runs yet: call
    /// `startServiceActors()` to start the interrupt handler and the worker.
    public init(switches: Switches, platform: Platform, bufferCount: Int, recorder: ViolationRecorder? = nil) {
        self.switches = switches
        self.platform = platform
        let recorder = recorder ?? ViolationRecorder(platform: platform)
        self.recorder = recorder
        ledger = BufferLedger(count: bufferCount, recorder: recorder, platform: platform)
        vqueue = Virtqueue(capacity: bufferCount, platform: platform)
        device = SimulatedDevice(vqueue: vqueue)
        messages = (0..<bufferCount).map { VirtioMessage(index: $0, platform: platform) }
        workQueue = WorkQueue("worker", startOperation: Operation(.deferredTxWork, .start), platform: platform)
        interrupt = InterruptLine("irq", startOperation: Operation(.completeCb, .start), platform: platform)
        lock = SpinLock("vioch.lock", platform: platform)
        freeLock = SpinLock("free_lock", platform: platform)
        freeList = SharedList("free_list", platform: platform)
        pendingLock = SpinLock("pending_lock", platform: platform)
        pendingList = SharedList("pending_cmds_list", platform: platform)
        users = RefCount("vioch.users", initial: 0, platform: platform)
        cinfo = Shared("vioch.cinfo", false, platform: platform)
        shutdownDone = Shared("vioch.shutdown_done", nil, platform: platform)
        deferredTxWQ = Shared("vioch.deferred_tx_wq", nil, platform: platform)

        for message in messages {
            message.users.onUnderflow = { [unowned recorder] operation in
                recorder.record(.noDoubleFree, "refcount of \(message) went below zero (\(operation))")
            }
            freeList.appendQuietly(message)
        }
        users.onUnderflow = { [unowned recorder] operation in
            recorder.record(.noDoubleFree, "channel refcount went below zero (\(operation))")
        }
        vqueue.auditAccess = { [unowned ledger] operation in
            ledger.auditChannelAlive("\(operation) on the virtqueue")
        }
        vqueue.onUsed = { [unowned interrupt] in interrupt.raise() }
        deferredTxWQ.poke(workQueue)
        cinfo.poke(true)
        users.set(1, .op(.chanSetup, .refcountSet(.channelUsers), "users 1"))
    }

    /// Starts the interrupt handler ("irq") and the deferred worker ("worker").
    public func startServiceActors() {
        interrupt.start(
            isPending: { [unowned vqueue] in vqueue.hasUsedBuffers },
            handler: { [unowned self] in completeCallback() }
        )
        workQueue.start { [unowned self] in deferredTxWorker() }
    }

    // MARK: - Channel refcount

    /// `scmi_vio_channel_acquire`: increment-if-not-zero. `access` is `.channelAcquire`, or
    /// `.channelReacquire` for `complete_cb`'s later loop iterations.
    func channelAcquire(_ caller: KernelFunction, _ access: Access = .channelAcquire) -> Bool {
        let acquired = users.incrementIfNotZero(.op(caller, access))
        if acquired { noteReference(+1) }
        return acquired
    }

    /// Counts a reference taken (+1) or given back (-1) by the running actor.
    private func noteReference(_ change: Int) {
        let actor = platform.currentActorName
        referenceLock.withLock { referencesByActor[actor, default: 0] += change }
    }

    /// The channel references each actor holds now, by actor name (actors holding none left
    /// out); the first reference, which `cleanup_sync` drops, is nobody's. Shadow bookkeeping.
    public var channelReferences: [String: Int] {
        referenceLock.withLock { referencesByActor.filter { $0.value != 0 } }
    }

    /// `scmi_vio_channel_release`: the last release during shutdown clears `cinfo` and
    /// completes `shutdown_done`.
    func channelRelease(_ caller: KernelFunction) {
        let last = users.decrementAndTest(.op(caller, .channelRelease))
        if caller != .cleanupSync { noteReference(-1) }
        guard last else { return }
        lock.lock(.op(caller, .lock(.channel), via: .channelRelease))
        if let done = shutdownDone.peek() {
            cinfo.store(false, .op(caller, .clear(.cinfo), via: .channelRelease))
            ledger.channelTornDown()
            platform.trace("channel torn down")
            done.complete(.op(caller, .complete(.shutdownDone), via: .channelRelease))
        }
        lock.unlock()
    }

    // MARK: - Free list

    /// Takes a buffer from the free list (`scmi_virtio_get_free_msg`).
    func getFreeMessage(_ caller: KernelFunction) -> MessageRef? {
        freeLock.lock(.op(caller, .lock(.free), via: .getFreeMsg))
        let taken = freeList.removeFirst(.op(caller, .listDel(.free), via: .getFreeMsg), audit: { ledger.auditChannelAlive("get_free_msg on the free list") })
        freeLock.unlock()
        guard let message = taken else { return nil }
        let msg = ledger.takenFromFreeList(message)
        platform.trace("\(platform.currentActorName) took \(msg) from the free list (life \(msg.generation))")
        if switches.messageRefcount {
            msg.writePollStatus(.notPolled, .op(caller, .write(.pollStatus), via: .getFreeMsg, "NOT_POLLED (\(msg))"))
            msg.setUsers(1, .op(caller, .refcountSet(.messageUsers), via: .getFreeMsg, "\(msg).users 1"))
        }
        return msg
    }

    /// Appends a buffer to the free list (in `helper`, `put_free_msg` or `msg_release`),
    /// judged by the ledger.
    private func appendToFreeList(_ msg: MessageRef, _ caller: KernelFunction, via helper: Helper) {
        freeLock.lock(.op(caller, .lock(.free), via: helper))
        platform.schedulingPoint(.op(caller, .listAddTail(.free), via: helper, "(\(msg))"))
        ledger.auditChannelAlive("\(caller) \(helper) on the free list")
        let elsewhere = vqueue.places(of: msg.message.index)
            + (pendingList.peekAll().contains { $0.pointsTo(msg) } ? ["the pending list"] : [])
        if ledger.admitToFreeList(msg, alsoIn: elsewhere) {
            freeList.appendQuietly(msg.message)
            platform.trace("\(msg) is back on the free list")
        }
        freeLock.unlock()
    }

    /// Returns a buffer to the free list (`scmi_virtio_put_free_msg`, v4 and v4-proposal).
    func putFreeMessage(_ msg: MessageRef, _ caller: KernelFunction) {
        msg.writePollStatus(.notPolled, .op(caller, .write(.pollStatus), via: .putFreeMsg, "NOT_POLLED (\(msg))"))
        appendToFreeList(msg, caller, via: .putFreeMsg)
    }

    /// Drops a reference; the last one returns the buffer (`scmi_vio_msg_release`, upstream+).
    @discardableResult
    func releaseMessage(_ msg: MessageRef, _ caller: KernelFunction) -> Bool {
        let released = msg.decrementUsers(.op(caller, .refcountDecAndTest(.messageUsers), via: .msgRelease, "\(msg).users"))
        if released { appendToFreeList(msg, caller, via: .msgRelease) }
        return released
    }

    /// What a path that dequeued a TX buffer does when it is done (`scmi_finalize_message`).
    func finalizeMessage(_ msg: MessageRef, _ caller: KernelFunction) {
        if switches.messageRefcount {
            releaseMessage(msg, caller)
        } else {
            putFreeMessage(msg, caller)
        }
        ledger.finished(with: msg)
    }

    /// Judges adding `msg` to the ring: it must be in no other place.
    private func auditAddition(of msg: MessageRef) {
        ledger.audit(msg, "added to the ring")
        var elsewhere = vqueue.places(of: msg.message.index)
        if ledger.record(of: msg.message.index).onFreeList { elsewhere.append("the free list") }
        if pendingList.peekAll().contains(where: { $0.pointsTo(msg) }) { elsewhere.append("the pending list") }
        if !elsewhere.isEmpty {
            recorder.record(.conservation, "added \(msg) to the ring while it is also in \(elsewhere.joined(separator: " and "))")
        }
    }

    // MARK: - Pending list

    /// Hands a dequeued buffer to the deferred worker.
    func appendToPendingList(_ msg: MessageRef, _ caller: KernelFunction) {
        pendingLock.lock(.op(caller, .lock(.pending)))
        pendingList.append(msg, .op(caller, .listAddTail(.pending), "(\(msg))"), audit: {
            ledger.auditChannelAlive("\(caller) on the pending list")
            let record = ledger.record(of: msg.message.index)
            var elsewhere = vqueue.places(of: msg.message.index)
            if record.onFreeList { elsewhere.append("the free list") }
            if pendingList.peekAll().contains(where: { $0.pointsTo(msg) }) { elsewhere.append("the pending list already") }
            if !elsewhere.isEmpty {
                recorder.record(.conservation, "appended \(msg) to the pending list while it is also in \(elsewhere.joined(separator: " and "))")
            }
        })
        pendingLock.unlock()
        platform.trace("\(msg) is on the pending list")
    }

    // MARK: - Transport operations

    /// Publishes a transfer's request on the virtqueue (`virtio_send_message`).
    public func sendMessage(_ xfer: Transfer) -> Int32 {
        guard channelAcquire(.sendMessage) else { return -Errno.EINVAL }
        guard let msg = getFreeMessage(.sendMessage) else {
            channelRelease(.sendMessage)
            return -Errno.EBUSY
        }
        xfer.noteSent(msg)
        msg.writeRequest(token: xfer.token, serial: xfer.serial, .op(.sendMessage, .txPrepare, "\(msg) for token \(xfer.token)"))

        lock.lock(.op(.sendMessage, .lock(.channel)))
        if xfer.isPolled {
            let index = vqueue.enableCallbacksPrepare(.op(.sendMessage, .virtqueue(.enableCbPrepare)))
            msg.message.pollIndex.poke(index)
            msg.writePollStatus(.polling, .op(.sendMessage, .write(.pollStatus), "POLLING (\(msg))"))
            if switches.messageRefcount {
                _ = msg.acquire(.op(.sendMessage, .msgAcquire, "\(msg).users"))
            }
            xfer.priv.store(msg, .op(.sendMessage, .write(.xferPriv), "\(msg)"))
        }
        let rc = vqueue.addSGs(msg, .op(.sendMessage, .virtqueue(.addSgs), "\(msg)"), audit: { auditAddition(of: msg) })
        if rc == 0 { vqueue.kick() }
        lock.unlock()

        if rc != 0 {
            xfer.priv.store(nil, .op(.sendMessage, .clear(.xferPriv)))
            if switches.messageRefcount {
                if xfer.isPolled { releaseMessage(msg, .sendMessage) }
                releaseMessage(msg, .sendMessage)
            } else {
                putFreeMessage(msg, .sendMessage)
            }
        } else {
            platform.trace("\(msg) with the request of token \(xfer.token) is on the ring")
            if !xfer.isPolled { ledger.ownerLetsGo(msg) }
        }
        channelRelease(.sendMessage)
        return rc
    }

    /// Tells the monitor that the sender no longer holds the buffer of `xfer` (`do_xfer`
    /// has returned). Not a driver operation: shadow bookkeeping only.
    public func transferEnded(_ xfer: Transfer) {
        if let msg = xfer.sentMessage { ledger.ownerLetsGo(msg) }
    }

    /// Tells the monitor that `send_message` failed with `result` for `xfer` and `do_xfer`
    /// returns it; judges the unwinding (`BufferLedger.auditUnwound`). Shadow bookkeeping only.
    public func sendFailed(_ xfer: Transfer, result: Int32) {
        guard let msg = xfer.sentMessage else { return }
        ledger.auditUnwound(msg, after: result)
        ledger.ownerLetsGo(msg)
    }

    /// Copies the reply from the buffer bound through `priv` (`virtio_fetch_response`).
    public func fetchResponse(_ xfer: Transfer) {
        guard let msg = xfer.priv.load(.op(.fetchResponse, .read(.xferPriv))) else { return }
        let input = msg.readInput(.op(.fetchResponse, .read(.input), "of \(msg)"))
        let length = msg.readRxLen(.op(.fetchResponse, .read(.rxLen), "of \(msg)"))
        core?.copyResponse(into: xfer, from: msg, input: input, length: length)
    }
}
