@testable import Checking
import Fixtures
import TransitionSystems
import XCTest

/// The explicit engine on several threads numbers states as on one: the same verdicts, depths,
/// state counts and counterexamples, step for step.
final class ParallelSearchTests: XCTestCase {
    private func run(_ system: TransitionSystem, threads: Int, partialOrder: Bool = false, maxDepth: Int? = nil) throws -> Run {
        var options = CheckOptions(maxDepth: maxDepth)
        options.threads = threads
        options.usePartialOrderReduction = partialOrder
        return try ExplicitStateChecker(system: system, options: options).check(system.invariants.map(\.name), listener: SilentListener())
    }

    private func assertSameRuns(_ system: TransitionSystem, _ name: String, partialOrder: Bool = false, maxDepth: Int? = nil,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let one = try run(system, threads: 1, partialOrder: partialOrder, maxDepth: maxDepth)
        for threads in [2, 3] {
            let many = try run(system, threads: threads, partialOrder: partialOrder, maxDepth: maxDepth)
            XCTAssertEqual(one.statistics.states, many.statistics.states, "\(name), \(threads) threads", file: file, line: line)
            XCTAssertEqual(one.statistics.transitions, many.statistics.transitions, "\(name), \(threads) threads", file: file, line: line)
            for (a, b) in zip(one.results, many.results) {
                let context = "\(name), \(a.invariant), \(threads) threads"
                XCTAssertEqual(a.verdict, b.verdict, context, file: file, line: line)
                XCTAssertEqual(a.depth, b.depth, context, file: file, line: line)
                XCTAssertEqual(a.counterexample?.instances.map(\.id), b.counterexample?.instances.map(\.id), context, file: file, line: line)
            }
        }
    }

    func testSeveralThreadsGiveTheSameRunOnTheFixturesAndRandomSystems() throws {
        for fixture in Fixtures.all { try assertSameRuns(try TransitionSystem(fixture.spec), fixture.name) }
        for seed in UInt64(0)..<40 {
            try assertSameRuns(try TransitionSystem(RandomSystems.spec(seed: seed)), "random \(seed)")
            try assertSameRuns(try TransitionSystem(RandomSystems.spec(seed: seed, localSteps: true)), "random \(seed), local steps",
                               partialOrder: true)
        }
    }

    func testSeveralThreadsGiveTheSameRunOnASystemOfManyBatches() throws {
        // Three processes counting to 25 independently: 17,576 states, many batches per level.
        let system = try TransitionSystem(PartialOrderReductionTests.localCounters(processes: 3, steps: 25, badAt: nil))
        try assertSameRuns(system, "local counters")
        let one = try run(system, threads: 1)
        XCTAssertGreaterThan(one.statistics.states ?? 0, ExplicitStateChecker.statesPerBatch * 3)
        XCTAssertEqual(one.results[0].verdict, .proved)
    }

    func testARuntimeErrorIsReportedAtTheSameStateWhateverTheThreads() throws {
        for seed in UInt64(0)..<60 {
            var spec = RandomSystems.spec(seed: seed, unguardedArithmetic: true)
            spec.invariants = [Invariant("in-domain", "Always true.") { Expr.variable("n") >= -1 }]
            let system = try TransitionSystem(spec)
            func outcome(_ threads: Int) -> String {
                do { return "\(try run(system, threads: threads).results.map(\.verdict))" } catch { return "\(error)" }
            }
            XCTAssertEqual(outcome(1), outcome(2), "random \(seed) with unguarded arithmetic")
        }
    }

    func testARangeIsSplitIntoConsecutiveNearlyEqualParts() {
        XCTAssertEqual(ExplicitStateChecker.split(0..<10, into: 3), [0..<4, 4..<7, 7..<10])
        XCTAssertEqual(ExplicitStateChecker.split(5..<7, into: 4), [5..<6, 6..<7])
        XCTAssertEqual(ExplicitStateChecker.split(3..<4, into: 1), [3..<4])
    }
}
