/// Runs executions one after another under one scheduler, until the scheduler is done, a
/// limit is reached, or (optionally) the first failure.
public enum Explorer {
    /// The result of an exploration.
    public struct Report: Sendable {
        /// Executions run.
        public var executions: Int
        /// Wall-clock time spent.
        public var elapsed: Duration
        /// The first failing execution, if any.
        public var firstFailure: ExecutionSummary?
        /// The failing execution with the shortest schedule, if any.
        public var shortestFailure: ExecutionSummary?
        /// How many executions failed.
        public var failureCount: Int
        /// True if the scheduler ran out of executions (for an exhaustive scheduler: the
        /// bounded space was covered); false if a limit or the first failure stopped it.
        public var finished: Bool
    }

    /// Explores with `scheduler`; `execute` builds a fresh system, runs it with the given
    /// scheduler and returns the summary (with failures filled in).
    public static func explore(
        with scheduler: Scheduler,
        stopAtFirstFailure: Bool = true,
        timeLimit: Duration? = nil,
        execute: (Scheduler) -> ExecutionSummary
    ) -> Report {
        let clock = ContinuousClock()
        let start = clock.now
        var report = Report(executions: 0, elapsed: .zero, firstFailure: nil, shortestFailure: nil, failureCount: 0, finished: false)
        while true {
            if let timeLimit, clock.now - start > timeLimit { break }
            guard scheduler.beginExecution() else {
                report.finished = true
                break
            }
            var summary = execute(scheduler)
            if let random = scheduler as? RandomScheduler { summary.seed = random.executionSeed }
            scheduler.endExecution(summary)
            report.executions += 1
            if summary.failed {
                report.failureCount += 1
                if report.firstFailure == nil { report.firstFailure = summary }
                if summary.schedule.count < report.shortestFailure?.schedule.count ?? .max {
                    report.shortestFailure = summary
                }
                if stopAtFirstFailure { break }
            }
        }
        report.elapsed = clock.now - start
        return report
    }
}
