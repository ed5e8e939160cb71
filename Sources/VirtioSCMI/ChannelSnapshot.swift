/// An abstract picture of the implementation's state at one moment, for comparing with a
/// model's state: where each buffer is, each CPU's transfer, the ring, the violations.
public struct ChannelSnapshot: Hashable, Sendable, CustomStringConvertible {
    /// One message buffer.
    public struct Buffer: Hashable, Sendable {
        public var index: Int
        public var location: BufferLocation
        public var pollStatus: PollStatus
        /// The message refcount (nil for variants without one).
        public var users: Int?
        /// The buffer's life: how many times it was taken from the free list.
        public var generation: Int
        public var rxLen: RxLength
        public var input: Payload
    }

    /// One transfer.
    public struct Transfer: Hashable, Sendable {
        public var token: Int
        public var polled: Bool
        public var state: TransferState
        public var phase: TransferPhase
        /// The buffer bound through `xfer->priv`, if any.
        public var priv: Int?
        /// What `do_xfer` returned, once it has.
        public var result: Int32?
        /// How many times a reply was copied into it.
        public var fetches: Int
    }

    /// One sender.
    public struct CPU: Hashable, Sendable {
        public var name: String
        /// The transfer in progress (or the last one, once finished).
        public var transfer: Transfer?
        /// Transfers this CPU has completed.
        public var completed: Int
        /// Whether the sender has issued all its transfers.
        public var finished: Bool
        /// The label of the sender's next step, if it waits at a scheduling point.
        public var nextStep: String?
    }

    /// The number of steps executed so far.
    public var step: Int
    public var buffers: [Buffer]
    public var cpus: [CPU]
    public var freeList: [Int]
    public var pendingList: [Int]
    /// Buffers the device holds, oldest request first.
    public var deviceHeld: [Int]
    /// Buffers on the used ring, between `L` and `U`.
    public var usedRing: [Int]
    /// `L`.
    public var lastUsedIndex: UInt16
    /// `U`.
    public var usedIndex: UInt16
    public var callbacksEnabled: Bool
    public var deviceBroken: Bool
    /// The channel refcount.
    public var channelUsers: Int
    /// The channel references each actor holds, by actor name (shadow bookkeeping; the first
    /// reference is nobody's).
    public var channelReferences: [String: Int]
    /// Whether `shutdown_done` is set (`cleanup_sync` began).
    public var shutdownBegun: Bool
    /// Whether `deferred_tx_wq` is still set.
    public var deferredWorkQueueSet: Bool
    public var workerQueued: Bool
    public var workerRunning: Bool
    public var irqRunning: Bool
    /// With execution contexts: the CPU the IRQ path interrupted while it runs (`irq_cpu`), and
    /// the CPU the worker runs on while it runs (`worker_cpu`); nil otherwise, and without contexts.
    public var irqCPU: Int?
    public var workerCPU: Int?
    public var violations: [Violation]
    /// The core's pending tokens, with the CPU whose transfer holds each (released or not).
    public var pendingTokens: [Int: String] = [:]
    /// With a token space, the last token given (`SCMICore.upcomingToken`); nil without one.
    public var lastToken: Int?

    public var description: String {
        var lines = ["step \(step): L=\(lastUsedIndex) U=\(usedIndex) cb=\(callbacksEnabled ? "on" : "off")\(deviceBroken ? " broken" : "") users=\(channelUsers) worker=\(workerQueued ? "queued" : workerRunning ? "running" : "idle") irq=\(irqRunning ? "running" : "idle")\(irqCPU.map { " on cpu\($0)" } ?? "")\(workerCPU.map { " worker on cpu\($0)" } ?? "")"]
        for buffer in buffers {
            let users = buffer.users.map { " users=\($0)" } ?? ""
            lines.append("  buf\(buffer.index): \(buffer.location), \(buffer.pollStatus)\(users), life \(buffer.generation)")
        }
        for cpu in cpus {
            let transfer = cpu.transfer.map { "token \($0.token) \($0.polled ? "polled" : "not polled") \($0.state) \($0.phase) priv=\($0.priv.map { "buf\($0)" } ?? "NULL")" } ?? "no transfer"
            lines.append("  \(cpu.name): \(transfer), \(cpu.completed) done\(cpu.finished ? ", finished" : "")")
        }
        for violation in violations { lines.append("  \(violation)") }
        return lines.joined(separator: "\n")
    }
}
