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

    // MARK: - Older writes

    /// Message passing: the writer stores `data = 1` then the flag; the reader loads the flag
    /// then `data`. Observed: flag * 10 + data.
    private final class MessagePassing {
        let data: WeakShared<Int>
        let flag: Shared<Int>
        var observed = -1

        init(_ runtime: ControlledRuntime, release: MemoryOrder, acquire: MemoryOrder) {
            data = WeakShared("data", 0, platform: runtime)
            flag = Shared("flag", 0, platform: runtime)
            runtime.spawnActor("writer") { [self] in
                data.store(1, "store data")
                flag.store(1, "store flag", order: release)
            }
            runtime.spawnActor("reader") { [self] in
                let f = flag.load("load flag", order: acquire)
                observed = f * 10 + data.load("load data")
            }
        }
    }

    private func outcomes(release: MemoryOrder, acquire: MemoryOrder, olderWrites: Bool) -> Set<Int> {
        let scheduler = ExhaustiveScheduler(preemptionBound: 2)
        scheduler.exploresOlderWrites = olderWrites
        let (report, values) = TestSystems.exploreAll(
            with: scheduler,
            build: { MessagePassing($0, release: release, acquire: acquire) },
            observe: { $0.observed }
        )
        XCTAssertTrue(report.finished)
        XCTAssertEqual(scheduler.nondeterministicExecutions, 0)
        return Set(values)
    }

    func testWithOlderWritesAPlainFlagShowsTheStaleData() {
        XCTAssertEqual(outcomes(release: .plain, acquire: .plain, olderWrites: true), [0, 1, 10, 11])
    }

    func testWithOlderWritesAReleaseAcquireFlagNeverShowsTheStaleData() {
        XCTAssertEqual(outcomes(release: .release, acquire: .acquire, olderWrites: true), [0, 1, 11])
    }

    func testWithoutOlderWritesEveryReadObservesTheNewestWrite() {
        XCTAssertEqual(outcomes(release: .plain, acquire: .plain, olderWrites: false), [0, 1, 11])
    }
}
