import Traces

/// How one spec step maps to the implementation: which actor (or environment event) takes
/// it, and by which scheduling points the implementation's code for it begins.
///
/// The spec's action names and the implementation's labels both follow the kernel
/// functions, so an action is recognised by the operation at its first scheduling point:
/// `poll_done_get_buf` begins at `poll_done virtqueue_get_buf`, `mark_txdone_free` at
/// `mark_txdone … lock free_lock`. A spec step runs its actor from that point up to the
/// next point that begins one of the actions the replayed variant's spec gives the actor;
/// scheduling points in between that have no spec counterpart (channel refcounts, the
/// channel lock around the drain, `poll_status` reads under a `poll_lock` just taken)
/// belong to the step.
struct StepMapping: Equatable {
    /// The id `ChannelSimulation.step(_:)` takes: `cpu0`, `irq`, `worker`, `device:buf1`, `deadline:cpu0`.
    let id: String
    /// Whether the step is an environment event (one scheduling step, nothing to recognise).
    let isEnvironment: Bool
    /// The operations any of which may begin the step; each is a list of fragments the label must contain.
    let starts: [[String]]

    /// Whether the implementation label `label` (`"cpu0: poll_done virtqueue_get_buf"`) may begin this step.
    func begins(at label: String) -> Bool {
        let operation = label.split(separator: ":", maxSplits: 1).last.map { String($0.dropFirst()) } ?? label
        return starts.contains { fragments in fragments.allSatisfy { operation.contains($0) } }
    }

    /// The mapping of a trace step, or a reason why the step has no counterpart.
    static func of(_ step: Trace.Step) -> Result<StepMapping, MappingError> {
        guard let actor = step.actor, let action = step.action else {
            return .failure(MappingError("the step names no actor or action"))
        }
        if actor == "device" {
            guard action == "reply", let buffer = step.parameters.first(where: { $0.name == "m" })?.value,
                  let index = bufferIndex(buffer) else {
                return .failure(MappingError("the device only replies to a buffer (reply(m=msgK))"))
            }
            return .success(StepMapping(id: "device:buf\(index)", isEnvironment: true, starts: []))
        }
        if let cpu = instance(of: "timer", in: actor) {
            guard action == "deadline_passes" else { return .failure(MappingError("a timer only lets the deadline pass")) }
            return .success(StepMapping(id: "deadline:\(cpu)", isEnvironment: true, starts: []))
        }
        let process = actor == "irq" || actor == "worker" ? actor : "sender"
        guard let id = process == "sender" ? instance(of: "sender", in: actor) : actor else {
            return .failure(MappingError("unknown actor '\(actor)'"))
        }
        guard let starts = starts(of: action, in: process) else {
            return .failure(MappingError("no implementation code is known for the \(process)'s action '\(action)'"))
        }
        return .success(StepMapping(id: id, isEnvironment: false, starts: starts))
    }

    /// Where the code of `action` of the spec process `process` (`sender`, `irq`, `worker`) begins.
    static func starts(of action: String, in process: String) -> [[String]]? {
        switch process {
        case "sender": return senderStarts[action]
        case "irq": return deliveryStarts[action]
        case "worker":
            if let known = workerStarts[action] { return known }
            var name = action
            for prefix in ["p_", "cb_"] where name.hasPrefix(prefix) { name.removeFirst(prefix.count) }
            return deliveryStarts[name]
        default: return nil
        }
    }

    /// Whether `label` begins one of `actions`, the steps the spec gives the actor with
    /// implementation id `id`.
    static func isBoundary(_ label: String, ofActor id: String, actions: [String: [String]]) -> Bool {
        let process = id == "irq" || id == "worker" ? id : "sender"
        return (actions[process] ?? []).contains { action in
            starts(of: action, in: process).map { StepMapping(id: id, isEnvironment: false, starts: $0).begins(at: label) } ?? false
        }
    }

    /// `cpu1` for `sender[cpu1]` when `process` is `sender`.
    private static func instance(of process: String, in actor: String) -> String? {
        guard actor.hasPrefix(process + "["), actor.hasSuffix("]") else { return nil }
        return String(actor.dropFirst(process.count + 1).dropLast())
    }

    /// 1 for `msg1`.
    static func bufferIndex(_ name: String) -> Int? {
        guard name.hasPrefix("msg") else { return nil }
        return Int(name.dropFirst(3))
    }

    // MARK: - Where each action's code begins

    private static let senderStarts: [String: [[String]]] = [
        "start": [["xfer_get_init"]],
        "get_free_msg": [["get_free_msg lock free_lock"]],
        "send_message": [["send_message tx_prepare"]],
        "wait_for_completion": [["wait_for_completion_timeout"]],
        "poll_done_read_priv": [["poll_done read xfer->priv"]],
        "poll_done_check_status": [["poll_done read poll_status"]],
        "poll_done_nothing_new": [["poll_done virtqueue_poll"]],
        "poll_done_lock": [["poll_done virtqueue_poll"]],
        "poll_done_get_buf": [["poll_done virtqueue_get_buf"]],
        "poll_done_mark_done": [["poll_done lock poll_lock"]],
        "poll_done_set_rx_len": [["poll_done rx_len"]],
        "poll_done_classify": [["poll_done lock poll_lock"], ["poll_done read poll_status"]],
        "poll_done_mark_other": [["poll_done poll_status = POLL_DONE"]],
        "poll_done_append_pending": [["poll_done lock pending_lock"]],
        "poll_done_finish": [["poll_done virtqueue_enable_cb"]],
        "poll_loop_check": [["poll loop try_wait_for_completion"]],
        "decide_timeout": [["wait_for_reply ktime_after deadline"]],
        "fetch_response": [["wait_for_reply lock xfer->lock"]],
        "mark_txdone_read_priv": [["mark_txdone read xfer->priv"]],
        "mark_txdone_decide": [["mark_txdone lock poll_lock"], ["mark_txdone read poll_status"]],
        "mark_txdone_release": [["mark_txdone msg_release refcount_dec"]],
        "mark_txdone_release_poll_ref": [["mark_txdone msg_release refcount_dec"]],
        "mark_txdone_reset_status": [["mark_txdone put_free_msg poll_status"]],
        "mark_txdone_free": [["mark_txdone", "lock free_lock"]],
        "xfer_put": [["xfer_put lock xfer_lock"]],
    ]

    /// The IRQ path's actions; the worker's delivery actions are these with a `p_` or `cb_` prefix.
    private static let deliveryStarts: [String: [[String]]] = [
        "get_buf": [["start complete_cb"], ["complete_cb channel_acquire"]],
        "set_rx_len": [["complete_cb rx_len"]],
        "acquire_xfer": [["read_header"]],
        "set_xfer_priv": [["handle_response xfer->priv = buf"]],
        "fetch_response": [["fetch_response read xfer->priv"]],
        "clear_xfer_priv": [["handle_response xfer->priv = NULL"]],
        "complete_xfer": [["handle_response complete done"]],
        "release_msg": [["msg_release refcount_dec"]],
        "reset_status": [["put_free_msg poll_status"]],
        "free_msg": [["lock free_lock"]],
    ]

    private static let workerStarts: [String: [[String]]] = [
        "start": [["run deferred_tx_work"]],
        "next_pending": [["deferred_tx_worker list_del"]],
        "check_status": [["deferred_tx_worker read poll_status"]],
        "complete_cb_get_buf": [["complete_cb channel_acquire"]],
    ]
}
