/// What a checker found for one invariant.
public struct CheckResult: Sendable {
    /// The invariant checked.
    public var invariant: String
    public var verdict: Verdict
    /// The engine that decided: ``EngineKind/explicit``, ``EngineKind/bmc`` or ``EngineKind/kind``.
    public var engine: EngineKind
    /// For `violated`, the counterexample's number of transitions; for `holds-up-to-depth`, the depth
    /// explored completely; for `proved`, the induction depth `k` (symbolic) or the reachable diameter (explicit).
    public var depth: Int?
    /// The shortest counterexample, for `violated` (see ``isShortest``).
    public var counterexample: Counterexample?
    /// Whether no counterexample is shorter than ``counterexample``: false when a reduction
    /// that does not keep breadth-first depth found it.
    public var isShortest = true
    /// The reason in words: "holds on all 1234 reachable states", "solver answered unknown (timeout)".
    public var detail: String
    /// Why the search stopped short of deciding, for `holds-up-to-depth` and `unknown`; `nil` otherwise.
    public var stopReason: StopReason?
    public var statistics: Statistics

    public init(invariant: String, verdict: Verdict, engine: EngineKind, depth: Int?, counterexample: Counterexample? = nil,
                detail: String, stopReason: StopReason? = nil, statistics: Statistics = Statistics()) {
        self.invariant = invariant
        self.verdict = verdict
        self.engine = engine
        self.depth = depth
        self.counterexample = counterexample
        self.detail = detail
        self.stopReason = stopReason
        self.statistics = statistics
    }
}

/// Measurements of a check. Timings never appear in normal output, only with `--stats`.
public struct Statistics: Sendable {
    /// Distinct states explored (explicit engine).
    public var states: Int?
    /// Transitions taken (explicit engine).
    public var transitions: Int?
    /// Bytes the explicit engine's state store allocated per state it holds (states, parents, hash table).
    public var storeBytesPerState: Double?
    /// States where partial-order reduction fired an ample set instead of every enabled step (explicit engine).
    public var reducedStates: Int?
    /// Wall-clock seconds.
    public var seconds: Double = 0
    /// Seconds spent in the solver (symbolic engines).
    public var solverSeconds: Double?
    /// Peak resident memory of the process, in bytes.
    public var peakMemoryBytes: Int?
    /// Per depth: seconds spent and, for symbolic engines, the encoding's size.
    public var perDepth: [DepthStatistics] = []

    public init() {}

    /// States per second, when states were counted.
    public var statesPerSecond: Double? {
        guard let states, seconds > 0 else { return nil }
        return Double(states) / seconds
    }
}

/// Time and size of one depth of a search.
public struct DepthStatistics: Sendable {
    public var depth: Int
    public var seconds: Double
    /// States first reached at this depth (explicit), or solver terms/clauses at this depth (symbolic).
    public var size: Int
    /// Clauses the SAT solver made at this depth (symbolic engines, when the solver reports them).
    public var clauses: Int?

    public init(depth: Int, seconds: Double, size: Int) {
        self.depth = depth
        self.seconds = seconds
        self.size = size
    }
}
