/// A parsed C litmus test: name, initial state, threads and final clause.
public struct LitmusTest: Equatable, Sendable {
    public let name: String
    /// The initial value of each shared location named in the initial state or as a thread parameter;
    /// locations not given a value start at 0.
    public let initialMemory: [String: Value]
    /// Initial register values given as `n:r=v` in the initial state.
    public let initialRegisters: [Int: [String: Value]]
    public let threads: [LitmusThread]
    public let condition: LitmusCondition
    /// The word of the file's `Result:` comment (for example `Never`), when it has one.
    public let expected: String?
    /// Whether the `Result:` comment also says `DATARACE`: the kernel's convention
    /// (tools/memory-model/scripts/judgelitmus.sh, v6.12) for a test whose executions the model
    /// flags as racy.
    public let expectsDataRace: Bool

    public init(name: String, initialMemory: [String: Value], initialRegisters: [Int: [String: Value]],
                threads: [LitmusThread], condition: LitmusCondition, expected: String?, expectsDataRace: Bool = false) {
        self.name = name
        self.initialMemory = initialMemory
        self.initialRegisters = initialRegisters
        self.threads = threads
        self.condition = condition
        self.expected = expected
        self.expectsDataRace = expectsDataRace
    }
}
