import XCTest
import Scheduling

final class ReplaySchedulerTests: XCTestCase {
    func testItStopsWhenTheScheduleRunsOut() {
        let runtime = ControlledRuntime()
        _ = TestSystems.racyCounter(on: runtime)
        let summary = runtime.run(with: ReplayScheduler(Schedule(["a", "b"])))
        XCTAssertEqual(summary.outcome, .stopped)
        XCTAssertEqual(summary.schedule, Schedule(["a", "b"]))
        runtime.tearDown()
    }

    func testItCanContinueWithTheFirstChoiceToTheEnd() {
        let runtime = ControlledRuntime()
        let counter = TestSystems.racyCounter(on: runtime)
        let summary = runtime.run(with: ReplayScheduler(Schedule(["b"]), continueAfterEnd: true))
        XCTAssertEqual(summary.outcome, .completed)
        XCTAssertEqual(summary.schedule, Schedule(["b", "b", "a", "a"]))
        XCTAssertEqual(counter.peek(), 2)
        runtime.tearDown()
    }

    func testAPrintedScheduleParsesBack() {
        let schedule = Schedule(["cpu0", "device:buf1", "deadline:cpu0", "irq"])
        XCTAssertEqual(Schedule(parsing: schedule.description), schedule)
    }
}
