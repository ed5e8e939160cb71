/// What one controlled execution did: its schedule, its log, how it ended, what failed.
public struct ExecutionSummary: Sendable {
    /// The choices made, replayable with a `ReplayScheduler`.
    public var schedule: Schedule
    /// Every step's label and every traced event, in order; identical for identical schedules.
    public var log: [String]
    public var outcome: ExecutionOutcome
    /// Descriptions of the property violations the code under test's monitor recorded.
    public var failures: [String]
    /// How many steps counted as preemptions.
    public var preemptions: Int
    /// The seed that produced the schedule, for random runs.
    public var seed: UInt64?

    public init(schedule: Schedule, log: [String], outcome: ExecutionOutcome, failures: [String] = [], preemptions: Int = 0, seed: UInt64? = nil) {
        self.schedule = schedule
        self.log = log
        self.outcome = outcome
        self.failures = failures
        self.preemptions = preemptions
        self.seed = seed
    }

    public var failed: Bool { !failures.isEmpty }
}
