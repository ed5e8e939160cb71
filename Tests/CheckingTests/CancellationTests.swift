import Checking
import Fixtures
import Foundation
import TransitionSystems
import XCTest

/// A time limit or an interrupt (``Cancellation``) stops every engine: what was settled stays,
/// what is open is `holds-up-to-depth` the depth checked completely with the reason, never proved.
final class CancellationTests: XCTestCase {
    private func system(_ fixture: String) throws -> TransitionSystem {
        try TransitionSystem(XCTUnwrap(Fixtures.named(fixture)).spec)
    }

    private func options(maxDepth: Int? = nil, _ cancellation: Cancellation) -> CheckOptions {
        var options = CheckOptions(maxDepth: maxDepth)
        options.cancellation = cancellation
        return options
    }

    func testStopReasonsOfCancellationsSayWhatStoppedTheSearch() {
        XCTAssertEqual(StopReason.timeLimit(5).stoppedDetail(afterDepth: 12),
                       "stopped by the time limit of 5 s after depth 12 was checked completely")
        XCTAssertEqual(StopReason.timeLimit(0.5).description, "time limit of 0.5 s")
        XCTAssertEqual(StopReason.interrupted.stoppedDetail(afterDepth: nil),
                       "stopped by the interrupt before depth 0 was checked completely")
        XCTAssertTrue(StopReason.interrupted.isCancellation)
        XCTAssertFalse(StopReason.depthLimit(3).isCancellation)
    }

    func testCancellationReportsAnInterruptBeforeItsDeadlineAndTheTimeLeft() {
        let none = Cancellation()
        XCTAssertNil(none.stopReason)
        XCTAssertNil(none.remainingSeconds)
        let later = Cancellation(timeLimit: 60)
        XCTAssertNil(later.stopReason)
        XCTAssertGreaterThan(later.remainingSeconds ?? 0, 50)
        later.interrupt()
        XCTAssertEqual(later.stopReason, .interrupted)
        let past = Cancellation(timeLimit: 1e-9)
        Thread.sleep(forTimeInterval: 0.001)
        XCTAssertEqual(past.stopReason, .timeLimit(1e-9))
        XCTAssertEqual(past.remainingSeconds, 0)
    }

    func testATimeLimitThatHasPassedStopsTheExplicitEngineAfterTheInitialStates() throws {
        let cancellation = Cancellation(timeLimit: 1e-9)
        Thread.sleep(forTimeInterval: 0.001)
        let names = ["mutual-exclusion"]
        let results = try ExplicitStateChecker(system: system("mutex-peterson"), options: options(cancellation)).check(names)
        XCTAssertEqual(results.map(\.verdict), [.holdsUpToDepth])
        XCTAssertEqual(results[0].depth, 0)
        XCTAssertEqual(results[0].stopReason, .timeLimit(1e-9))
        XCTAssertTrue(results[0].detail.hasPrefix("stopped by the time limit of 1e-09 s after depth 0 was checked completely"), results[0].detail)
    }

    func testAnInterruptStopsTheExplicitEngineAndBMCKeepingWhatWasSettled() throws {
        let system = try system("buffer-pool-double-release")
        let names = ["refcount-matches-holders", "no-double-free"]
        for kind in [EngineKind.explicit, .bmc] {
            let cancellation = Cancellation()
            // The flag is set the moment the violation settles, as a SIGINT handler would set it.
            let listener = ClosureListener { result in
                if result.verdict == .violated { cancellation.interrupt() }
            }
            let run = try Engines.make(kind, system: system, options: options(maxDepth: 10, cancellation)).check(names, listener: listener)
            XCTAssertEqual(run.results.map(\.verdict), [.holdsUpToDepth, .violated], "\(kind)")
            XCTAssertEqual(run.results[1].depth, 6, "\(kind)")
            XCTAssertEqual(run.results[0].depth, 6, "\(kind): depth 6 was checked completely when the flag was seen")
            XCTAssertEqual(run.results[0].stopReason, .interrupted, "\(kind)")
            XCTAssertTrue(run.results[0].detail.hasPrefix("stopped by the interrupt after depth 6 was checked completely"),
                          "\(kind): \(run.results[0].detail)")
            XCTAssertEqual(run.stopReason, .interrupted, "\(kind)")
        }
    }

    func testATimeLimitStopsBMCSoonAfterItPasses() throws {
        let cancellation = Cancellation(timeLimit: 1)
        let start = Date()
        let run = try BoundedModelChecker(system: system("mutex-peterson"), options: options(maxDepth: 100_000, cancellation))
            .check(["mutual-exclusion"], listener: SilentListener())
        let seconds = Date().timeIntervalSince(start)
        XCTAssertLessThan(seconds, 3, "a query must not outlive the limit by much")
        XCTAssertEqual(run.results[0].verdict, .holdsUpToDepth)
        XCTAssertEqual(run.results[0].stopReason, .timeLimit(1))
        XCTAssertEqual(run.stopReason, .timeLimit(1))
        XCTAssertNotNil(run.results[0].statistics.solverSeconds)
    }

    func testNoEngineProvesWhatAnInterruptLeftOpen() throws {
        let system = try system("mutex-peterson")
        for kind in EngineKind.allCases {
            let cancellation = Cancellation()
            cancellation.interrupt()
            let run = try Engines.make(kind, system: system, options: options(cancellation)).check(["mutual-exclusion"], listener: SilentListener())
            XCTAssertNotEqual(run.results[0].verdict, .proved, "\(kind)")
            XCTAssertEqual(run.results[0].stopReason, .interrupted, "\(kind)")
            XCTAssertEqual(run.stopReason, .interrupted, "\(kind)")
        }
    }
}
