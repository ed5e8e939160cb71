/// The answer to one litmus test under a memory model, with a witness execution.
public struct LitmusOutcome: Sendable {
    public let test: LitmusTest
    /// The model's name, as printed in every verdict.
    public let model: String
    public let answer: LitmusAnswer
    /// The number of candidate executions the model allows.
    public let allowedExecutions: Int
    /// How many of them satisfy the final clause's proposition.
    public let satisfyingExecutions: Int
    /// An allowed execution that satisfies the proposition, when there is one.
    public let witness: LitmusExecution?
    /// An allowed execution that does not satisfy it, when there is one (a `forall` counterexample).
    public let counterexample: LitmusExecution?
    /// Flags raised by any allowed execution.
    public let flags: Set<ModelFlag>

    public init(test: LitmusTest, model: String, answer: LitmusAnswer, allowedExecutions: Int, satisfyingExecutions: Int,
                witness: LitmusExecution?, counterexample: LitmusExecution?, flags: Set<ModelFlag>) {
        self.test = test
        self.model = model
        self.answer = answer
        self.allowedExecutions = allowedExecutions
        self.satisfyingExecutions = satisfyingExecutions
        self.witness = witness
        self.counterexample = counterexample
        self.flags = flags
    }

    /// Whether the final clause holds as its quantifier reads (herd7's `Ok` validation).
    public var conditionHolds: Bool {
        switch test.condition.quantifier {
        case .exists: return satisfyingExecutions > 0
        case .notExists: return satisfyingExecutions == 0
        case .forall: return satisfyingExecutions == allowedExecutions
        }
    }

    /// Whether the answer matches the file's `Result:` word and the data-race flag matches its
    /// `DATARACE` marker (as judgelitmus.sh judges), or `nil` when the file has no `Result:` line.
    public var agreesWithExpected: Bool? {
        test.expected.map { $0 == answer.rawValue && test.expectsDataRace == flags.contains(.dataRace) }
    }
}
