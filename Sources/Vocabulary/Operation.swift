/// One shared access or kernel call of the transport, named by the kernel function whose
/// code performs it: what a scheduling point of the channel implementation is about to do.
///
/// The implementation carries an `Operation` at every scheduling point (its display label
/// is this value's ``description`` plus the point's details, such as the buffer); the spec
/// names, for each of its steps, the operations at which the step's code begins
/// (`Spec/TransportOperations.swift`). Nothing matches label strings.
public struct Operation: Hashable, Sendable, CustomStringConvertible {
    /// The entry point whose code runs (`poll_done`, `complete_cb`, ...).
    public var function: KernelFunction
    /// The helper it is inside, when the access belongs to one (`get_free_msg`, `msg_release`).
    public var helper: Helper?
    /// What happens at the point.
    public var access: Access

    public init(_ function: KernelFunction, _ access: Access, via helper: Helper? = nil) {
        self.function = function
        self.helper = helper
        self.access = access
    }

    /// Today's label spelling: "poll_done virtqueue_get_buf", "mark_txdone msg_release refcount_dec_and_test".
    public var description: String {
        if access == .start { return "\(function.entryVerb) \(function.rawValue)" }
        return [function.rawValue, helper?.rawValue, access.description].compactMap { $0 }.joined(separator: " ")
    }
}

/// The kernel entry points whose code the implementation runs (the SCMI core's in
/// drivers/firmware/arm_scmi/driver.c, the transport's in virtio.c).
public enum KernelFunction: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case xferGetInit = "xfer_get_init"
    case sendMessage = "send_message"
    case pollDone = "poll_done"
    /// The core's busy-wait loop around `poll_done` (`scmi_wait_for_reply`'s `spin_until_cond`).
    case pollLoop = "poll loop"
    case waitForReply = "wait_for_reply"
    case fetchResponse = "fetch_response"
    case markTxdone = "mark_txdone"
    case xferPut = "xfer_put"
    /// The virtqueue callback (`scmi_vio_complete_cb`), run by the IRQ or by the worker.
    case completeCb = "complete_cb"
    case rxCallback = "rx_callback"
    case handleResponse = "handle_response"
    case deferredTxWorker = "deferred_tx_worker"
    /// The work item that runs `deferred_tx_worker` on the work queue.
    case deferredTxWork = "deferred_tx_work"
    case cleanupSync = "cleanup_sync"
    case chanFree = "chan_free"
    /// Channel set-up (`virtio_chan_setup`), before any path runs.
    case chanSetup = "chan_setup"

    public var description: String { rawValue }

    /// How the start of a handler reads: "start complete_cb", "run deferred_tx_work".
    public var entryVerb: String { self == .deferredTxWork ? "run" : "start" }
}

/// Helpers an access may sit inside.
public enum Helper: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case getFreeMsg = "get_free_msg"
    case putFreeMsg = "put_free_msg"
    case msgRelease = "msg_release"
    case channelRelease = "channel_release"

    public var description: String { rawValue }
}

/// What happens at a scheduling point.
public enum Access: Hashable, Sendable, CustomStringConvertible {
    /// A handler or work item starts running.
    case start
    case lock(Lock)
    case read(Field)
    /// A store of a new value (the point's detail names it).
    case write(Field)
    /// A store of NULL.
    case clear(Field)
    case virtqueue(VirtqueueCall)
    case channelAcquire
    /// `complete_cb`'s `channel_acquire` at the top of every loop iteration after the first:
    /// it begins the dequeue of the next buffer, where the first one belongs to the handler's
    /// start. Displays as "channel_acquire".
    case channelReacquire
    case channelRelease
    case msgAcquire
    case refcountSet(Counter)
    case refcountInc(Counter)
    case refcountDecAndTest(Counter)
    case listDel(List)
    case listAddTail(List)
    case complete(CompletionName)
    case tryWaitForCompletion
    case waitForCompletion(CompletionName)
    case waitForCompletionTimeout
    /// `ktime_after(ktime_get(), stop)`.
    case deadlineCheck
    case cpuRelax
    case queueWork
    case readHeader
    /// The request is written into the buffer (`tx_prepare`).
    case txPrepare

    public var description: String {
        switch self {
        case .start: return "start"
        case .lock(let l): return "lock \(l.rawValue)"
        case .read(let f): return "read \(f.rawValue)"
        case .write(let f): return "\(f.rawValue) ="
        case .clear(let f): return "\(f.rawValue) = NULL"
        case .virtqueue(let call): return call.description
        case .channelAcquire, .channelReacquire: return "channel_acquire"
        case .channelRelease: return "channel_release"
        case .msgAcquire: return "msg_acquire"
        case .refcountSet: return "refcount_set"
        case .refcountInc: return "refcount_inc"
        case .refcountDecAndTest: return "refcount_dec_and_test"
        case .listDel(let list): return "list_del \(list.rawValue)"
        case .listAddTail(let list): return "list_add_tail \(list.rawValue)"
        case .complete(let c): return "complete \(c.rawValue)"
        case .tryWaitForCompletion: return "try_wait_for_completion"
        case .waitForCompletion(let c): return "wait_for_completion \(c.rawValue)"
        case .waitForCompletionTimeout: return "wait_for_completion_timeout done"
        case .deadlineCheck: return "ktime_after deadline"
        case .cpuRelax: return "cpu_relax"
        case .queueWork: return "queue_work deferred_tx_work"
        case .readHeader: return "read_header"
        case .txPrepare: return "tx_prepare"
        }
    }
}

/// The locks of the channel, its buffers and the core's transfers.
public enum Lock: String, CaseIterable, Hashable, Sendable {
    case channel = "vioch.lock"
    case free = "free_lock"
    case pending = "pending_lock"
    case poll = "poll_lock"
    /// The core's `minfo->xfer_lock`.
    case xferTable = "xfer_lock"
    /// A transfer's `xfer->lock`.
    case transfer = "xfer->lock"
}

/// Shared fields read or written outside one lock.
public enum Field: String, CaseIterable, Hashable, Sendable {
    case xferPriv = "xfer->priv"
    case pollStatus = "poll_status"
    case rxLen = "rx_len"
    case input = "input"
    case cinfo = "cinfo"
}

/// Refcounts.
public enum Counter: String, CaseIterable, Hashable, Sendable {
    case messageUsers = "msg->users"
    case transferUsers = "xfer->users"
    case channelUsers = "vioch->users"
}

/// Lists.
public enum List: String, CaseIterable, Hashable, Sendable {
    case free = "free_list"
    case pending = "pending_cmds_list"
}

/// Completions.
public enum CompletionName: String, CaseIterable, Hashable, Sendable {
    case done = "done"
    case shutdownDone = "shutdown_done"
}

/// Virtqueue API calls (include/linux/virtio.h).
public enum VirtqueueCall: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case addSgs = "virtqueue_add_sgs"
    case kick = "virtqueue_kick"
    case getBuf = "virtqueue_get_buf"
    case poll = "virtqueue_poll"
    /// `poll_done`'s `virtqueue_poll` right after `virtqueue_enable_cb_prepare` re-arms: part
    /// of re-arming, not a new poll.
    case pollAfterRearm = "virtqueue_poll after enable_cb_prepare"
    case disableCb = "virtqueue_disable_cb"
    case enableCb = "virtqueue_enable_cb"
    case enableCbPrepare = "virtqueue_enable_cb_prepare"
    case breakDevice = "virtio_break_device"

    public var description: String { self == .pollAfterRearm ? "virtqueue_poll" : rawValue }
}
