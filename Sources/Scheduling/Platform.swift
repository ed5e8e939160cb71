/// The environment a concurrent implementation runs in: who is running, where it may be
/// interrupted, how it blocks and how it starts threads.
///
/// Code under test never touches threads, locks or clocks directly. It builds its
/// spinlocks, shared fields, refcounts, lists, completions, deadlines, work queue and
/// interrupt line from this module (`SpinLock`, `Shared`, `RefCount`, `SharedList`,
/// `Completion`, `Deadline`, `WorkQueue`, `InterruptLine`), each of which asks its platform
/// for the hooks below.
///
/// Two platforms exist:
/// - `RealPlatform` runs everything on real threads; scheduling points cost nothing and
///   blocking uses pthread mutexes and condition variables.
/// - `ControlledRuntime` runs actors on real threads but lets exactly one of them run at a
///   time; every scheduling point hands control to a `Scheduler`, so that a schedule (the
///   list of choices made) determines the execution exactly.
///
/// Memory: `ControlledRuntime` keeps a ``MemoryViews`` (`memory`), under which a read of a
/// weak field (`WeakShared`) can observe an older write and synchronising accesses (locks,
/// `.acquire`/`.release` accesses of `Shared` fields, `smp_rmb()`) carry views between actors;
/// with no choices made it is sequentially consistent. `RealPlatform` has none: the
/// hardware's memory applies.
///
/// Point labels (``PointLabel``: the typed operation and its detail) are autoclosures: a
/// real platform never builds them.
public protocol Platform: AnyObject, Sendable {
    /// True when a scheduler, not the OS, decides which actor runs.
    var isControlled: Bool { get }

    /// The name of the actor running the caller ("cpu0", "irq", "worker", ...).
    var currentActorName: String { get }

    /// The number of the step being executed (controlled), or 0 on real threads.
    var currentStep: Int { get }

    /// True once the run is being torn down: actors should finish what they are doing and
    /// start nothing new; deadlines count as passed.
    var isStopping: Bool { get }

    /// A point where another actor may run before the caller performs `operation`.
    func schedulingPoint(_ operation: @autoclosure () -> PointLabel)

    /// A point where the caller cannot go on until `ready` holds (a contended lock, a wait).
    ///
    /// `ready` is evaluated by the scheduler while the caller is suspended; it must only
    /// peek at state, never take a scheduling point.
    func blockingPoint(_ operation: @autoclosure () -> PointLabel, until ready: @escaping () -> Bool)

    /// The end of one fruitless busy-wait iteration (`cpu_relax()` in `spin_until_cond`).
    ///
    /// `wakeWhen` tells a controlled scheduler when another iteration could end the wait or
    /// change anything, so that it need not interleave iterations that repeat the last one.
    func relax(_ operation: @autoclosure () -> PointLabel, wakeWhen: @escaping () -> Bool)

    /// Where a service actor (an interrupt handler, a worker) waits for work.
    ///
    /// Returns false when the run is being torn down and the actor should exit its loop.
    func idlePoint(_ operation: @autoclosure () -> PointLabel, until ready: @escaping () -> Bool) -> Bool

    /// Tells idle actors that the state their `idlePoint` waits on may have changed.
    func notifyIdleActors()

    /// Marks the caller's next scheduling point as one where, holding no lock, a kernel thread of
    /// an unbound workqueue may move to another CPU (a placing step, with `CPUContexts`). Not a
    /// scheduling point; nothing happens without execution contexts.
    func mayMoveAtNextPoint()

    /// Records a line in the execution log (controlled runs only).
    func trace(_ message: @autoclosure () -> String)

    /// Registers an actor that runs `body` on its own thread.
    ///
    /// On a real platform it starts at once; under a `ControlledRuntime` it starts when the
    /// runtime starts and runs only when chosen.
    func spawnActor(_ name: String, _ body: @escaping () -> Void)

    /// The memory model of weak fields and synchronising accesses (controlled runs), or nil
    /// on real threads.
    var memory: MemoryViews? { get }

    /// Makes `deadline` known to the platform once it is armed (a controlled platform offers
    /// its passing as a choice).
    func deadlineArmed(_ deadline: Deadline)
}

extension Platform {
    /// Without execution contexts a thread runs wherever it is: nothing to mark.
    public func mayMoveAtNextPoint() {}

    /// A memory fence of the calling actor (`smp_rmb()`); it only moves views under a
    /// controlled runtime.
    public func fence(_ fence: MemoryFence) {
        memory?.fence(fence, actor: currentActorName)
    }
}
