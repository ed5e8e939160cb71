/// Who fired a step, as the trace names it: `sender[cpu0]`, `timer[cpu0]`, `irq`, `worker`, `device`.
struct TraceActor: Hashable {
    let process: String
    /// The CPU the actor belongs to, for a sender and its transfer's timer.
    let cpu: String?

    init(_ text: String) {
        if let open = text.firstIndex(of: "["), text.hasSuffix("]") {
            process = String(text[..<open])
            cpu = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        } else {
            process = text
            cpu = nil
        }
    }

    /// The diagram column the actor's steps go in: `CPU0`, `IRQ`, `worker`; nil for the device.
    var lane: String? {
        if let cpu { return cpu.uppercased() }
        switch process {
        case "irq": return "IRQ"
        case "worker": return "worker"
        default: return nil
        }
    }

    /// The actor whose pointers say what this one holds: a timer's CPU's sender.
    var holder: TraceActor { process == "timer" ? TraceActor("sender[\(cpu ?? "")]") : self }
}
