import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A platform on which actors run on real threads, one at a time, and a `Scheduler`
/// decides every step.
///
/// Each actor is a thread holding a semaphore; control (the baton) passes from thread to
/// thread, so exactly one runs. An actor runs from one scheduling point to the next: the
/// code between two points is one *step*, labelled with the operation at the first point
/// ("cpu1: poll_done virtqueue_get_buf"). Environment events (a device reply, a deadline
/// passing) are steps too; they run atomically on the thread that holds the baton.
///
/// Whoever holds the baton at a scheduling point asks the scheduler for the next choice
/// and hands the baton over directly (an actor that goes on keeps it). Because nothing else
/// runs, the same schedule gives the same execution, exactly.
///
/// Lifecycle: register actors with `spawnActor` and environment sources with
/// `addEnvironmentSource` (setup); `start()` creates the threads and runs each one up to
/// its first scheduling point (code before it must touch no shared state); then either
/// `run(with:)` lets a scheduler choose until the execution ends, or `step(_:)` performs
/// one chosen step at a time (the caller is the scheduler). `tearDown()` finally lets
/// every actor finish — deadlines count as passed, idle actors leave their loops, nothing
/// more is recorded — so that no thread is left behind, even when a schedule ended early.
///
/// Memory: the runtime keeps a ``MemoryViews``. A read of a weak field asks the scheduler
/// (`Scheduler.chooseWrite(for:)`), or the chooser given to `step(_:choosingWrites:)`, which
/// write it observes among those the reader's view allows; nil means the newest, so the
/// default is sequential consistency. Reads that observed an older write are part of the
/// execution's `Schedule`, and a `ReplayScheduler` makes them observe the same writes again.
///
/// Execution contexts: with `contexts` set (before `start()`), CPUs are execution contexts (see
/// ``CPUContexts``): an actor steps only where its CPU lets it, and a step that places the
/// interrupt handler or a kernel thread on a CPU is a choice per CPU (`irq@cpu1`). Without it every
/// actor runs free, as it always did.
///
/// Calls from a thread that is not the running actor (the test itself, before `start()`)
/// take no scheduling point: a test can call the code under test directly, sequentially.
public final class ControlledRuntime: Platform, @unchecked Sendable {
    /// Limits for one execution.
    public struct Options: Sendable {
        /// Steps after which the execution ends with `ExecutionOutcome.stepLimit`.
        public var maxSteps: Int
        /// Steps of tear-down after which remaining actors are abandoned (left parked).
        public var maxTearDownSteps: Int
        /// Stack size of actor threads.
        public var stackSize: Int
        /// Whether the run's threads (the caller's included, while the run lasts) share one
        /// CPU, which makes hand-offs much cheaper (see `CPUAffinity`).
        public var pinsToOneCPU: Bool
        /// Whether steps are labelled and logged. Without labels a choice's label is just
        /// its id and the log stays empty; an exploration can run that way and replay the
        /// few executions it wants to show.
        public var recordsLog: Bool

        public init(maxSteps: Int = 20_000, maxTearDownSteps: Int = 100_000, stackSize: Int = 1 << 20, pinsToOneCPU: Bool = true, recordsLog: Bool = true) {
            self.maxSteps = maxSteps
            self.maxTearDownSteps = maxTearDownSteps
            self.stackSize = stackSize
            self.pinsToOneCPU = pinsToOneCPU
            self.recordsLog = recordsLog
        }
    }

    /// Why `step(_:)` refused a step.
    public enum StepError: Error, CustomStringConvertible {
        case notEnabled(String, enabled: [String])
        case executionEnded(ExecutionOutcome?)

        public var description: String {
            switch self {
            case .notEnabled(let id, let enabled):
                return "\(id) is not enabled; enabled: \(enabled.joined(separator: ", "))"
            case .executionEnded(let outcome):
                return "the execution has ended (\(outcome?.description ?? "torn down"))"
            }
        }
    }

    // MARK: - State

    private final class Actor {
        let name: String
        let semaphore = DispatchSemaphore(value: 0)
        var body: (() -> Void)?
        var threadID: pthread_t?
        var point: Point?
        var finished = false
        var stopRequested = false
        /// Whether the next point may move the actor to another CPU (`mayMoveAtNextPoint()`).
        var movesAtNextPoint = false

        init(name: String, body: @escaping () -> Void) {
            self.name = name
            self.body = body
        }
    }

    private struct Point {
        enum Kind { case step, blocked, relax, idle }
        let label: String
        /// The typed operation, kept with the label (nil without `recordsLog`).
        let operation: (any Sendable & CustomStringConvertible)?
        let kind: Kind
        let ready: (() -> Bool)?
        /// Whether the actor marked the point as one where it may move to another CPU.
        var marked = false
    }

    private enum Phase { case setup, starting, running, ended, tearingDown, finished }

    public let options: Options
    private var phase: Phase = .setup
    private var actors: [Actor] = []
    private var running: Actor?
    private var current: Actor?
    private var environmentSources: [() -> [EnvironmentEvent]] = []
    private var deadlines: [Deadline] = []
    private var tearDownHooks: [() -> Void] = []
    private var scheduler: Scheduler?
    private var interactive = false
    private let controller = DispatchSemaphore(value: 0)
    private var scheduleSteps: [String] = []
    private var logLines: [String] = []
    private var preemptionCount = 0
    private var outcomeValue: ExecutionOutcome?
    private var pinnedCPU: Int?
    private var callerMask: CPUAffinity.Mask?
    private let views = MemoryViews()
    /// Which write a weak read observes during an interactive step, if its caller says.
    private var stepChooser: ((WeakRead) -> Int?)?

    /// CPUs as execution contexts, or nil for free-running actors; set during setup.
    public var contexts: CPUContexts? {
        didSet {
            precondition(phase == .setup, "execution contexts are set before start()")
            contexts?.spinLocksHeld = { [unowned self] actor in spinLocksHeld[actor] ?? 0 }
        }
    }
    /// How many spinlocks each actor holds now.
    private var spinLocksHeld: [String: Int] = [:]

    /// `actor` took a spinlock (called by `SpinLock` as the holder).
    func spinLockTaken(by actor: String) {
        spinLocksHeld[actor, default: 0] += 1
    }

    /// `actor`'s spinlock was dropped.
    func spinLockDropped(by actor: String) {
        spinLocksHeld[actor, default: 0] -= 1
    }

    /// Actors that could not finish during tear-down and were left parked.
    public private(set) var abandonedActors: [String] = []

    public init(options: Options = Options()) {
        self.options = options
        views.chooser = { [unowned self] read in stepChooser.map { $0(read) } ?? scheduler?.chooseWrite(for: read) }
        views.currentStep = { [unowned self] in scheduleSteps.count }
    }

    // MARK: - Platform

    public var isControlled: Bool { true }

    public var currentActorName: String { callerActor()?.name ?? "main" }

    public var currentStep: Int { scheduleSteps.count }

    public var isStopping: Bool { phase == .tearingDown || phase == .finished }

    public func schedulingPoint(_ operation: @autoclosure () -> PointLabel) {
        guard let me = callerActor() else { return }
        pause(me, point(me, operation(), kind: .step, ready: nil))
    }

    public func blockingPoint(_ operation: @autoclosure () -> PointLabel, until ready: @escaping () -> Bool) {
        guard let me = callerActor() else { return }
        pause(me, point(me, operation(), kind: .blocked, ready: ready))
    }

    public func relax(_ operation: @autoclosure () -> PointLabel, wakeWhen: @escaping () -> Bool) {
        guard let me = callerActor() else { return }
        pause(me, point(me, operation(), kind: .relax, ready: wakeWhen))
    }

    public func idlePoint(_ operation: @autoclosure () -> PointLabel, until ready: @escaping () -> Bool) -> Bool {
        guard let me = callerActor() else { return !isStopping && ready() }
        pause(me, point(me, operation(), kind: .idle, ready: ready))
        return !me.stopRequested
    }

    public func notifyIdleActors() {}

    public func mayMoveAtNextPoint() {
        callerActor()?.movesAtNextPoint = true
    }

    public func trace(_ message: @autoclosure () -> String) {
        guard phase == .running, options.recordsLog else { return }
        logLines.append("    \(message())")
    }

    public func spawnActor(_ name: String, _ body: @escaping () -> Void) {
        precondition(phase == .setup, "actors are registered before start()")
        precondition(!actors.contains { $0.name == name }, "duplicate actor \(name)")
        actors.append(Actor(name: name, body: body))
    }

    public var memory: MemoryViews? { views }

    public func deadlineArmed(_ deadline: Deadline) {
        if !deadlines.contains(where: { $0 === deadline }) {
            deadlines.append(deadline)
        }
    }

    // MARK: - Setup

    /// Registers a source of environment events, asked at every scheduling point.
    public func addEnvironmentSource(_ source: @escaping () -> [EnvironmentEvent]) {
        environmentSources.append(source)
    }

    /// Registers code to run when tear-down begins (for example, to stop recording).
    public func onTearDown(_ hook: @escaping () -> Void) {
        tearDownHooks.append(hook)
    }

    /// Creates the actor threads and runs each up to its first scheduling point.
    public func start() {
        guard phase == .setup else { return }
        phase = .starting
        if options.pinsToOneCPU, let cpu = CPUAffinity.currentCPU {
            callerMask = CPUAffinity.currentMask()
            if CPUAffinity.pinCurrentThread(to: cpu) { pinnedCPU = cpu }
        }
        for actor in actors {
            let thread = NativeThread.start(name: actor.name, stackSize: options.stackSize) { [self] in
                threadMain(actor)
            }
            thread.detach()
            running = actor
            actor.semaphore.signal()
            controller.wait()
        }
        running = nil
        phase = .running
    }

    // MARK: - Running

    /// Lets `scheduler` choose every step until the execution ends; returns its summary.
    @discardableResult
    public func run(with scheduler: Scheduler) -> ExecutionSummary {
        start()
        self.scheduler = scheduler
        interactive = false
        if phase == .running, let next = advance() {
            next.semaphore.signal()
            controller.wait()
        }
        return summary
    }

    /// The choices enabled now. Actors busy-waiting with nothing new to see are included
    /// only when `includingSpinners` is true (a step-by-step caller may want to run them).
    public func enabledChoices(includingSpinners: Bool = true) -> [Choice] {
        guard phase == .running else { return [] }
        return computeChoices(forcingSpinners: includingSpinners)
    }

    /// Performs one step: the actor or environment event with this id; returns its choice.
    /// `chooseWrite`, when given, answers the step's weak reads (which write each observes; nil
    /// for the newest) instead of the scheduler.
    @discardableResult
    public func step(_ id: String, choosingWrites chooseWrite: ((WeakRead) -> Int?)? = nil) throws -> Choice {
        start()
        guard phase == .running else { throw StepError.executionEnded(outcomeValue) }
        interactive = true
        let choices = computeChoices(forcingSpinners: true)
        guard let choice = choices.first(where: { $0.id == id }) else {
            throw StepError.notEnabled(id, enabled: choices.map(\.id))
        }
        stepChooser = chooseWrite
        defer { stepChooser = nil }
        if let actor = perform(choice) {
            actor.semaphore.signal()
            controller.wait()
        }
        return choice
    }

    /// The label of the step an actor would take next, if it is waiting at a point.
    public func pendingLabel(of actorName: String) -> String? {
        actors.first { $0.name == actorName }?.point?.label
    }

    /// The typed operation of the step an actor would take next, if it is waiting at a
    /// point whose label names one (and the run records its log).
    public func pendingOperation(of actorName: String) -> (any Sendable & CustomStringConvertible)? {
        actors.first { $0.name == actorName }?.point?.operation
    }

    /// Whether the actor's next step places it on a CPU (with `contexts`): its id is then
    /// `actor@cpuName`, one per CPU it may go to.
    public func nextStepPlaces(_ actorName: String) -> Bool {
        guard let contexts, let actor = actors.first(where: { $0.name == actorName }), let point = actor.point else { return false }
        return contexts.places(actor.name, idle: point.kind == .idle, marked: point.marked)
    }

    /// Whether the named actor has finished its body.
    public func hasFinished(_ actorName: String) -> Bool {
        actors.first { $0.name == actorName }?.finished ?? false
    }

    /// The registered actors' names, in registration order.
    public var actorNames: [String] { actors.map(\.name) }

    /// The execution so far: schedule, log, outcome (`.stopped` while it is still open).
    public var summary: ExecutionSummary {
        ExecutionSummary(
            schedule: Schedule(scheduleSteps, reads: views.olderReads),
            log: logLines,
            outcome: outcomeValue ?? .stopped,
            preemptions: preemptionCount
        )
    }

    /// Whether nothing more can happen: no actor can step and no environment event is offered.
    public var isIdle: Bool {
        phase != .running || computeChoices(forcingSpinners: false).isEmpty
    }

    /// Lets every actor finish (see the type's documentation) and drops all references.
    public func tearDown() {
        switch phase {
        case .setup:
            phase = .finished
            releaseReferences()
            return
        case .finished, .tearingDown:
            return
        default:
            break
        }
        if outcomeValue == nil { outcomeValue = .stopped }
        phase = .tearingDown
        for hook in tearDownHooks { hook() }
        var steps = 0
        while true {
            let live = actors.filter { !$0.finished }
            if live.isEmpty { break }
            guard steps < options.maxTearDownSteps, let actor = live.first(where: isDrainable) else {
                abandonedActors = live.map(\.name)
                break
            }
            steps += 1
            if actor.point?.kind == .idle { actor.stopRequested = true }
            actor.point = nil
            running = actor
            actor.semaphore.signal()
            controller.wait()
        }
        running = nil
        phase = .finished
        releaseReferences()
    }

    /// Gives the caller back the CPUs it had before `start()`.
    private func unpinCaller() {
        if let callerMask {
            CPUAffinity.restore(callerMask)
            self.callerMask = nil
        }
    }

    // MARK: - Baton passing

    /// The point `actor` is at. Without `recordsLog` the label is not built: the point is
    /// named by the actor alone and keeps no operation.
    private func point(_ actor: Actor, _ operation: @autoclosure () -> PointLabel, kind: Point.Kind, ready: (() -> Bool)?) -> Point {
        var point: Point
        if options.recordsLog {
            let label = operation()
            point = Point(label: "\(actor.name): \(label)", operation: label.operation, kind: kind, ready: ready)
        } else {
            point = Point(label: actor.name, operation: nil, kind: kind, ready: ready)
        }
        point.marked = actor.movesAtNextPoint
        actor.movesAtNextPoint = false
        return point
    }

    private func callerActor() -> Actor? {
        guard let actor = running, let id = actor.threadID, pthread_equal(id, pthread_self()) != 0 else {
            return nil
        }
        return actor
    }

    private func threadMain(_ actor: Actor) {
        actor.threadID = pthread_self()
        if let pinnedCPU { CPUAffinity.pinCurrentThread(to: pinnedCPU) }
        actor.semaphore.wait()
        actor.body?()
        actor.body = nil
        actor.point = nil
        actor.finished = true
        contexts?.wentIdle(actor.name)
        handOff(from: actor, finished: true)
    }

    private func pause(_ me: Actor, _ point: Point) {
        me.point = point
        if point.kind == .idle { contexts?.wentIdle(me.name) }
        handOff(from: me, finished: false)
    }

    /// Passes the baton on from `me`, which is parked at a point or has finished.
    private func handOff(from me: Actor, finished: Bool) {
        if phase == .running && !interactive {
            if let next = advance() {
                if next === me { return }
                next.semaphore.signal()
            } else {
                controller.signal()
            }
        } else {
            controller.signal()
        }
        if !finished { me.semaphore.wait() }
    }

    /// Asks the scheduler until it picks an actor (returned) or the execution ends (nil);
    /// environment events are performed on the way.
    private func advance() -> Actor? {
        while true {
            if scheduleSteps.count >= options.maxSteps {
                end(.stepLimit)
                return nil
            }
            let choices = computeChoices(forcingSpinners: false)
            if choices.isEmpty {
                end(terminalOutcome())
                return nil
            }
            guard let id = scheduler?.choose(from: choices, step: scheduleSteps.count + 1) else {
                end(.stopped)
                return nil
            }
            guard let choice = choices.first(where: { $0.id == id }) else {
                end(.diverged(step: scheduleSteps.count + 1, wanted: id, enabled: choices.map(\.id)))
                return nil
            }
            if let actor = perform(choice) { return actor }
        }
    }

    /// Records a choice and performs it: an environment event runs here and now; an actor
    /// is returned, marked running, for the caller to wake.
    private func perform(_ choice: Choice) -> Actor? {
        scheduleSteps.append(choice.id)
        if choice.isPreemption { preemptionCount += 1 }
        if options.recordsLog { logLines.append("\(scheduleSteps.count) \(choice.label)") }
        switch choice.kind {
        case .environment:
            if let current, !canStep(current, forcingSpinners: false) {
                self.current = nil
            }
            guard let event = environmentEvents().first(where: { $0.id == choice.id }) else { return nil }
            running = nil
            event.perform()
            return nil
        case .actor:
            var name = choice.id
            if let contexts, let (placed, cpu) = contexts.parsePlacement(choice.id) {
                name = placed
                contexts.place(placed, on: cpu)
            }
            guard let actor = actors.first(where: { $0.name == name }) else { return nil }
            actor.point = nil
            current = actor
            running = actor
            return actor
        }
    }

    private func end(_ outcome: ExecutionOutcome) {
        phase = .ended
        outcomeValue = outcome
    }

    // MARK: - Choices

    private func isEnabled(_ actor: Actor, forcingSpinners: Bool) -> Bool {
        guard !actor.finished, let point = actor.point else { return false }
        switch point.kind {
        case .step: return true
        case .blocked, .idle: return point.ready?() ?? true
        case .relax: return forcingSpinners || (point.ready?() ?? true)
        }
    }

    private func isDrainable(_ actor: Actor) -> Bool {
        guard let point = actor.point else { return false }
        switch point.kind {
        case .step, .relax, .idle: return true
        case .blocked: return point.ready?() ?? true
        }
    }

    /// The CPUs a step of `actor` places it on, with contexts: nil when the step places it
    /// nowhere (it steps where it runs, if its CPU lets it).
    private func placements(of actor: Actor) -> [Int]? {
        guard let contexts, let point = actor.point,
              contexts.places(actor.name, idle: point.kind == .idle, marked: point.marked) else { return nil }
        return contexts.placements(of: actor.name)
    }

    /// Whether `actor` can take its next step now: enabled at its point and, with contexts,
    /// allowed where it runs (or placeable somewhere).
    private func canStep(_ actor: Actor, forcingSpinners: Bool) -> Bool {
        guard isEnabled(actor, forcingSpinners: forcingSpinners) else { return false }
        guard let contexts else { return true }
        if let cpus = placements(of: actor) { return !cpus.isEmpty }
        return contexts.mayStep(actor.name)
    }

    private func computeChoices(forcingSpinners: Bool) -> [Choice] {
        let currentEnabled = current.map { canStep($0, forcingSpinners: false) } ?? false
        var ordered: [Actor] = []
        if currentEnabled, let current { ordered.append(current) }
        ordered.append(contentsOf: actors.filter { !(currentEnabled && $0 === current) })
        var choices: [Choice] = []
        var anyActorEnabled = false
        for actor in ordered where canStep(actor, forcingSpinners: forcingSpinners) {
            if canStep(actor, forcingSpinners: false) { anyActorEnabled = true }
            let label = actor.point?.label ?? actor.name
            let isPreemption = currentEnabled && actor !== current
            if let contexts, let cpus = placements(of: actor) {
                for k in cpus {
                    choices.append(Choice(
                        id: contexts.placementID(actor.name, on: k),
                        label: options.recordsLog ? "\(label) on \(contexts.cpus[k])" : contexts.placementID(actor.name, on: k),
                        operation: actor.point?.operation,
                        kind: .actor,
                        isPreemption: isPreemption
                    ))
                }
                continue
            }
            choices.append(Choice(
                id: actor.name,
                label: label,
                operation: actor.point?.operation,
                kind: .actor,
                isPreemption: isPreemption
            ))
        }
        for event in environmentEvents() {
            choices.append(Choice(id: event.id, label: event.label, kind: .environment, isPreemption: anyActorEnabled))
        }
        return choices
    }

    private func environmentEvents() -> [EnvironmentEvent] {
        guard phase == .running else { return [] }
        var events: [EnvironmentEvent] = []
        for deadline in deadlines where deadline.isPending {
            let id = "deadline:\(deadline.owner)"
            events.append(EnvironmentEvent(
                id: id,
                label: options.recordsLog ? "clock: deadline of \(deadline.owner) passes" : id,
                perform: { deadline.expire() }
            ))
        }
        for source in environmentSources {
            events.append(contentsOf: source())
        }
        return events
    }

    private func terminalOutcome() -> ExecutionOutcome {
        let blocked = actors.filter { !$0.finished && $0.point?.kind != .idle }.map(\.name)
        return blocked.isEmpty ? .completed : .deadlock(blocked)
    }

    private func releaseReferences() {
        unpinCaller()
        environmentSources = []
        deadlines = []
        tearDownHooks = []
        scheduler = nil
        for actor in actors where actor.finished {
            actor.body = nil
        }
    }
}
