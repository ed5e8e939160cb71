import XCTest
import Scheduling

final class ExhaustiveSchedulerTests: XCTestCase {
    func testItEnumeratesAllSixInterleavingsOfTwoTwoStepActors() {
        let (report, values) = TestSystems.exploreAll(
            with: ExhaustiveScheduler(preemptionBound: 2),
            build: { TestSystems.racyCounter(on: $0) },
            observe: { $0.peek() }
        )
        XCTAssertTrue(report.finished)
        XCTAssertEqual(report.executions, 6)
        XCTAssertEqual(values.filter { $0 == 1 }.count, 4, "lost update unless one actor ran entirely first")
    }

    func testPreemptionBoundZeroRunsEachActorUntilItFinishes() {
        let (report, values) = TestSystems.exploreAll(
            with: ExhaustiveScheduler(preemptionBound: 0),
            build: { TestSystems.racyCounter(on: $0) },
            observe: { $0.peek() }
        )
        XCTAssertEqual(report.executions, 2)
        XCTAssertEqual(values, [2, 2])
    }

    func testPreemptionBoundOneAllowsOneSwitchAwayFromARunnableActor() {
        let (report, values) = TestSystems.exploreAll(
            with: ExhaustiveScheduler(preemptionBound: 1),
            build: { TestSystems.racyCounter(on: $0) },
            observe: { $0.peek() }
        )
        XCTAssertEqual(report.executions, 4)
        XCTAssertEqual(values.filter { $0 == 1 }.count, 2)
    }

    func testALockPreventsTheLostUpdateInEveryInterleaving() {
        let (report, values) = TestSystems.exploreAll(
            with: ExhaustiveScheduler(preemptionBound: 3),
            build: { TestSystems.lockedCounter(on: $0) },
            observe: { $0.peek() }
        )
        XCTAssertTrue(report.finished)
        XCTAssertGreaterThan(report.executions, 2)
        XCTAssertEqual(Set(values), [2])
    }

    func testMaxExecutionsStopsTheSearch() {
        let scheduler = ExhaustiveScheduler(preemptionBound: 2, maxExecutions: 3)
        let (report, _) = TestSystems.exploreAll(with: scheduler, build: { TestSystems.racyCounter(on: $0) }, observe: { $0.peek() })
        XCTAssertEqual(report.executions, 3)
        XCTAssertFalse(scheduler.isExhausted)
    }

    func testEveryExecutionReplaysItsPrefixDeterministically() {
        let scheduler = ExhaustiveScheduler(preemptionBound: 3)
        _ = TestSystems.exploreAll(with: scheduler, build: { TestSystems.lockedCounter(on: $0) }, observe: { $0.peek() })
        XCTAssertEqual(scheduler.nondeterministicExecutions, 0)
    }
}
