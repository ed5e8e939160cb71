import Traces
import VirtioSCMI

/// The implementation's state in the spec's vocabulary, and its comparison with a trace state.
///
/// Compared, where the trace has the variable: the free list, the used ring and the pending
/// list (in order), `in_device`, each buffer's `poll_status` and `users`, and for each CPU
/// whose sender is inside a transfer, `xfer_state` and `priv`. Ghost variables and path
/// locals have no counterpart in the implementation and are not compared.
enum StateAbstraction {
    /// The spec variables the implementation's `snapshot` differs on.
    static func differences(_ expected: [String: TraceValue], _ snapshot: ChannelSnapshot) -> [StateDifference] {
        var result: [StateDifference] = []
        func compare(_ variable: String, _ want: String, _ have: String) {
            if want != have { result.append(StateDifference(variable: variable, expected: want, actual: have)) }
        }
        for (name, actual) in [("free_list", snapshot.freeList), ("used_ring", snapshot.usedRing), ("pending_cmds", snapshot.pendingList)] {
            if let queue = queue(name, in: expected) { compare(name, list(queue), list(actual.map(bufferName))) }
        }
        for buffer in snapshot.buffers {
            let m = bufferName(buffer.index)
            if let want = entry("in_device", m, in: expected) {
                compare("in_device[\(m)]", want, snapshot.deviceHeld.contains(buffer.index) ? "TRUE" : "FALSE")
            }
            if let want = entry("poll_status", m, in: expected) { compare("poll_status[\(m)]", want, buffer.pollStatus.rawValue) }
            if let want = entry("users", m, in: expected), let users = buffer.users { compare("users[\(m)]", want, String(users)) }
        }
        for cpu in snapshot.cpus {
            guard let pc = entry("sender_pc", cpu.name, in: expected), pc != "idle" else { continue }
            guard let transfer = cpu.transfer else {
                result.append(StateDifference(variable: "sender_pc[\(cpu.name)]", expected: pc, actual: "no transfer"))
                continue
            }
            if let want = entry("xfer_state", cpu.name, in: expected) {
                compare("xfer_state[\(cpu.name)]", want, transfer.state == .sentOK ? "SENT_OK" : "RESP_OK")
            }
            if let want = entry("priv", cpu.name, in: expected) {
                compare("priv[\(cpu.name)]", want, transfer.priv.map(bufferName) ?? "none")
            }
        }
        return result
    }

    /// Whether the trace state is quiescent as the spec's `no-leak-at-quiescence` defines it.
    static func isQuiescent(_ values: [String: TraceValue]) -> Bool {
        let idle = { (name: String) -> Bool in
            switch values[name] {
            case .string(let s)?: return s == "idle"
            case .map(let entries)?: return entries.allSatisfy { $0.value == .string("idle") }
            default: return false
            }
        }
        let noneInDevice: Bool
        if case .map(let entries)? = values["in_device"] { noneInDevice = entries.allSatisfy { $0.value == .bool(false) } } else { noneInDevice = false }
        return idle("sender_pc") && idle("irq_pc") && idle("worker_pc") && values["work_queued"] == .bool(false)
            && values["used_ring_len"] == .int(0) && noneInDevice
    }

    /// The polled transfers the implementation can no longer finish before their deadline
    /// (the spec's `no-lost-wakeup`), as `cpuN …` messages: in the polling loop (not inside
    /// `poll_done`'s drain), not completed, their buffer bound but in no place from which
    /// anyone will hand it back, and not marked POLL_DONE. The caller excludes transfers whose
    /// deadline passed or whose `poll_done` already found the buffer.
    static func lostWakeups(_ snapshot: ChannelSnapshot) -> [String] {
        let loop = ["poll loop", "poll_done read xfer->priv", "poll_done channel_acquire", "poll_done virtqueue_poll"]
        return snapshot.cpus.compactMap { cpu in
            guard let transfer = cpu.transfer, transfer.polled, transfer.phase == .waiting, transfer.fetches == 0,
                  let next = cpu.nextStep, loop.contains(where: next.contains),
                  let bound = transfer.priv, bound < snapshot.buffers.count else { return nil }
            let buffer = snapshot.buffers[bound]
            guard buffer.pollStatus != .pollDone else { return nil }
            switch buffer.location {
            case .device, .usedRing, .pendingList, .dequeued, .several: return nil
            case .freeList, .heldBySender, .nowhere:
                return "\(cpu.name) polls for \(bufferName(bound)), which is \(buffer.location) and not POLL_DONE, and no one will hand it back: nothing ends the loop before the deadline (next: \(next))"
            }
        }
    }

    static func bufferName(_ index: Int) -> String { "msg\(index)" }

    private static func list(_ names: [String]) -> String { "[" + names.joined(separator: ", ") + "]" }

    /// The first `NAME_len` slots of the queue variable `NAME`.
    private static func queue(_ name: String, in values: [String: TraceValue]) -> [String]? {
        guard case .map(let slots)? = values[name], case .int(let length)? = values["\(name)_len"] else { return nil }
        let ordered = slots.sorted { lhs, rhs in
            if case .int(let a) = lhs.key, case .int(let b) = rhs.key { return a < b }
            return false
        }
        return ordered.prefix(length).map { $0.value.description }
    }

    /// The value of `name[key]` as the trace prints it.
    private static func entry(_ name: String, _ key: String, in values: [String: TraceValue]) -> String? {
        guard case .map(let entries)? = values[name] else { return nil }
        return entries.first { $0.key == .string(key) }?.value.description
    }
}
