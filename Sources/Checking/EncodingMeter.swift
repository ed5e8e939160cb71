import Foundation

/// Turns the running totals of some unrollers (terms made, solver seconds, SAT clauses) into
/// per-depth figures for `--stats`.
struct EncodingMeter {
    private var terms = 0
    private var seconds = 0.0
    private var clauses = 0
    /// One entry per ``record(depth:_:)``.
    private(set) var perDepth: [DepthStatistics] = []

    /// Records what `unrollers` spent since the last record as the figures of `depth`.
    mutating func record(depth: Int, _ unrollers: [Unroller]) {
        let totalTerms = unrollers.reduce(0) { $0 + $1.termCount }
        let totalSeconds = unrollers.reduce(0) { $0 + $1.solverSeconds }
        let counts = unrollers.map { $0.clauseCount() }
        let totalClauses = counts.reduce(0) { $0 + ($1 ?? 0) }
        var entry = DepthStatistics(depth: depth, seconds: totalSeconds - seconds, size: totalTerms - terms)
        if counts.contains(where: { $0 != nil }) { entry.clauses = max(totalClauses - clauses, 0) }
        perDepth.append(entry)
        (terms, seconds, clauses) = (totalTerms, totalSeconds, totalClauses)
    }

    /// The statistics of a symbolic run that started at `start`, with the figures recorded so far
    /// and the solver time of `unrollers` up to now.
    func statistics(since start: Date, _ unrollers: [Unroller]) -> Statistics {
        var statistics = Statistics()
        statistics.seconds = Date().timeIntervalSince(start)
        statistics.solverSeconds = unrollers.reduce(0) { $0 + $1.solverSeconds }
        statistics.peakMemoryBytes = ProcessMemory.peakResidentBytes()
        statistics.perDepth = perDepth
        return statistics
    }
}
