import TransitionSystems
import Vocabulary

/// The state of the SCMI virtio TX channel with polling, as variables of the spec, and the
/// helpers every kernel function's steps share.
///
/// Shared with the kernel (named after its fields): the free list, the used ring, the
/// pending list, each buffer's `poll_status`, `users`, `poll_idx` and `rx_len`, each
/// transfer's `state`, `priv` and `done`, and the channel and pending locks. Ghost
/// variables (tagged so) exist only to state the properties: where each buffer is, which
/// pointers went stale, which replies were delivered.
///
/// Modelling choices, argued once here:
/// - Tokens: a buffer records the CPU whose transfer sent it (`req_cpu`); releasing a
///   transfer clears it, so a late reply matches no transfer. The real 10-bit tokens wrap:
///   with `--tokens N` (Tokens.swift) transfers take tokens from a space of N and a late reply
///   may meet a newer transfer with its token; without it, like the reference, we assume it
///   never does. A CPU has at most one transfer pending, so "the transfer of CPU c" names it exactly.
/// - `poll_idx`: `virtqueue_poll(poll_idx)` is "the used index moved since the snapshot".
///   We keep that one bit per buffer (`poll_moved`): the snapshot sets it to "entries are
///   already waiting" (the used index differs from the driver's cursor), every device reply
///   sets it. Exact as long as the 16-bit used index does not wrap between snapshot and poll.
/// - Callbacks on/off are not state: the reference lets the IRQ path start whenever the
///   used ring is not empty, and `enable_cb()` returns "the ring is still empty".
/// - Shutdown and the `add_sgs` failure it causes (a broken queue) are modelled with
///   `--shutdown on` (``shutdown()``); with as many descriptors as buffers the queue is never full.
struct TransportModel {
    let configuration: TransportConfiguration
    let switches: Switches
    let counterparts = CounterpartRecorder()

    /// What a variable is for, from which the lists of variables derive.
    enum Tag {
        /// Part of a transfer or of its sender's locals: back to its initial value when the transfer is released.
        case perTransfer
        /// A pointer to a buffer that a path holds, with its ghost "released since" flag.
        case pointer(stale: Variable)
    }

    /// Every variable in the order traces list them, with its tags.
    let declared: [(variable: Variable, tags: [Tag])]

    // MARK: - Domains

    let cpu: Domain
    let buffer: Domain
    let pollStatus = Domain.enumeration("PollStatus", ["NOT_POLLED", "POLLING", "POLL_DONE", "POLL_TIMEOUT"])
    let transferState = Domain.enumeration("XferState", ["SENT_OK", "RESP_OK"])
    let refcount = Domain.range("Refcount", 0...3)
    let tokenHold = Domain.enumeration("TokenHold", ["no", "irq", "worker"])

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

    // MARK: - Tokens (``allocateToken(_:)``; declared only with `--tokens`)

    let tokenOwner: Variable
    let xferToken: Variable
    let msgToken: Variable
    let lastToken: Variable
    let tokenHeldByPath: Variable

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

    // MARK: - Execution contexts (``ExecutionContexts``; declared only with them)

    let irqCPU: Variable
    let workerCPU: Variable

    // MARK: - The channel's lifecycle (``shutdown()``; declared only with shutdown)

    let channelUsers: Variable
    let shutdownBegun: Variable
    let broken: Variable
    let txWorkQueue: Variable
    let channelHeld: Variable
    let shutdownUnsafe: Variable

    // MARK: - Ghost verdicts

    let doubleFree: Variable
    let underflow: Variable
    let useAfterRelease: Variable
    let badDelivery: Variable

    init(_ configuration: TransportConfiguration, switches: Switches) {
        self.configuration = configuration
        self.switches = switches
        cpu = .instances("CPU", count: configuration.cpus, prefix: "cpu")
        buffer = .instances("Msg", count: configuration.buffers, prefix: "msg")
        let none = buffer.none
        let s = switches

        var list: [(variable: Variable, tags: [Tag])] = []
        func declare(_ v: Variable, _ tags: Tag..., if present: Bool = true) -> Variable {
            if present { list.append((v, tags)) }
            return v
        }
        func declare(_ q: BufferQueue) -> BufferQueue {
            for v in q.variables { list.append((v, [])) }
            return q
        }

        freeList = declare(BufferQueue(full: StateName.freeList.rawValue, buffers: buffer, doc: "free_list: unused TX buffers, head first."))
        onFreeList = declare(Variable("on_free_list", .boolean, indexedBy: buffer, initial: true, doc: "The buffer is on the free list (ghost)."))
        inDevice = declare(Variable(StateName.inDevice.rawValue, .boolean, indexedBy: buffer, initial: false, doc: "The device owns the buffer (published by add_sgs, not yet used)."))
        usedRing = declare(BufferQueue(StateName.usedRing.rawValue, buffers: buffer, doc: "Buffers the device returned, not yet dequeued (get_buf order)."))
        pendingList = declare(BufferQueue(StateName.pendingList.rawValue, buffers: buffer, doc: "pending_cmds_list: buffers a poller dequeued for the worker."))
        status = declare(Variable(StateName.pollStatus.rawValue, pollStatus, indexedBy: buffer, initial: pollStatus["NOT_POLLED"], doc: "msg->poll_status."))
        users = declare(Variable(StateName.users.rawValue, refcount, indexedBy: buffer, initial: 0, doc: "msg->users, the message refcount (upstream and fixed)."), if: s.messageRefcount)
        pollMoved = declare(Variable("poll_moved", .boolean, indexedBy: buffer, initial: false, doc: "virtqueue_poll(msg->poll_idx): the used index moved since the snapshot."))
        rxLenFresh = declare(Variable("rx_len_set", .boolean, indexedBy: buffer, initial: false, doc: "msg->rx_len was written for the current reply (ghost)."))
        inputFresh = declare(Variable("input_fresh", .boolean, indexedBy: buffer, initial: false, doc: "msg->input holds the reply to the current request (ghost)."))
        requestOf = declare(Variable("req_cpu", cpu.optional, indexedBy: buffer, initial: cpu.none, doc: "Whose pending transfer the buffer's token names; none once that transfer is released."))
        let tokens = configuration.tokens.map { Domain.instances("Token", count: $0, prefix: "t") } ?? .instances("Token", count: 1, prefix: "t")
        let hasTokens = configuration.tokens != nil
        tokenOwner = declare(Variable("token_owner", cpu.optional, indexedBy: tokens, initial: cpu.none, doc: "xfer_alloc_table: the CPU whose pending transfer holds the token; none when it is free."),
                             if: hasTokens)
        msgToken = declare(Variable("msg_token", tokens.optional, indexedBy: buffer, initial: tokens.none, doc: "The token in the header of the buffer's request (the reply carries it back)."),
                           if: hasTokens)
        lastToken = declare(Variable("last_token", tokens, initial: tokens[tokens.valueNames.last!], doc: "transfer_last_id modulo the token space: the search for the next token starts one past it."),
                            if: hasTokens)
        tokenHeldByPath = declare(Variable("token_held", tokenHold, indexedBy: tokens, initial: tokenHold["no"],
                                           doc: "The token's transfer was released while a delivery path (irq or worker) still held a reference: the token stays taken until that path drops it."),
                                  if: hasTokens)

        channelLocked = declare(Variable("vio_lock", .boolean, initial: false, doc: "vioch->lock is held."))
        pendingLocked = declare(Variable("pending_lock", .boolean, initial: false, doc: "vioch->pending_lock is held by the worker's drain."))
        workQueued = declare(Variable(StateName.workQueued.rawValue, .boolean, initial: false, doc: "The deferred TX work is queued."))

        polled = declare(Variable("polled", .boolean, indexedBy: cpu, initial: false, doc: "xfer->hdr.poll_completion."), .perTransfer)
        state = declare(Variable(StateName.transferState.rawValue, transferState, indexedBy: cpu, initial: transferState["SENT_OK"], doc: "xfer->state."), .perTransfer)
        xferToken = declare(Variable("xfer_token", tokens.optional, indexedBy: cpu, initial: tokens.none, doc: "xfer->hdr.seq: the token of the CPU's transfer."),
                            .perTransfer, if: hasTokens)
        done = declare(Variable("done", .boolean, indexedBy: cpu, initial: false, doc: "xfer->done is completed."), .perTransfer)
        deadline = declare(Variable("deadline", .boolean, indexedBy: cpu, initial: false, doc: "The transfer's timeout has passed."), .perTransfer)
        let privStaleFlag = Variable("priv_stale", .boolean, indexedBy: cpu, initial: false, doc: "xfer->priv points to a buffer released since it was set (ghost).")
        priv = declare(Variable(StateName.priv.rawValue, buffer.optional, indexedBy: cpu, initial: none, doc: "xfer->priv: the buffer bound to the transfer."), .perTransfer, .pointer(stale: privStaleFlag))
        privStale = declare(privStaleFlag, .perTransfer)
        transferBuffer = declare(Variable("xfer_msg", buffer.optional, indexedBy: cpu, initial: none, doc: "The buffer the transfer's request went out in (ghost)."), .perTransfer)
        timedOut = declare(Variable("timed_out", .boolean, indexedBy: cpu, initial: false, doc: "The core's result is -ETIMEDOUT."), .perTransfer)
        finalPoll = declare(Variable("final_poll", .boolean, indexedBy: cpu, initial: false, doc: "The current poll_done call is the one after the loop (current core)."), .perTransfer)
        gotReply = declare(Variable("got_reply", .boolean, indexedBy: cpu, initial: false, doc: "A reply was fetched into the transfer (ghost)."), .perTransfer)

        let msgStaleFlag = Variable("msg_stale", .boolean, indexedBy: cpu, initial: false, doc: "msg was released since it was read (ghost).")
        msg = declare(Variable("msg", buffer.optional, indexedBy: cpu, initial: none, doc: "The transport's local msg in send_message, poll_done or mark_txdone."), .perTransfer, .pointer(stale: msgStaleFlag))
        msgStale = declare(msgStaleFlag, .perTransfer)
        let nextStaleFlag = Variable("next_msg_stale", .boolean, indexedBy: cpu, initial: false, doc: "next_msg was released since it was dequeued (ghost).")
        next = declare(Variable("next_msg", buffer.optional, indexedBy: cpu, initial: none, doc: "poll_done's next_msg, just dequeued."), .perTransfer, .pointer(stale: nextStaleFlag))
        nextStale = declare(nextStaleFlag, .perTransfer)
        marked = declare(Variable("next_msg_done", .boolean, indexedBy: cpu, initial: false, doc: "This poll_done marked next_msg POLL_DONE."), .perTransfer)
        found = declare(Variable("found", .boolean, indexedBy: cpu, initial: false, doc: "poll_done dequeued its own buffer (ret)."), .perTransfer)
        prefetched = declare(Variable("any_prefetched", .boolean, indexedBy: cpu, initial: false, doc: "poll_done appended to the pending list."), .perTransfer)
        releaseBoth = declare(Variable("release_poll_ref", .boolean, indexedBy: cpu, initial: false, doc: "mark_txdone, deciding before it releases, will release the poll path's reference too."),
                              .perTransfer, if: s.messageRefcount && s.decidesBeforeReleasing)

        let irqStaleFlag = Variable("irq_msg_stale", .boolean, initial: false, doc: "irq_msg was released since it was dequeued (ghost).")
        irqMsg = declare(Variable("irq_msg", buffer.optional, initial: none, doc: "The buffer the IRQ path dequeued."), .pointer(stale: irqStaleFlag))
        irqStale = declare(irqStaleFlag)
        irqXfer = declare(Variable("irq_xfer", cpu.optional, initial: cpu.none, doc: "The transfer the IRQ path's delivery acquired; none once released or detached."))
        let workerStaleFlag = Variable("worker_msg_stale", .boolean, initial: false, doc: "worker_msg was released since it was taken (ghost).")
        workerMsg = declare(Variable("worker_msg", buffer.optional, initial: none, doc: "The buffer the worker handles."), .pointer(stale: workerStaleFlag))
        workerStale = declare(workerStaleFlag)
        workerXfer = declare(Variable("worker_xfer", cpu.optional, initial: cpu.none, doc: "The transfer the worker's delivery acquired."))

        let contexts = configuration.contexts != nil
        irqCPU = declare(Variable("irq_cpu", cpu.optional, initial: cpu.none, doc: "The CPU the IRQ handler (complete_cb in vring_interrupt) interrupted, until it returns; none when it is not running."),
                         if: contexts)
        workerCPU = declare(Variable("worker_cpu", cpu.optional, initial: cpu.none, doc: "The CPU the worker's kernel thread runs on while it runs; none when it is idle."), if: contexts)

        let lifecycle = configuration.shutdown
        // Holders at once: the first reference, a sender per CPU, the IRQ path, the worker.
        channelUsers = declare(Variable(StateName.channelUsers.rawValue, Domain.range("ChanUsers", 0...(configuration.cpus + 3)), initial: 1,
                                        doc: "vioch->users, the channel refcount: its first reference and one per path inside a transport operation; 0 once the channel is torn down (cinfo cleared)."),
                               if: lifecycle)
        shutdownBegun = declare(Variable(StateName.shutdownBegun.rawValue, .boolean, initial: false, doc: "vioch->shutdown_done is set: cleanup_sync began."), if: lifecycle)
        broken = declare(Variable(StateName.deviceBroken.rawValue, .boolean, initial: false, doc: "virtio_break_device() ran: add_sgs fails, get_buf finds nothing, poll says no."), if: lifecycle)
        txWorkQueue = declare(Variable(StateName.deferredWorkQueue.rawValue, .boolean, initial: true, doc: "vioch->deferred_tx_wq is set (cleanup_sync clears it: the worker cannot be queued again)."), if: lifecycle)
        channelHeld = declare(Variable(StateName.channelReference.rawValue, .boolean, indexedBy: cpu, initial: false, doc: "The sender's transport operation holds a channel reference."),
                              .perTransfer, if: lifecycle)
        shutdownUnsafe = declare(Variable(StateName.touchedAfterTeardown.rawValue, .boolean, initial: false, doc: "A path touched the virtqueue, a list or cinfo after the channel's users reached zero (ghost)."),
                                 if: lifecycle)

        doubleFree = declare(Variable("double_free", .boolean, initial: false, doc: "A buffer was appended to the free list while on it (ghost)."))
        underflow = declare(Variable("refcount_underflow", .boolean, initial: false, doc: "A message refcount was released at zero (ghost)."))
        useAfterRelease = declare(Variable("use_after_release", .boolean, initial: false, doc: "A path touched a buffer through a stale pointer (ghost)."))
        badDelivery = declare(Variable("bad_delivery", .boolean, initial: false, doc: "A fetch read another transfer's, a stale, or a second reply (ghost)."))
        declared = list
    }

    /// Every variable, in the order traces list them.
    var variables: [Variable] { declared.map(\.variable) }

    /// What the memory model applies to (``Access`` annotations on the steps say how each is touched):
    /// - weak: `rx_len` (its ghost `rx_len_set`), written plainly by whoever dequeues a buffer and
    ///   read plainly by `fetch_response`; a ghost reset when a request is sent or its buffer freed
    ///   (every earlier length is then one of an earlier request: "stale"). Two writes of one
    ///   buffer's length per request at most (the reset and the reply's), so a history of 2.
    /// - synchronisation objects (kept coherent, carrying their releaser's view): `poll_status`
    ///   (its stale reads are not modelled: a proof covers `rx_len`'s ordering, not `poll_status`'s),
    ///   the channel `lock` and `pending_lock` (`spin_lock`/`spin_unlock`: acquire/release).
    /// - one fence: the `smp_rmb()` of `ktime_get()`'s seqcount read (kernel/time/timekeeping.c,
    ///   include/linux/seqlock.h at v6.12) that the 2022 core's deadline check runs between the
    ///   polling loop and `fetch_response`.
    /// - everything else stays sequentially consistent. Orderings left out only remove behaviours,
    ///   so leaving them out can add weak runs but never hide one (a proof stands; each weak
    ///   counterexample is checked by hand against its litmus pattern): the full fences of
    ///   `smp_store_mb(xfer->priv, ...)` (driver.c scmi_handle_response, virtio.c
    ///   virtio_send_message / virtio_mark_txdone), of `virtqueue_poll()` (virtio_ring.c) and of
    ///   do_xfer's `smp_mb()`, which lie on no path from an `rx_len` write to its read; the
    ///   orderings of `xfer->done`'s completion lock, the message refcount
    ///   (Documentation/core-api/refcount-vs-atomic.rst: `refcount_dec_and_test` a release, plus an
    ///   acquire at zero), `free_lock`, `xfer->lock` and `poll_lock`, which `rx_len`'s ghost resets
    ///   at send and free make irrelevant or which no `rx_len` read follows.
    /// The input buffer is not weak: it travels the same path as `rx_len` (written before the
    /// dequeue), so the same release/acquire pair orders it.
    var weakMemory: WeakMemoryDeclaration {
        WeakMemoryDeclaration(weak: [rxLenFresh], sync: [status, channelLocked, pendingLocked], history: 2, defaultModel: .sc)
    }

    // MARK: - Shared helpers

    func polling(_ s: String) -> Expr { pollStatus[s] }

    /// Puts every per-transfer variable of CPU `c` back to its initial value: the next
    /// transfer starts afresh, and states that differ only in dead values coincide.
    func resetTransfer(_ c: Expr) -> [ActionPart] {
        declared.compactMap { entry -> ActionPart? in
            guard entry.tags.contains(where: { if case .perTransfer = $0 { return true } else { return false } }),
                  case .value(let initial) = entry.variable.initial else { return nil }
            return entry.variable[c] <- initial
        }
    }

    /// A pointer some path holds to a buffer, with its ghost "released since" flag, and
    /// the CPU it belongs to when it is one per CPU.
    struct Pointer {
        let variable: Variable
        let target: Expr
        let stale: Expr
        let cpu: Expr?
    }

    /// Every pointer to a buffer that a path may hold.
    var pointers: [Pointer] {
        declared.flatMap { entry -> [Pointer] in
            guard let stale = entry.tags.lazy.compactMap({ tag -> Variable? in
                if case .pointer(let s) = tag { return s } else { return nil }
            }).first else { return [] }
            let v = entry.variable
            guard v.index != nil else { return [Pointer(variable: v, target: v.value, stale: stale.value, cpu: nil)] }
            return cpu.valueNames.map { name in
                Pointer(variable: v, target: v[cpu[name]], stale: stale[cpu[name]], cpu: cpu[name])
            }
        }
    }

    /// Appends `m` to the free list (`list_add_tail` under `free_lock`), or records a double free;
    /// every other pointer to `m` goes stale, since the buffer may now be reused. The pointer
    /// `owner` (for one CPU when given) that hands the buffer back is not marked.
    func appendToFreeList(_ m: Expr, clearing owner: Variable, of ownerCPU: Expr? = nil) -> [ActionPart] {
        var marks: [ActionPart] = []
        for pointer in pointers {
            let mark = If(pointer.target == m) { pointer.stale <- true }
            guard pointer.variable.name == owner.name else {
                marks.append(mark)
                continue
            }
            if let ownerCPU, let k = pointer.cpu { marks.append(If(!(k == ownerCPU)) { mark }) }
        }
        return [
            // Ghost: once freed, any length the buffer holds is an earlier request's.
            GhostReset(rxLenFresh[m], to: false),
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
    /// Its step states `Reads(rxLenFresh, .plain)`: virtio.c virtio_fetch_response() reads
    /// msg->rx_len plainly.
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

    /// Declares a step and what it stands for in the implementation.
    func step<L: ProgramCounter>(
        _ process: String, _ name: String, from: L, to: L? = nil, begins: [Operation], doc: String, source: String,
        @ActionBuilder _ body: () -> [ActionPart]
    ) -> Step {
        counterparts.recorded.record(process: process, action: name, from: from.rawValue, .code(begins: begins))
        return Step(name, from: from, to: to, doc: doc, source: source, body)
    }

    /// Declares a step with one parameter and what it stands for in the implementation.
    func step<L: ProgramCounter>(
        _ process: String, _ name: String, _ p: Parameter, from: L, to: L? = nil, begins: [Operation], doc: String, source: String,
        @ActionBuilder _ body: (Expr) -> [ActionPart]
    ) -> Step {
        counterparts.recorded.record(process: process, action: name, from: from.rawValue, .code(begins: begins))
        return Step(name, p, from: from, to: to, doc: doc, source: source, body)
    }
}
