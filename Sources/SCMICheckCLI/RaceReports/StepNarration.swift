import Traces
import TransportSpec
import Vocabulary

/// What one step of a transport trace does, in kernel terms: the `file:function` whose code
/// runs and one line per kernel call or access, with the values involved (`msg1->users 2 -> 1`).
///
/// The location comes from the spec's own mapping of steps to kernel operations
/// (``StepCounterparts``); the accesses come from what the step changed, translated from the
/// spec's variables into the kernel's fields, and, for a step that only reads, from the
/// operation it begins at and the value it read. Variables that exist only to state the
/// properties (ghosts) never appear; when one of the verdict ghosts turns true the step gets a
/// ``bug`` line instead, in the kernel's words.
struct StepNarration {
    /// The step's kind of row.
    enum Kind: Equatable {
        /// Code of a CPU, the IRQ path or the worker, at `location`.
        case code(location: String)
        /// The device returns a buffer on the used ring.
        case device
        /// The polling or completion deadline of a CPU's transfer passes.
        case deadline
    }

    let kind: Kind
    /// One line per kernel call or access, in order.
    let accesses: [String]
    /// What went wrong at this step, if it is where a property broke.
    let bug: String?

    /// The narration of step `index` of `trace` (1-based), with `counterparts` of the spec it ran on.
    init(step index: Int, of trace: Trace, counterparts: StepCounterparts) {
        let step = trace.steps[index]
        let before = TraceState(values: trace.steps[index - 1].values)
        let after = TraceState(values: step.values)
        let actor = TraceActor(step.actor ?? "")
        let changes = before.changes(to: after, variables: trace.variables)
        bug = Self.bug(changes)
        switch counterparts.entry(process: actor.process, action: step.action ?? "")?.counterpart {
        case .deviceReply?:
            let buffer = step.parameters.first?.value ?? "?"
            kind = .device
            accesses = ["device returns \(buffer) on the used ring; vring_interrupt is raised"]
        case .deadline?:
            kind = .deadline
            accesses = ["the transfer's deadline passes"]
        case .code(let begins)?:
            let operation = begins[0]
            kind = .code(location: KernelSource.location(of: operation))
            guard operation.function != .xferPut else {
                accesses = ["the transfer is released; its token is free again"]
                return
            }
            var lines = changes.compactMap { Self.access($0, before: before, cpu: actor.cpu) }
            if let polled = step.parameters.first(where: { $0.name == "polled" }) {
                lines.insert(polled.value == "true" ? "new polled transfer" : "new transfer, not polled", at: 0)
            }
            if let read = Self.read(operation, before: before, after: after, actor: actor, changed: !lines.isEmpty) {
                lines.insert(read, at: 0)
            }
            let buffer = before.currentBuffer(of: actor) ?? after.currentBuffer(of: actor) ?? "msg"
            accesses = lines.isEmpty ? [Self.plain(operation, buffer: buffer)] : lines
        case nil:
            kind = .code(location: "?")
            accesses = ["a step the spec maps to no kernel operation"]
        }
    }

    // MARK: - Changes

    /// One changed variable as a kernel access, or nil for the spec's locals and ghosts.
    static func access(_ change: TraceState.Change, before: TraceState, cpu: String?) -> String? {
        let key = change.key ?? ""
        let rising = change.old == "FALSE" && change.new == "TRUE"
        let falling = change.old == "TRUE" && change.new == "FALSE"
        switch change.variable {
        case "poll_status": return "\(key)->poll_status = \(change.new)"
        case "users": return "\(key)->users \(change.old ?? "?") -> \(change.new)"
        case "rx_len_set" where rising: return "\(key)->rx_len = length"
        case "in_device" where rising: return "virtqueue_add_sgs(\(key))"
        case "on_free_list" where falling: return "\(key) taken off free_list"
        case "on_free_list" where rising: return "list_add_tail(\(key), free_list)"
        case "priv": return "xfer->priv = \(change.new == TraceState.none ? "NULL" : change.new)"
        case "done" where rising: return "complete(&xfer->done)"
        case "done" where falling: return "try_wait_for_completion(done) = true"
        case "vio_lock": return rising ? "spin_lock(&vioch->lock)" : "spin_unlock(&vioch->lock)"
        case "pending_lock": return rising ? "spin_lock(&vioch->pending_lock)" : "spin_unlock(&vioch->pending_lock)"
        case "work_queued" where rising: return "queue_work(deferred_tx_wq, deferred_tx_work)"
        case "xfer_state": return "xfer->state = SCMI_XFER_\(change.new)"
        case "timed_out" where rising: return "ret = -ETIMEDOUT"
        case "final_poll" where rising: return "loop ends; poll_done once more"
        case "used_ring_len":
            guard let old = Int(change.old ?? ""), let new = Int(change.new), new < old else { return nil }
            return "virtqueue_get_buf() = \(before.name("used_ring", "0") ?? "?")"
        case "pending_cmds_len":
            guard let old = Int(change.old ?? ""), let new = Int(change.new) else { return nil }
            return new > old ? "list_add_tail(msg, pending_cmds_list)" : "list_del(\(before.name("pending_cmds", "0") ?? "?")) from pending_cmds_list"
        case "irq_xfer", "worker_xfer":
            guard change.new != TraceState.none else { return "scmi_xfer_command_release()" }
            return "scmi_xfer_command_acquire(): \(change.new.uppercased())'s"
        default: return nil
        }
    }

    /// The kernel's words for a verdict ghost that turned true.
    static func bug(_ changes: [TraceState.Change]) -> String? {
        let raised = Set(changes.filter { $0.old == "FALSE" && $0.new == "TRUE" }.map(\.variable))
        if raised.contains("refcount_underflow") { return "refcount_t: underflow; use-after-free" }
        if raised.contains("double_free") { return "the buffer is added to free_list while already on it" }
        if raised.contains("use_after_release") { return "touches a buffer after its last reference was dropped" }
        if raised.contains("bad_delivery") { return "fetches a stale, incomplete or foreign reply" }
        return nil
    }

    // MARK: - Reads

    /// The value a step read, for steps whose effect depends on it.
    static func read(_ operation: Operation, before: TraceState, after: TraceState, actor: TraceActor, changed: Bool) -> String? {
        let buffer = before.currentBuffer(of: actor) ?? after.currentBuffer(of: actor) ?? "msg"
        switch operation.access {
        case .read(.xferPriv) where actor.cpu == nil:
            return "reads \(buffer)->rx_len, \(buffer)->input"
        case .read(.xferPriv):
            let priv = actor.cpu.flatMap { before.name("priv", $0) }
            return "msg = xfer->priv (\(priv == nil || priv == TraceState.none ? "NULL" : priv!))"
        case .read(.pollStatus):
            return "read \(buffer)->poll_status: \(before.name("poll_status", buffer) ?? "?")"
        case .lock(.poll):
            let locked = operation.function == .pollDone ? actor.cpu.flatMap { before.name("next_msg", $0) } ?? buffer : buffer
            var text = "poll_lock: \(locked)->poll_status \(before.name("poll_status", locked) ?? "?")"
            if operation.function == .markTxdone, let cpu = actor.cpu {
                text += before.name("timed_out", cpu) == "TRUE" ? ", ret -ETIMEDOUT" : ", ret 0"
            }
            return text
        case .lock(.transfer):
            guard let cpu = actor.cpu else { return nil }
            let state = before.name("xfer_state", cpu) ?? "?"
            guard state == "SENT_OK", after.name("xfer_state", cpu) == "RESP_OK" else {
                return "xfer->state is \(state): no fetch"
            }
            let priv = before.name("priv", cpu) ?? "?"
            return "virtio_fetch_response() reads \(priv)->rx_len"
        case .virtqueue(.poll):
            return "virtqueue_poll() = \(after.name("vio_lock") == "TRUE" && before.name("vio_lock") != "TRUE" ? "true" : "false")"
        case .virtqueue(.getBuf) where !changed:
            return "virtqueue_get_buf() = NULL"
        case .tryWaitForCompletion where !changed:
            return "try_wait_for_completion(done) = false"
        default:
            return nil
        }
    }

    /// The operation itself, for a step that changed nothing the report shows.
    static func plain(_ operation: Operation, buffer: String) -> String {
        let call: String
        switch operation.access {
        case .refcountDecAndTest where operation.helper == .msgRelease: return "scmi_vio_msg_release(\(buffer))"
        case .refcountDecAndTest: call = "refcount_dec_and_test(&\(buffer)->users)"
        case .write(let field) where field == .xferPriv: call = "xfer->priv = \(buffer)"
        case .clear(let field): call = "\(field.rawValue) = NULL"
        case .lock(let lock): call = "spin_lock(&\(lock.rawValue))"
        case .readHeader: call = "read_header(msg->input)"
        case .deadlineCheck: call = "ktime_after(ktime_get(), stop) = false"
        case .start: call = "starts"
        default: call = operation.access.description
        }
        guard let helper = operation.helper else { return call }
        return "\(KernelSource.name(of: helper))(): \(call)"
    }
}
