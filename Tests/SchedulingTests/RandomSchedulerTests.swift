import XCTest
import Scheduling

final class RandomSchedulerTests: XCTestCase {
    private func schedules(seed: UInt64, executions: Int) -> [Schedule] {
        var schedules: [Schedule] = []
        _ = Explorer.explore(with: RandomScheduler(seed: seed, maxExecutions: executions, printsFailures: false), stopAtFirstFailure: false) { scheduler in
            let runtime = ControlledRuntime()
            _ = TestSystems.racyCounter(on: runtime)
            let summary = runtime.run(with: scheduler)
            runtime.tearDown()
            schedules.append(summary.schedule)
            return summary
        }
        return schedules
    }

    func testTheSameSeedGivesTheSameSchedules() {
        XCTAssertEqual(schedules(seed: 42, executions: 10), schedules(seed: 42, executions: 10))
    }

    func testDifferentExecutionsExploreDifferentInterleavings() {
        XCTAssertGreaterThan(Set(schedules(seed: 7, executions: 40)).count, 3)
    }

    func testAFailingExecutionReportsItsOwnSeedWhichReproducesIt() {
        var failing: ExecutionSummary?
        let report = Explorer.explore(with: RandomScheduler(seed: 3, maxExecutions: 100, printsFailures: false)) { scheduler in
            let runtime = ControlledRuntime()
            let counter = TestSystems.racyCounter(on: runtime)
            var summary = runtime.run(with: scheduler)
            runtime.tearDown()
            if counter.peek() != 2 { summary.failures = ["lost update"] }
            return summary
        }
        failing = report.firstFailure
        let seed = try? XCTUnwrap(failing?.seed)
        XCTAssertNotNil(seed)
        let rerun = RandomScheduler(seed: seed ?? 0, printsFailures: false)
        _ = rerun.beginExecution()
        let runtime = ControlledRuntime()
        _ = TestSystems.racyCounter(on: runtime)
        XCTAssertEqual(runtime.run(with: rerun).schedule, failing?.schedule)
        runtime.tearDown()
    }
}
