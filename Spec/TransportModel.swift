import TransitionSystems

/// The state of the SCMI virtio TX channel with polling, as variables of the spec.
///
/// Shared with the kernel (named after its fields): the free list, the used ring, the
/// pending list, each buffer's `poll_status`, `users`, `poll_idx` and `rx_len`, each
/// transfer's `state`, `priv` and `done`, and the channel and pending locks. Ghost
/// variables (marked so) exist only to state the properties: where each buffer is, which
/// pointers went stale, which replies were delivered.
///
/// Modelling choices, argued once here:
/// - Tokens: a buffer records the CPU whose transfer sent it (`req_cpu`); releasing a
///   transfer clears it, so a late reply matches no transfer. The real 10-bit tokens wrap;
///   like the reference, we assume a late reply never meets a newer transfer with its token.
///   A CPU has at most one transfer pending, so "the transfer of CPU c" names it exactly.
/// - `poll_idx`: `virtqueue_poll(poll_idx)` is "the used index moved since the snapshot".
///   We keep that one bit per buffer (`poll_moved`): the snapshot sets it to "entries are
///   already waiting" (the used index differs from the driver's cursor), every device reply
///   sets it. Exact as long as the 16-bit used index does not wrap between snapshot and poll.
/// - Callbacks on/off are not state: the reference lets the IRQ path start whenever the
///   used ring is not empty, and `enable_cb()` returns "the ring is still empty".
/// - Shutdown and `add_sgs` failures (broken or full queue) are not modelled yet; with as
///   many descriptors as buffers the queue is never full.
struct TransportModel {
    let configuration: TransportConfiguration
    let behaviour: TransportBehaviour

    // MARK: - Domains

    let cpu: Domain
    let buffer: Domain
    let pollStatus = Domain.enumeration("PollStatus", ["NOT_POLLED", "POLLING", "POLL_DONE", "POLL_TIMEOUT"])
    let transferState = Domain.enumeration("XferState", ["SENT_OK", "RESP_OK"])
    let refcount = Domain.range("Refcount", 0...3)

    // MARK: - Buffers and lists

    let freeList: BufferQueue
    let usedRing: BufferQueue
    let pendingList: BufferQueue
    let onFreeList: Variable
    let inDevice: Variable
    let status: Variable
    let users: Variable
    let pollMoved: Variable
    let rxLenFresh: Variable
    let inputFresh: Variable
    let requestOf: Variable

    // MARK: - Channel

    let channelLocked: Variable
    let pendingLocked: Variable
    let workQueued: Variable

    // MARK: - Transfers (one per CPU)

    let polled: Variable
    let state: Variable
    let done: Variable
    let deadline: Variable
    let priv: Variable
    let privStale: Variable
    let transferBuffer: Variable
    let timedOut: Variable
    let finalPoll: Variable
    let gotReply: Variable

    // MARK: - Locals of the sender paths

    let msg: Variable
    let msgStale: Variable
    let next: Variable
    let nextStale: Variable
    let marked: Variable
    let found: Variable
    let prefetched: Variable
    let releaseBoth: Variable

    // MARK: - Locals of the IRQ path and the worker

    let irqMsg: Variable
    let irqStale: Variable
    let irqXfer: Variable
    let workerMsg: Variable
    let workerStale: Variable
    let workerXfer: Variable

    // MARK: - Ghost verdicts

    let doubleFree: Variable
    let underflow: Variable
    let useAfterRelease: Variable
    let badDelivery: Variable

    init(_ configuration: TransportConfiguration, behaviour: TransportBehaviour) {
        self.configuration = configuration
        self.behaviour = behaviour
        cpu = .instances("CPU", count: configuration.cpus, prefix: "cpu")
        buffer = .instances("Msg", count: configuration.buffers, prefix: "msg")
        let none = buffer.none

        freeList = BufferQueue(full: "free_list", buffers: buffer, doc: "free_list: unused TX buffers, head first.")
        usedRing = BufferQueue("used_ring", buffers: buffer, doc: "Buffers the device returned, not yet dequeued (get_buf order).")
        pendingList = BufferQueue("pending_cmds", buffers: buffer, doc: "pending_cmds_list: buffers a poller dequeued for the worker.")
        onFreeList = Variable("on_free_list", .boolean, indexedBy: buffer, initial: true, doc: "The buffer is on the free list (ghost).")
        inDevice = Variable("in_device", .boolean, indexedBy: buffer, initial: false, doc: "The device owns the buffer (published by add_sgs, not yet used).")
        status = Variable("poll_status", pollStatus, indexedBy: buffer, initial: pollStatus["NOT_POLLED"], doc: "msg->poll_status.")
        users = Variable("users", refcount, indexedBy: buffer, initial: 0, doc: "msg->users, the message refcount (upstream and fixed).")
        pollMoved = Variable("poll_moved", .boolean, indexedBy: buffer, initial: false, doc: "virtqueue_poll(msg->poll_idx): the used index moved since the snapshot.")
        rxLenFresh = Variable("rx_len_set", .boolean, indexedBy: buffer, initial: false, doc: "msg->rx_len was written for the current reply (ghost).")
        inputFresh = Variable("input_fresh", .boolean, indexedBy: buffer, initial: false, doc: "msg->input holds the reply to the current request (ghost).")
        requestOf = Variable("req_cpu", cpu.optional, indexedBy: buffer, initial: cpu.none, doc: "Whose pending transfer the buffer's token names; none once that transfer is released.")

        channelLocked = Variable("vio_lock", .boolean, initial: false, doc: "vioch->lock is held.")
        pendingLocked = Variable("pending_lock", .boolean, initial: false, doc: "vioch->pending_lock is held by the worker's drain.")
        workQueued = Variable("work_queued", .boolean, initial: false, doc: "The deferred TX work is queued.")

        polled = Variable("polled", .boolean, indexedBy: cpu, initial: false, doc: "xfer->hdr.poll_completion.")
        state = Variable("xfer_state", transferState, indexedBy: cpu, initial: transferState["SENT_OK"], doc: "xfer->state.")
        done = Variable("done", .boolean, indexedBy: cpu, initial: false, doc: "xfer->done is completed.")
        deadline = Variable("deadline", .boolean, indexedBy: cpu, initial: false, doc: "The transfer's timeout has passed.")
        priv = Variable("priv", buffer.optional, indexedBy: cpu, initial: none, doc: "xfer->priv: the buffer bound to the transfer.")
        privStale = Variable("priv_stale", .boolean, indexedBy: cpu, initial: false, doc: "xfer->priv points to a buffer released since it was set (ghost).")
        transferBuffer = Variable("xfer_msg", buffer.optional, indexedBy: cpu, initial: none, doc: "The buffer the transfer's request went out in (ghost).")
        timedOut = Variable("timed_out", .boolean, indexedBy: cpu, initial: false, doc: "The core's result is -ETIMEDOUT.")
        finalPoll = Variable("final_poll", .boolean, indexedBy: cpu, initial: false, doc: "The current poll_done call is the one after the loop (current core).")
        gotReply = Variable("got_reply", .boolean, indexedBy: cpu, initial: false, doc: "A reply was fetched into the transfer (ghost).")

        msg = Variable("msg", buffer.optional, indexedBy: cpu, initial: none, doc: "The transport's local msg in send_message, poll_done or mark_txdone.")
        msgStale = Variable("msg_stale", .boolean, indexedBy: cpu, initial: false, doc: "msg was released since it was read (ghost).")
        next = Variable("next_msg", buffer.optional, indexedBy: cpu, initial: none, doc: "poll_done's next_msg, just dequeued.")
        nextStale = Variable("next_msg_stale", .boolean, indexedBy: cpu, initial: false, doc: "next_msg was released since it was dequeued (ghost).")
        marked = Variable("next_msg_done", .boolean, indexedBy: cpu, initial: false, doc: "This poll_done marked next_msg POLL_DONE.")
        found = Variable("found", .boolean, indexedBy: cpu, initial: false, doc: "poll_done dequeued its own buffer (ret).")
        prefetched = Variable("any_prefetched", .boolean, indexedBy: cpu, initial: false, doc: "poll_done appended to the pending list.")
        releaseBoth = Variable("release_poll_ref", .boolean, indexedBy: cpu, initial: false, doc: "mark_txdone (fixed) will release the poll path's reference too.")

        irqMsg = Variable("irq_msg", buffer.optional, initial: none, doc: "The buffer the IRQ path dequeued.")
        irqStale = Variable("irq_msg_stale", .boolean, initial: false, doc: "irq_msg was released since it was dequeued (ghost).")
        irqXfer = Variable("irq_xfer", cpu.optional, initial: cpu.none, doc: "The transfer the IRQ path's delivery acquired; none once released or detached.")
        workerMsg = Variable("worker_msg", buffer.optional, initial: none, doc: "The buffer the worker handles.")
        workerStale = Variable("worker_msg_stale", .boolean, initial: false, doc: "worker_msg was released since it was taken (ghost).")
        workerXfer = Variable("worker_xfer", cpu.optional, initial: cpu.none, doc: "The transfer the worker's delivery acquired.")

        doubleFree = Variable("double_free", .boolean, initial: false, doc: "A buffer was appended to the free list while on it (ghost).")
        underflow = Variable("refcount_underflow", .boolean, initial: false, doc: "A message refcount was released at zero (ghost).")
        useAfterRelease = Variable("use_after_release", .boolean, initial: false, doc: "A path touched a buffer through a stale pointer (ghost).")
        badDelivery = Variable("bad_delivery", .boolean, initial: false, doc: "A fetch read another transfer's, a stale, or a second reply (ghost).")
    }

    /// Every variable, in the order traces list them.
    var variables: [Variable] {
        var all: [Variable] = freeList.variables + [onFreeList, inDevice] + usedRing.variables + pendingList.variables
        all += [status]
        if behaviour.messageRefcount { all.append(users) }
        all += [pollMoved, rxLenFresh, inputFresh, requestOf, channelLocked, pendingLocked, workQueued]
        all += [polled, state, done, deadline, priv, privStale, transferBuffer, timedOut, finalPoll, gotReply]
        all += [msg, msgStale, next, nextStale, marked, found, prefetched]
        if behaviour.secondReleaseOnlyWhenPollDone { all.append(releaseBoth) }
        all += [irqMsg, irqStale, irqXfer, workerMsg, workerStale, workerXfer]
        all += [doubleFree, underflow, useAfterRelease, badDelivery]
        return all
    }

    // MARK: - Shared helpers

    func polling(_ s: String) -> Expr { pollStatus[s] }

    /// A pointer some path holds to a buffer, with its ghost "released since" flag.
    struct Pointer {
        let target: Expr
        let stale: Expr
    }

    /// Every pointer to a buffer that a path may hold, other than `except`.
    func pointers(except excluded: (Variable, Expr?)?) -> [(Pointer, Expr?)] {
        var result: [(Pointer, Expr?)] = []
        for (pointer, stale) in [(priv, privStale), (msg, msgStale), (next, nextStale)] {
            for name in cpu.valueNames {
                let k = cpu[name]
                var exclusion: Expr?
                if let (v, index) = excluded, v.name == pointer.name, let index { exclusion = k == index }
                result.append((Pointer(target: pointer[k], stale: stale[k]), exclusion))
            }
        }
        for (pointer, stale) in [(irqMsg, irqStale), (workerMsg, workerStale)] where excluded?.0.name != pointer.name {
            result.append((Pointer(target: pointer.value, stale: stale.value), nil))
        }
        return result
    }

    /// Appends `m` to the free list (`list_add_tail` under `free_lock`), or records a double free;
    /// every other pointer to `m` goes stale, since the buffer may now be reused.
    func appendToFreeList(_ m: Expr, clearing owner: (Variable, Expr?)) -> [ActionPart] {
        var marks: [ActionPart] = []
        for (pointer, exclusion) in pointers(except: owner) {
            let mark = If(pointer.target == m) { pointer.stale <- true }
            if let exclusion { marks.append(If(!exclusion) { mark }) } else { marks.append(mark) }
        }
        return [
            If(onFreeList[m]) {
                doubleFree.value <- true
            } else: {
                freeList.push(m)
                onFreeList[m] <- true
                // Ghost and per-request state of a free buffer is dead until it is sent again.
                pollMoved[m] <- false
                rxLenFresh[m] <- false
                inputFresh[m] <- false
                marks
            },
        ]
    }

    /// `fetch_response` of buffer `f` into the transfer of CPU `x`: records a bad delivery when
    /// the buffer carries another transfer's token, a stale input or length, or a second reply.
    func fetch(_ f: Expr, into x: Expr) -> [ActionPart] {
        [
            badDelivery.value <- badDelivery.value || requestOf[f] != x || !inputFresh[f] || !rxLenFresh[f] || gotReply[x],
            gotReply[x] <- true,
        ]
    }

    /// Records a use after release when any of `stale` holds.
    func touch(_ stale: Expr...) -> ActionPart {
        useAfterRelease.value <- useAfterRelease.value || .or(stale)
    }
}
