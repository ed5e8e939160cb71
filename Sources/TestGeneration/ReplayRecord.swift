/// The steps a replay ran, the steps it skipped, and the violations the implementation recorded.
public struct ReplayRecord: Equatable, Sendable, CustomStringConvertible {
    /// One spec step and what the implementation did for it.
    public struct Step: Equatable, Sendable {
        /// The step's number in the trace (1 is the first transition).
        public var number: Int
        /// `actor action(params)`, in the spec's words.
        public var label: String
        /// The implementation's scheduling points the step ran through, in order.
        public var implementationLabels: [String]
        /// Why the step was skipped, if it was.
        public var skipped: String?
        /// What the step's weak reads observed (`buf1.rx_len: write 3, 1 newer write not visible`).
        public var weakReads: [String] = []
        /// Why the implementation's memory model did not let the step's weak read observe the
        /// write the trace took, if it did not (a schedule replayed on another variant; the read
        /// then observed the oldest write it may).
        public var refusedRead: String?
    }

    /// A property the implementation (or the replay, for properties it observes on snapshots) found violated.
    public struct Violation: Equatable, Sendable, CustomStringConvertible {
        /// The spec's invariant name.
        public var invariant: String
        /// The spec step during which it was recorded.
        public var step: Int
        public var message: String

        public var description: String { "step \(step): \(invariant): \(message)" }
    }

    public var steps: [Step] = []
    public var violations: [Violation] = []

    /// The numbers of the steps skipped.
    public var skippedSteps: [Int] { steps.filter { $0.skipped != nil }.map(\.number) }

    /// The numbers of the steps whose weak read could not observe the write the trace took.
    public var refusedReads: [Int] { steps.filter { $0.refusedRead != nil }.map(\.number) }

    /// The invariants violated, in the order first seen.
    public var violatedInvariants: [String] {
        var seen: [String] = []
        for violation in violations where !seen.contains(violation.invariant) { seen.append(violation.invariant) }
        return seen
    }

    /// The step at which `invariant` was first violated, if it was.
    public func firstViolation(of invariant: String) -> Int? {
        violations.first { $0.invariant == invariant }?.step
    }

    public var description: String {
        var lines = steps.map { step in
            let skip = step.skipped.map { "  (skipped: \($0))" } ?? ""
            let reads = step.weakReads.map { "  [\($0)]" }.joined()
            let refused = step.refusedRead.map { "  (read refused: \($0))" } ?? ""
            return "\(step.number). \(step.label)\(skip)\(reads)\(refused)"
        }
        lines += violations.map { "  violation at \($0)" }
        return lines.joined(separator: "\n")
    }
}
