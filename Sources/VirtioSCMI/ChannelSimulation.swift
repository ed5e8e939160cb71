import Scheduling
import Vocabulary

/// A channel, its core, its device and its actors under a `ControlledRuntime`: the system
/// under test of the generated tests.
///
/// ## Public API for replaying model-checker traces
///
/// - **Construct** a channel for a variant and core version with N CPUs and M buffers:
///   `ChannelSimulation(SimulationConfiguration(variant: .upstream, core: .current, cpus: 2, buffers: 2))`.
///   Nothing runs until the first step.
/// - **Step** one actor or event at a time with `step(_:)`, by id:
///   - `"cpu0"`, `"cpu1"`, ...: the sender on that CPU doing its transfers (`xfer_get_init`,
///     `do_xfer` with `send_message`, the polling loop or the completion wait,
///     `fetch_response`, `mark_txdone`, `xfer_put`);
///   - `"irq"`: the IRQ path (`complete_cb`), enabled while the used ring is not empty;
///   - `"worker"`: the deferred TX worker, enabled while queued;
///   - `"device:bufK"`: the device returns buffer K (writing "reply for token t");
///   - `"deadline:cpuI"`: the deadline of CPU I's current wait passes;
///   - `"shutdown"`: `chan_free`, if configured.
///   With execution contexts (`SimulationConfiguration.contexts`) the IRQ path's start is
///   `"irq@cpuK"` (it interrupts CPU K, one with interrupts on) and the worker's start and
///   each of its `complete_cb` rounds `"worker@cpuK"`; the threads of a CPU the IRQ path
///   interrupted take no step until it returns (see `CPUContexts`, `irqCPU`, `workerCPU`).
///   Each step runs up to the actor's next scheduling point; `nextLabel(of:)` tells what the
///   actor's next step does ("cpu1: poll_done virtqueue_get_buf"), `nextOperation(of:)` the
///   same as a typed `Operation`, and `enabledSteps` lists what may happen now. A busy-waiting CPU can always be stepped (another iteration).
/// - **Observe** the abstract state with `snapshot()`: per buffer its location (free list,
///   held by a sender, device, used ring, dequeued by a path, pending list, nowhere), its
///   `poll_status` and refcount; per CPU its transfer's state, phase and `priv` binding;
///   and every violation recorded, with its step.
/// - **Finish** with `finish()`, which checks for leaks if the state is quiescent and tears
///   the threads down.
///
/// `run(with:)` instead lets a `Scheduler` choose every step; `explore(_:with:)` runs many
/// executions (random or exhaustive) and `replay(_:schedule:)` reruns a printed schedule.
public final class ChannelSimulation {
    public let configuration: SimulationConfiguration
    public let runtime: ControlledRuntime
    public let channel: VirtioChannel
    public let core: SCMICore

    private final class Sender {
        let name: String
        let lock = PlainLock()
        var current: Transfer?
        var completed = 0
        var finished = false
        init(name: String) { self.name = name }
    }

    private let senders: [Sender]
    private var conclusion: SimulationResult?

    /// Builds the system; nothing runs yet. Without `recordsLog` steps are neither labelled
    /// nor logged (faster; explorations replay failing executions with the log on).
    public init(_ configuration: SimulationConfiguration, recordsLog: Bool = true) {
        self.configuration = configuration
        runtime = ControlledRuntime(options: .init(maxSteps: configuration.maxSteps, recordsLog: recordsLog))
        channel = VirtioChannel(switches: configuration.switches, platform: runtime, bufferCount: configuration.buffers)
        core = SCMICore(core: configuration.core, transport: channel, tokens: configuration.tokens)
        senders = (0..<configuration.cpus).map { Sender(name: "cpu\($0)") }
        if let contexts = configuration.contexts {
            let cpus = CPUContexts(cpus: senders.map(\.name), handler: channel.interrupt.name, kernelThread: channel.workQueue.name,
                                   interruptCPU: contexts.irqCPU)
            // Every spinlock of the channel and the core is taken with spin_lock_irqsave (virtio.c,
            // driver.c): a SpinLock held keeps the IRQ path off its holder's CPU.
            runtime.contexts = cpus
        }

        for (cpu, sender) in senders.enumerated() {
            runtime.spawnActor(sender.name) { [core, runtime, configuration] in
                for transfer in 0..<configuration.transfersPerCPU {
                    if runtime.isStopping { break }
                    let polled = configuration.polling.isPolled(cpu: cpu, transfer: transfer)
                    guard let xfer = core.xferGetInit(cpu: sender.name, polled: polled, timeout: .milliseconds(1)) else {
                        // Every token pending: xfer_get fails, and so does the transfer.
                        sender.lock.withLock { sender.completed += 1 }
                        continue
                    }
                    sender.lock.withLock { sender.current = xfer }
                    _ = core.doXfer(xfer)
                    core.xferPut(xfer)
                    sender.lock.withLock { sender.completed += 1 }
                }
                sender.lock.withLock { sender.finished = true }
            }
        }
        channel.startServiceActors()
        if configuration.includesShutdown {
            runtime.spawnActor("shutdown") { [channel] in channel.channelFree() }
        }
        channel.device.labelsEvents = recordsLog
        runtime.addEnvironmentSource { [device = channel.device] in device.environmentEvents() }
        runtime.onTearDown { [recorder = channel.recorder, device = channel.device] in
            recorder.stopRecording()
            device.stop()
        }
    }

    deinit {
        runtime.tearDown()
    }

    public var device: SimulatedDevice { channel.device }
    public var recorder: ViolationRecorder { channel.recorder }
    public var violations: [Violation] { recorder.violations }

    // MARK: - Stepping

    /// Creates the actor threads (done by the first step if not called).
    public func start() {
        runtime.start()
    }

    /// The steps that may happen now (busy-waiting CPUs included).
    public var enabledSteps: [Choice] {
        runtime.start()
        return runtime.enabledChoices()
    }

    /// Performs one step by id ("cpu0", "irq", "worker", "device:buf1", "deadline:cpu0",
    /// "shutdown"); returns the choice taken, whose label says what it did and whose
    /// `operation` is the `Operation` it began with (nil for environment events).
    @discardableResult
    public func step(_ id: String) throws -> Choice {
        try runtime.step(id)
    }

    /// What the actor's next step does, e.g. "cpu1: poll_done virtqueue_get_buf".
    public func nextLabel(of actor: String) -> String? {
        runtime.start()
        return runtime.pendingLabel(of: actor)
    }

    /// The operation the actor's next step begins with, e.g. `Operation(.pollDone, .virtqueue(.getBuf))`;
    /// nil when it has finished or is not waiting at a point.
    public func nextOperation(of actor: String) -> Operation? {
        runtime.start()
        return runtime.pendingOperation(of: actor) as? Operation
    }

    /// Steps one actor like `step(_:)`; `chooseWrite` says which write each weak read of the
    /// step observes (a buffer's `rx_len`: see `bufferIndex(ofWeakField:)`), nil for the newest.
    @discardableResult
    public func step(_ id: String, choosingWrites chooseWrite: @escaping (WeakRead) -> Int?) throws -> Choice {
        try runtime.step(id, choosingWrites: chooseWrite)
    }

    // MARK: - Execution contexts

    /// The CPUs as execution contexts, if configured.
    public var contexts: CPUContexts? { runtime.contexts }

    /// The CPU the IRQ path interrupted, while it runs (nil without contexts).
    public var irqCPU: Int? { runtime.contexts?.handlerCPU }

    /// The CPU the worker runs on, while it runs (nil without contexts).
    public var workerCPU: Int? { runtime.contexts?.kernelThreadCPU }

    /// Whether the actor's next step places it on a CPU: its id is then `actor@cpuK`.
    public func nextStepPlaces(_ actor: String) -> Bool {
        runtime.start()
        return runtime.nextStepPlaces(actor)
    }

    /// The buffer whose `rx_len` is the weak field `location` (the only weak field), if any.
    public func bufferIndex(ofWeakField location: WeakLocation) -> Int? {
        channel.messages.first { $0.rxLen.location == location }?.index
    }

    /// Buffer `index`'s `rx_len` writes that are kept, oldest first, with their numbers.
    public func rxLenWrites(ofBuffer index: Int) -> [(number: Int, value: RxLength)] {
        channel.messages[index].rxLen.writes
    }

    // MARK: - Running

    /// Lets `scheduler` choose every step until the execution ends, checks for leaks if it
    /// ended quiescent, and tears the actors down.
    public func run(with scheduler: Scheduler) -> SimulationResult {
        runtime.run(with: scheduler)
        return conclude()
    }

    /// Ends a step-by-step execution: checks for leaks if quiescent, tears down. Calling it
    /// again returns the same result.
    public func finish() -> SimulationResult {
        conclusion ?? conclude()
    }

    /// Runs one execution of `configuration` along `schedule`.
    public static func replay(_ configuration: SimulationConfiguration, schedule: Schedule, continueAfterEnd: Bool = false) -> SimulationResult {
        let scheduler = ReplayScheduler(schedule, continueAfterEnd: continueAfterEnd)
        _ = scheduler.beginExecution()
        return ChannelSimulation(configuration).run(with: scheduler)
    }

    /// Runs executions of `configuration` under `scheduler` (see `Explorer`).
    ///
    /// Executions run without labels or log; each failing one is replayed from its schedule
    /// with the log on, and the replay must record the same violations (counted in
    /// `ChannelExploration.replayMismatches` otherwise).
    public static func explore(
        _ configuration: SimulationConfiguration,
        with scheduler: Scheduler,
        stopAtFirstFailure: Bool = true,
        timeLimit: Duration? = nil
    ) -> ChannelExploration {
        var first: SimulationResult?
        var shortest: SimulationResult?
        var mismatches = 0
        var tally: [Property: Int] = [:]
        let report = Explorer.explore(with: scheduler, stopAtFirstFailure: stopAtFirstFailure, timeLimit: timeLimit) { scheduler in
            let result = ChannelSimulation(configuration, recordsLog: false).run(with: scheduler)
            if result.failed {
                let logged = replay(configuration, schedule: result.schedule)
                if logged.violations.map(\.description) != result.violations.map(\.description) { mismatches += 1 }
                for property in result.violatedProperties { tally[property, default: 0] += 1 }
                if first == nil { first = logged }
                if logged.schedule.count < shortest?.schedule.count ?? .max { shortest = logged }
            }
            return result.summary
        }
        return ChannelExploration(
            configuration: configuration,
            isExhaustive: scheduler is ExhaustiveScheduler,
            report: report,
            firstFailure: first,
            shortestFailure: shortest,
            replayMismatches: mismatches,
            failingExecutionsByProperty: Property.allCases.compactMap { property in tally[property].map { (property, $0) } }
        )
    }

    // MARK: - Quiescence

    /// The terms of `Quiescence` (the one definition the spec and the replay share) on the
    /// implementation's state now. Senders are idle once every sender has finished and, if
    /// configured, shutdown has not begun: a channel being freed reclaims its buffers with the
    /// device, it does not return them (as the spec's `no-leak-at-quiescence` says).
    public var quiescence: Quiescence<Bool> {
        let sendersDone = senders.allSatisfy { sender in sender.lock.withLock { sender.finished } }
        let queue = channel.vqueue
        return Quiescence(
            sendersIdle: sendersDone && !shutdownHasBegun,
            irqIdle: !channel.interrupt.isRunning,
            workerIdle: !channel.workQueue.isRunning,
            workQueued: channel.workQueue.isPending,
            usedRingEmpty: queue.usedElements.isEmpty,
            deviceHoldsNoBuffer: queue.heldRequests.isEmpty
        )
    }

    /// Whether the actor "shutdown" has taken its first step (`chan_free` breaks the device);
    /// false when it is not configured.
    public var shutdownHasBegun: Bool {
        guard configuration.includesShutdown else { return false }
        runtime.start()
        return runtime.hasFinished("shutdown")
            || runtime.pendingOperation(of: "shutdown") as? Operation != Self.shutdownFirstOperation
    }

    /// Where `chan_free` begins.
    public static let shutdownFirstOperation = Operation(.chanFree, .virtqueue(.breakDevice))

    /// Whether the channel is at rest (`Quiescence`) and still alive: once shutdown has
    /// dropped its last user, buffers are reclaimed with the device, not returned, so there
    /// is no leak to check.
    public var isQuiescent: Bool {
        guard !channel.ledger.isChannelTornDown else { return false }
        return quiescence.holds
    }

    /// At quiescence, records `no-leak-at-quiescence` for every buffer not on the free list.
    @discardableResult
    public func checkQuiescence() -> Bool {
        guard isQuiescent else { return false }
        for index in channel.messages.indices {
            let location = channel.location(of: index)
            if location != .freeList {
                recorder.record(.noLeakAtQuiescence, "buf\(index) is not back on the free list at quiescence (\(location))", actor: "quiescence")
            }
        }
        return true
    }

    private func conclude() -> SimulationResult {
        if let conclusion { return conclusion }
        let quiescent = checkQuiescence()
        let snapshot = self.snapshot()
        var summary = runtime.summary
        runtime.tearDown()
        let violations = recorder.violations
        summary.failures = violations.map(\.description)
        let result = SimulationResult(summary: summary, violations: violations, snapshot: snapshot, quiescent: quiescent, abandonedActors: runtime.abandonedActors)
        conclusion = result
        return result
    }

    // MARK: - Snapshot

    /// The abstract state now (see `ChannelSnapshot`).
    public func snapshot() -> ChannelSnapshot {
        let queue = channel.vqueue
        let buffers = channel.messages.map { message in
            ChannelSnapshot.Buffer(
                index: message.index,
                location: channel.location(of: message.index),
                pollStatus: message.pollStatus.peek(),
                users: configuration.switches.messageRefcount ? message.users.value : nil,
                generation: channel.ledger.record(of: message.index).generation,
                rxLen: message.rxLen.peek(),
                input: message.input.peek()
            )
        }
        let cpus = senders.map { sender -> ChannelSnapshot.CPU in
            let (current, completed, finished) = sender.lock.withLock { (sender.current, sender.completed, sender.finished) }
            let transfer = current.map { xfer in
                ChannelSnapshot.Transfer(
                    token: xfer.token,
                    polled: xfer.isPolled,
                    state: xfer.currentState,
                    phase: xfer.phase,
                    priv: xfer.boundBuffer,
                    result: xfer.result,
                    fetches: xfer.fetchCount
                )
            }
            return ChannelSnapshot.CPU(name: sender.name, transfer: transfer, completed: completed, finished: finished, nextStep: runtime.pendingLabel(of: sender.name))
        }
        var snapshot = ChannelSnapshot(
            step: runtime.currentStep,
            buffers: buffers,
            cpus: cpus,
            freeList: channel.freeBuffers,
            pendingList: channel.pendingBuffers,
            deviceHeld: queue.heldRequests.map(\.buffer),
            usedRing: queue.usedElements.map(\.buffer),
            lastUsedIndex: queue.lastUsedIndex,
            usedIndex: queue.usedIndex,
            callbacksEnabled: queue.callbacksEnabled,
            deviceBroken: queue.isBroken,
            channelUsers: channel.channelUsers,
            channelReferences: channel.channelReferences,
            shutdownBegun: channel.isShuttingDown,
            deferredWorkQueueSet: channel.hasDeferredWorkQueue,
            workerQueued: channel.workQueue.isPending,
            workerRunning: channel.workQueue.isRunning,
            irqRunning: channel.interrupt.isRunning,
            irqCPU: irqCPU,
            workerCPU: workerCPU,
            violations: recorder.violations
        )
        snapshot.pendingTokens = core.pendingTokens
        snapshot.lastToken = core.tokenSpace.map { _ in core.upcomingToken }
        return snapshot
    }
}
