/// Replays a recorded `Schedule`, choice by choice.
///
/// If the schedule names a choice that is not enabled, the execution ends as
/// `ExecutionOutcome.diverged` (the runtime reports it). When the schedule runs out the
/// execution stops there, unless `continueAfterEnd` is set, in which case the first
/// enabled choice is taken until nothing is enabled (useful to reach quiescence after a
/// replayed prefix). A weak read observes the write the schedule's `reads` name for its step
/// and field, and the newest write otherwise.
public final class ReplayScheduler: Scheduler {
    public let schedule: Schedule
    public let continueAfterEnd: Bool
    private let repetitions: Int
    private var executions = 0
    private var cursor = 0

    /// - Parameter repetitions: how many executions `beginExecution()` allows.
    public init(_ schedule: Schedule, continueAfterEnd: Bool = false, repetitions: Int = 1) {
        self.schedule = schedule
        self.continueAfterEnd = continueAfterEnd
        self.repetitions = repetitions
    }

    public func beginExecution() -> Bool {
        guard executions < repetitions else { return false }
        executions += 1
        cursor = 0
        return true
    }

    public func choose(from choices: [Choice], step: Int) -> String? {
        guard cursor < schedule.steps.count else {
            return continueAfterEnd ? choices.first?.id : nil
        }
        defer { cursor += 1 }
        return schedule.steps[cursor]
    }

    public func chooseWrite(for read: WeakRead) -> Int? {
        schedule.reads.first { $0.step == read.step && $0.location == read.location.name }?.write
    }

    public func endExecution(_ summary: ExecutionSummary) {}
}
