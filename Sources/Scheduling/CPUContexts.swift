/// CPUs as execution contexts for a `ControlledRuntime`: which CPU an actor's code runs on, and
/// which actors may take a step because of it.
///
/// Without it (the default) every actor is a free-running context. With it, actors have roles:
/// - CPU `k`'s own thread, the actor named `cpus[k]` (a sender);
/// - the interrupt handler (`handler`), which interrupts a CPU when it starts and runs to its
///   end there: it is placed at its idle point and stays until it is back there;
/// - a kernel thread (`kernelThread`, an unbound workqueue's worker), placed on a CPU when it
///   starts and at each point its code marks with `Platform.mayMoveAtNextPoint()` (where it holds
///   no lock), and free again once it is back at its idle point;
/// - every other actor runs unconfined, as without contexts.
///
/// The rules, those of the transport spec's `--contexts on` (Spec/ExecutionContexts.swift):
/// - A CPU has interrupts off while a thread on it holds a spinlock (every `SpinLock` is taken
///   with `spin_lock_irqsave`): the handler starts only on a CPU with interrupts on, and only on
///   `interruptCPU` when that is fixed.
/// - While the handler runs on a CPU, the threads on it take no step.
/// - A thread holding a spinlock is not preempted: while the CPU's own thread or the kernel thread
///   on it holds one, the other takes no step there, and the kernel thread is not placed there.
///
/// A step that places an actor is offered once per CPU it may go to, with the id
/// `actor@cpuName` (`irq@cpu1`, `worker@cpu0`); every other step keeps the actor's name as its id,
/// so a schedule without placements reads as before.
///
/// Its state is read and changed only by the thread that holds the runtime's baton.
public final class CPUContexts: @unchecked Sendable {
    /// CPU names, by number; the actor of the same name is that CPU's own thread.
    public let cpus: [String]
    /// The interrupt handler's actor.
    public let handler: String
    /// The kernel thread's actor.
    public let kernelThread: String
    /// The CPU every interrupt is delivered to, or nil for any CPU the scheduler picks.
    public let interruptCPU: Int?

    /// The CPU the handler interrupted, while it runs.
    public private(set) var handlerCPU: Int?
    /// The CPU the kernel thread runs on, while it runs.
    public private(set) var kernelThreadCPU: Int?
    /// How many spinlocks an actor holds (given by the runtime the contexts belong to).
    var spinLocksHeld: (String) -> Int = { _ in 0 }

    /// What an actor is, for its CPU.
    public enum Role: Equatable, Sendable {
        case cpuThread(Int)
        case handler
        case kernelThread
        case unconfined
    }

    public init(cpus: [String], handler: String, kernelThread: String, interruptCPU: Int? = nil) {
        precondition(interruptCPU.map { cpus.indices.contains($0) } ?? true, "the interrupt CPU is not one of the CPUs")
        self.cpus = cpus
        self.handler = handler
        self.kernelThread = kernelThread
        self.interruptCPU = interruptCPU
    }

    /// The role of the actor named `actor`.
    public func role(of actor: String) -> Role {
        if actor == handler { return .handler }
        if actor == kernelThread { return .kernelThread }
        if let k = cpus.firstIndex(of: actor) { return .cpuThread(k) }
        return .unconfined
    }

    /// The CPU the actor runs on now, if it has one.
    public func cpu(of actor: String) -> Int? {
        switch role(of: actor) {
        case .cpuThread(let k): return k
        case .handler: return handlerCPU
        case .kernelThread: return kernelThreadCPU
        case .unconfined: return nil
        }
    }

    // MARK: - Rules

    /// Whether `actor` holds a spinlock (with interrupts saved).
    public func holdsSpinLock(_ actor: String) -> Bool {
        spinLocksHeld(actor) > 0
    }

    /// Whether CPU `k` takes an interrupt: neither its own thread nor the kernel thread on it
    /// holds a spinlock taken with interrupts saved.
    public func takesInterrupts(_ k: Int) -> Bool {
        !holdsSpinLock(cpus[k]) && !(kernelThreadCPU == k && holdsSpinLock(kernelThread))
    }

    /// Whether a thread other than CPU `k`'s own may run there: no handler interrupted it and its
    /// own thread holds no spinlock.
    public func otherThreadMayRun(on k: Int) -> Bool {
        handlerCPU != k && !holdsSpinLock(cpus[k])
    }

    /// Whether `actor` may take a step that does not place it.
    public func mayStep(_ actor: String) -> Bool {
        switch role(of: actor) {
        case .cpuThread(let k):
            return handlerCPU != k && !(kernelThreadCPU == k && holdsSpinLock(kernelThread))
        case .handler:
            return handlerCPU != nil
        case .kernelThread:
            return kernelThreadCPU.map(otherThreadMayRun) ?? false
        case .unconfined:
            return true
        }
    }

    /// The CPUs a step that places `actor` may put it on (empty for an actor that is not placed).
    public func placements(of actor: String) -> [Int] {
        switch role(of: actor) {
        case .handler:
            guard handlerCPU == nil else { return [] }
            return cpus.indices.filter { k in (interruptCPU ?? k) == k && takesInterrupts(k) }
        case .kernelThread:
            // It must be free to run where it is now, and to run where it goes.
            guard kernelThreadCPU.map(otherThreadMayRun) ?? true else { return [] }
            return cpus.indices.filter(otherThreadMayRun)
        case .cpuThread, .unconfined:
            return []
        }
    }

    /// Whether a step of `actor` at a point of this kind places it: the handler's and the kernel
    /// thread's steps from their idle points, and the kernel thread's at the points it marked.
    func places(_ actor: String, idle: Bool, marked: Bool) -> Bool {
        switch role(of: actor) {
        case .handler: return idle && handlerCPU == nil
        case .kernelThread: return idle || marked || kernelThreadCPU == nil
        case .cpuThread, .unconfined: return false
        }
    }

    // MARK: - Placing

    /// The id of the step that places `actor` on CPU `k`.
    public func placementID(_ actor: String, on k: Int) -> String {
        "\(actor)@\(cpus[k])"
    }

    /// The actor and CPU a placement id names, or nil for any other id.
    public func parsePlacement(_ id: String) -> (actor: String, cpu: Int)? {
        guard let at = id.firstIndex(of: "@"), let k = cpus.firstIndex(of: String(id[id.index(after: at)...])) else { return nil }
        return (String(id[..<at]), k)
    }

    /// Puts `actor` on CPU `k` (a placing step is about to run).
    func place(_ actor: String, on k: Int) {
        switch role(of: actor) {
        case .handler: handlerCPU = k
        case .kernelThread: kernelThreadCPU = k
        case .cpuThread, .unconfined: break
        }
    }

    /// `actor` is back at its idle point (or finished): it runs nowhere.
    func wentIdle(_ actor: String) {
        switch role(of: actor) {
        case .handler: handlerCPU = nil
        case .kernelThread: kernelThreadCPU = nil
        case .cpuThread, .unconfined: break
        }
    }
}
