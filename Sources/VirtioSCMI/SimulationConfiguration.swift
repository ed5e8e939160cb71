import Vocabulary

/// What a `ChannelSimulation` builds: variant, core version, CPUs, buffers, transfers.
public struct SimulationConfiguration: Hashable, Codable, Sendable {
    public var variant: Variant
    public var core: CoreVersion
    /// Senders, one per CPU: actors "cpu0", "cpu1", ...
    public var cpus: Int
    /// TX message buffers (`max_msg`); also the ring's capacity.
    public var buffers: Int
    /// Transfers each sender issues, one after another.
    public var transfersPerCPU: Int
    public var polling: PollingPlan
    /// The channel's switches; `variant.switches` unless changed.
    public var switches: Switches
    /// Whether an actor "shutdown" runs `chan_free` at a moment the scheduler chooses.
    public var includesShutdown: Bool
    /// Steps after which an execution ends with `ExecutionOutcome.stepLimit`.
    public var maxSteps: Int
    /// CPUs as execution contexts (see `CPUContexts`), or nil (the default) for an IRQ path and a
    /// worker that run free, beside the senders.
    public var contexts: Contexts?

    /// Where the IRQ path and the worker run when CPUs are execution contexts: the interrupt goes
    /// to CPU `irqCPU` (nil: to any CPU the scheduler picks) and the worker's kernel thread runs
    /// on any CPU (an unbound workqueue: virtio.c scmi_vio_probe()).
    public struct Contexts: Hashable, Codable, Sendable {
        public var irqCPU: Int?

        public init(irqCPU: Int? = nil) {
            self.irqCPU = irqCPU
        }
    }

    /// The size of the core's token space, whose tokens transfers reuse, or nil for a new token
    /// per transfer (`SCMICore.tokenSpace`).
    public var tokens: Int?

    public init(
        variant: Variant,
        core: CoreVersion = .current,
        cpus: Int = 2,
        buffers: Int = 2,
        transfersPerCPU: Int = 1,
        polling: PollingPlan = .allPolled,
        includesShutdown: Bool = false,
        contexts: Contexts? = nil,
        maxSteps: Int = 20_000,
        tokens: Int? = nil
    ) {
        self.variant = variant
        self.core = core
        self.cpus = cpus
        self.buffers = buffers
        self.transfersPerCPU = transfersPerCPU
        self.polling = polling
        self.switches = variant.switches
        self.includesShutdown = includesShutdown
        self.maxSteps = maxSteps
        self.contexts = contexts
        self.tokens = tokens
    }
}
