import Scheduling
import Vocabulary

/// The result of one controlled execution of a `ChannelSimulation`.
public struct SimulationResult: Sendable {
    /// Schedule, log, outcome and failures of the execution.
    public var summary: ExecutionSummary
    public var violations: [Violation]
    /// The state when the execution ended, before tear-down.
    public var snapshot: ChannelSnapshot
    /// Whether the execution ended quiescent (and so was checked for leaks).
    public var quiescent: Bool
    /// Actors that could not be torn down (a real deadlock in the code under test).
    public var abandonedActors: [String]

    public var schedule: Schedule { summary.schedule }
    public var log: [String] { summary.log }
    public var failed: Bool { !violations.isEmpty }

    /// Whether some violation of `property` was recorded.
    public func violates(_ property: Property) -> Bool {
        violations.contains { $0.property == property }
    }

    /// The properties violated, in order of first violation, without repeats.
    public var violatedProperties: [Property] {
        var seen: [Property] = []
        for violation in violations where !seen.contains(violation.property) {
            seen.append(violation.property)
        }
        return seen
    }
}
