/// Picks every step uniformly at random from a seeded generator.
///
/// Execution `k` of an exploration uses its own seed, derived from `seed` and `k`, so any
/// failing execution can be rerun alone from the seed it reports (`ExecutionSummary.seed`)
/// or replayed from its schedule. Failures are printed with seed and schedule when
/// `printsFailures` is set.
///
/// With `choosesOlderWrites`, each weak read observes a write picked at random among those its
/// actor's view allows (see `MemoryViews`), so that random runs explore the memory model too;
/// without it every read observes the newest write (sequential consistency).
public final class RandomScheduler: Scheduler {
    public let seed: UInt64
    public let maxExecutions: Int
    public var printsFailures: Bool
    /// Whether weak reads observe a random allowed write rather than the newest.
    public var choosesOlderWrites = false
    private var executions = 0
    private var generator: SplitMix64

    /// The seed of the current execution.
    public private(set) var executionSeed: UInt64

    public init(seed: UInt64, maxExecutions: Int = 1, printsFailures: Bool = true) {
        self.seed = seed
        self.maxExecutions = maxExecutions
        self.printsFailures = printsFailures
        self.executionSeed = seed
        self.generator = SplitMix64(seed: seed)
    }

    /// The seed of execution `index` (from 0) of an exploration started with `seed`.
    public static func executionSeed(for seed: UInt64, execution index: Int) -> UInt64 {
        index == 0 ? seed : seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15
    }

    public func beginExecution() -> Bool {
        guard executions < maxExecutions else { return false }
        executionSeed = Self.executionSeed(for: seed, execution: executions)
        generator = SplitMix64(seed: executionSeed)
        executions += 1
        return true
    }

    public func choose(from choices: [Choice], step: Int) -> String? {
        choices[Int(generator.next() % UInt64(choices.count))].id
    }

    public func chooseWrite(for read: WeakRead) -> Int? {
        guard choosesOlderWrites else { return nil }
        return read.allowed.lowerBound + Int(generator.next() % UInt64(read.allowed.count))
    }

    public func endExecution(_ summary: ExecutionSummary) {
        guard printsFailures, summary.failed else { return }
        print("random scheduler: failure with seed \(executionSeed) (exploration seed \(seed), execution \(executions - 1))")
        for failure in summary.failures { print("  \(failure)") }
        print("  schedule: \(summary.schedule)")
    }
}
