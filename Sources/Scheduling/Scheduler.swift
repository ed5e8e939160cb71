/// A strategy that decides, at every scheduling point of a controlled execution, what
/// happens next.
///
/// ## Lifecycle
///
/// A scheduler drives one or more executions of a system built on a `ControlledRuntime`.
/// An explorer (see `Explorer.explore`) calls `beginExecution()` before each execution; a
/// scheduler that has nothing more to try returns false and the exploration ends. The
/// explorer then builds a fresh system and runs it with `ControlledRuntime.run(with:)`.
///
/// During the execution only one actor runs at a time. Whenever it reaches a scheduling
/// point (or finishes), the runtime lists the enabled choices — actors that can take their
/// next step, then environment events — and calls `choose(from:step:)` on the thread that
/// holds control. The scheduler answers with one choice's `id`; the runtime records it in
/// the execution's `Schedule`, runs that step, and asks again at the next point. Answering
/// nil ends the execution early; the runtime then tears the actors down without recording
/// anything further. The execution also ends when no choice is enabled or the runtime's
/// step limit is reached.
///
/// After the execution the explorer calls `endExecution(_:)` with its summary (schedule,
/// log, outcome, violations), so that the scheduler can note failures or plan the next
/// execution, and then asks `beginExecution()` again.
///
/// A read of a weak field (`WeakShared`) asks `chooseWrite(for:)` which write it observes,
/// among those its actor's view allows (see ``MemoryViews``); the default answer, nil, is the
/// newest write, so a scheduler that does not implement it runs sequentially consistent
/// executions. The runtime records every read that observed an older write in the
/// execution's `Schedule`.
///
/// `choose` is always called with at least one choice, never concurrently, and must be
/// deterministic given the scheduler's own state: the same answers to the same questions
/// give the same execution.
public protocol Scheduler: AnyObject {
    /// Prepares the next execution; false when there is nothing more to run.
    func beginExecution() -> Bool

    /// Picks the next step among `choices` (never empty), or nil to end the execution.
    /// `step` is the number the chosen step will have (from 1).
    func choose(from choices: [Choice], step: Int) -> String?

    /// Which write `read` observes (a number in `read.allowed`), or nil for the newest.
    func chooseWrite(for read: WeakRead) -> Int?

    /// Learns how the execution ended.
    func endExecution(_ summary: ExecutionSummary)
}

extension Scheduler {
    /// The newest write: sequential consistency.
    public func chooseWrite(for read: WeakRead) -> Int? { nil }
}
