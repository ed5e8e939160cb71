import Scheduling
import Vocabulary

/// The result of exploring many executions of one configuration.
public struct ChannelExploration: Sendable {
    public var configuration: SimulationConfiguration
    /// Whether the scheduler was exhaustive (so finishing means the bounded space was covered).
    public var isExhaustive: Bool
    /// Executions, time, whether the scheduler finished.
    public var report: Explorer.Report
    /// The first failing execution, if any.
    public var firstFailure: SimulationResult?
    /// The failing execution with the shortest schedule, if any.
    public var shortestFailure: SimulationResult?
    /// Failing executions whose logged replay did not record the same violations (0 when
    /// the execution is deterministic, as it must be).
    public var replayMismatches: Int
    /// For each property, how many failing executions violated it.
    public var failingExecutionsByProperty: [(Property, Int)]

    public var foundViolation: Bool { firstFailure != nil }

    /// A short human-readable account: executions, time, what failed, the schedule.
    public var summary: String {
        var lines = ["\(configuration.variant)/\(configuration.core): \(report.executions) executions in \(report.elapsed.formattedSeconds), \(report.finished ? (isExhaustive ? "bounded space covered" : "all executions ran") : "stopped early"), \(report.failureCount) failing\(replayMismatches > 0 ? ", \(replayMismatches) replays differed" : "")"]
        if !failingExecutionsByProperty.isEmpty {
            lines.append("failing executions by property: " + failingExecutionsByProperty.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        }
        if let failure = shortestFailure ?? firstFailure {
            lines.append("shortest failing execution: \(failure.schedule.count) steps, violates \(failure.violatedProperties.map(\.rawValue).joined(separator: ", "))")
            for violation in failure.violations.prefix(6) { lines.append("  \(violation)") }
            lines.append("schedule: \(failure.schedule)")
        }
        return lines.joined(separator: "\n")
    }
}
