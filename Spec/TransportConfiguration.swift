import Vocabulary

/// The size and kind of system to check.
public struct TransportConfiguration: Sendable, Hashable {
    public var cpus: Int
    public var buffers: Int
    public var variant: Variant
    public var core: CoreVersion
    /// Where the IRQ path and the worker run: free-running contexts (nil, the default), or on the
    /// CPUs (``ExecutionContexts``).
    public var contexts: ExecutionContexts?
    /// Whether `chan_free` races the traffic (``TransportModel/shutdown()``).
    public var shutdown: Bool
    /// The size of the token space, whose tokens transfers reuse (``TransportModel/allocateToken(_:)``),
    /// or nil for a token per transfer that no later transfer reuses (the default).
    public var tokens: Int?

    /// A configuration; the core defaults to the first one the variant met (``Variant/coresMet``).
    public init(cpus: Int = 2, buffers: Int = 2, variant: Variant, core: CoreVersion? = nil, contexts: ExecutionContexts? = nil, shutdown: Bool = false,
                tokens: Int? = nil) {
        self.cpus = cpus
        self.buffers = buffers
        self.variant = variant
        self.core = core ?? variant.coresMet[0]
        self.contexts = contexts
        self.shutdown = shutdown
        self.tokens = tokens
    }

    /// The configuration as traces record it (a setting left at its default is not recorded, so
    /// traces recorded before it existed keep their configuration).
    public var labels: [String: String] {
        var labels = ["cpus": String(cpus), "buffers": String(buffers), "core": core.rawValue]
        if let contexts {
            labels["contexts"] = "on"
            labels["irq-cpu"] = contexts.irqCPU.map(String.init) ?? "any"
        }
        if shutdown { labels["shutdown"] = "on" }
        if let tokens { labels["tokens"] = String(tokens) }
        return labels
    }

    /// The sizes the spec takes: the spec grows with both, and past these the explicit engine
    /// cannot finish.
    public static let cpuRange = 1...4
    public static let bufferRange = 1...4
    /// The token spaces `--tokens` takes (at least as many tokens as CPUs).
    public static let tokenRange = 1...8
}

/// Where the paths that are not senders run, when CPUs are execution contexts: the IRQ handler
/// interrupts a CPU, the worker is a kernel thread on a CPU (``TransportModel/onTheirCPUs``).
public struct ExecutionContexts: Sendable, Hashable {
    /// The CPU every interrupt of the virtqueue is delivered to, or nil for any CPU at each
    /// interrupt (its affinity may move).
    public var irqCPU: Int?

    public init(irqCPU: Int? = nil) {
        self.irqCPU = irqCPU
    }
}
