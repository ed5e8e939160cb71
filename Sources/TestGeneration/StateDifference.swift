/// One spec variable whose value the implementation does not match after a step.
public struct StateDifference: Equatable, Sendable, CustomStringConvertible {
    /// The spec's name for it, such as `poll_status[msg1]` or `free_list`.
    public var variable: String
    /// The value in the trace.
    public var expected: String
    /// The implementation's value, abstracted to the spec's vocabulary.
    public var actual: String

    public init(variable: String, expected: String, actual: String) {
        self.variable = variable
        self.expected = expected
        self.actual = actual
    }

    public var description: String { "\(variable): expected \(expected), actual \(actual)" }
}
