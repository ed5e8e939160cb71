/// The names of the spec's state variables that other modules read: the replay compares
/// the implementation's state with a trace's through these, and reports and diagrams name
/// them. The spec declares its variables with these names; a test checks that every one
/// exists in every variant's spec, so renaming one cannot switch a comparison off.
public enum StateName: String, CaseIterable, Sendable, CustomStringConvertible {
    case freeList = "free_list"
    case usedRing = "used_ring"
    case pendingList = "pending_cmds"
    case inDevice = "in_device"
    case pollStatus = "poll_status"
    /// The message refcount; only variants with ``Switches/messageRefcount`` have it.
    case users = "users"
    case transferState = "xfer_state"
    case priv = "priv"
    case workQueued = "work_queued"
    case senderPC = "sender_pc"
    case irqPC = "irq_pc"
    case workerPC = "worker_pc"
    /// The channel's lifecycle, declared only with shutdown (``isShutdownState``).
    case shutdownPC = "shutdown_pc"
    /// The channel refcount (`vioch->users`).
    case channelUsers = "chan_users"
    /// `shutdown_done` is set.
    case shutdownBegun = "shutdown_done_set"
    /// The device is broken.
    case deviceBroken = "vq_broken"
    /// `deferred_tx_wq` is still set.
    case deferredWorkQueue = "deferred_tx_wq"
    /// A sender's transport operation holds a channel reference (per CPU).
    case channelReference = "chan_ref"
    /// A path touched the channel after its users reached zero (ghost).
    case touchedAfterTeardown = "touched_after_teardown"
    /// The CPU the IRQ handler interrupted, while it runs; declared only with execution contexts
    /// (``isContextsState``).
    case irqCPU = "irq_cpu"
    /// The CPU the worker's kernel thread runs on, while it runs (with execution contexts).
    case workerCPU = "worker_cpu"

    public var description: String { rawValue }

    /// Whether only a spec with shutdown declares it.
    public var isShutdownState: Bool {
        switch self {
        case .shutdownPC, .channelUsers, .shutdownBegun, .deviceBroken, .deferredWorkQueue, .channelReference, .touchedAfterTeardown: return true
        default: return false
        }
    }

    /// Whether only a spec with execution contexts declares it.
    public var isContextsState: Bool { self == .irqCPU || self == .workerCPU }

    /// The length variable of a queue (`free_list_len`).
    public var length: String { rawValue + "_len" }

    /// Whether every variant's spec declares it (with shutdown, when it is shutdown state).
    public var isInEveryVariant: Bool { self != .users }
}
