import XCTest
import Scheduling

final class ControlledRuntimeTests: XCTestCase {
    func testEachStepRunsOneActorToItsNextSchedulingPoint() throws {
        let runtime = ControlledRuntime()
        let counter = TestSystems.racyCounter(on: runtime)
        runtime.start()
        XCTAssertEqual(runtime.pendingLabel(of: "a"), "a: read x")
        let first = try runtime.step("a")
        XCTAssertEqual(first.label, "a: read x")
        XCTAssertEqual(runtime.pendingLabel(of: "a"), "a: write x")
        XCTAssertEqual(counter.peek(), 0)
        try runtime.step("b")
        try runtime.step("a")
        XCTAssertEqual(counter.peek(), 1)
        XCTAssertTrue(runtime.hasFinished("a"))
        try runtime.step("b")
        XCTAssertEqual(counter.peek(), 1, "both read 0 before either wrote: a lost update")
        XCTAssertEqual(runtime.summary.schedule, Schedule(["a", "b", "a", "b"]))
        runtime.tearDown()
    }

    /// An operation type of the code under test; the runtime knows it only as a value.
    private enum TestOperation: String, Sendable, CustomStringConvertible {
        case readX = "read x"
        var description: String { rawValue }
    }

    func testTheRuntimeKeepsTheTypedOperationOfAPendingPoint() throws {
        let runtime = ControlledRuntime()
        let x = Shared("x", 0, platform: runtime)
        runtime.spawnActor("a") {
            _ = x.load(PointLabel(TestOperation.readX, "(first)"))
            x.store(1, "write x")
        }
        runtime.start()
        XCTAssertEqual(runtime.pendingLabel(of: "a"), "a: read x (first)")
        XCTAssertEqual(runtime.pendingOperation(of: "a") as? TestOperation, .readX)
        XCTAssertEqual(runtime.enabledChoices().first?.operation as? TestOperation, .readX)
        let choice = try runtime.step("a")
        XCTAssertEqual(choice.operation as? TestOperation, .readX)
        XCTAssertEqual(runtime.pendingLabel(of: "a"), "a: write x")
        XCTAssertNil(runtime.pendingOperation(of: "a"), "a string label names no operation")
        try runtime.step("a")
        runtime.tearDown()
    }

    func testSteppingAnActorThatIsNotEnabledThrows() throws {
        let runtime = ControlledRuntime()
        _ = TestSystems.lockedCounter(on: runtime)
        try runtime.step("a")
        try runtime.step("a")
        try runtime.step("b")
        XCTAssertThrowsError(try runtime.step("b")) { error in
            XCTAssertTrue("\(error)".contains("b is not enabled"))
        }
        runtime.tearDown()
    }

    func testABlockedActorIsNotOfferedUntilTheLockIsFree() throws {
        let runtime = ControlledRuntime()
        _ = TestSystems.lockedCounter(on: runtime)
        try runtime.step("a")
        try runtime.step("a")
        try runtime.step("b")
        XCTAssertEqual(runtime.enabledChoices().map(\.id), ["a"], "b waits for the lock a holds")
        try runtime.step("a")
        try runtime.step("a")
        XCTAssertEqual(Set(runtime.enabledChoices().map(\.id)), ["b"])
        runtime.tearDown()
    }

    func testTheLogNamesEveryStepInOrder() {
        let runtime = ControlledRuntime()
        _ = TestSystems.racyCounter(on: runtime)
        let summary = runtime.run(with: ReplayScheduler(Schedule(["b", "a", "b", "a"])))
        XCTAssertEqual(summary.log, ["1 b: read x", "2 a: read x", "3 b: write x", "4 a: write x"])
        XCTAssertEqual(summary.outcome, .completed)
        runtime.tearDown()
    }

    func testTearDownFinishesEveryActorWhenAScheduleEndsEarly() {
        let runtime = ControlledRuntime()
        let counter = TestSystems.lockedCounter(on: runtime)
        let summary = runtime.run(with: ReplayScheduler(Schedule(["a", "a"])))
        XCTAssertEqual(summary.outcome, .stopped)
        runtime.tearDown()
        XCTAssertTrue(runtime.hasFinished("a"))
        XCTAssertTrue(runtime.hasFinished("b"))
        XCTAssertEqual(runtime.abandonedActors, [])
        XCTAssertEqual(counter.peek(), 2)
        XCTAssertEqual(runtime.summary.schedule.count, 2, "tear-down records nothing")
    }

    func testAReplayThatAsksForADisabledChoiceReportsTheDivergence() {
        let runtime = ControlledRuntime()
        _ = TestSystems.lockedCounter(on: runtime)
        let summary = runtime.run(with: ReplayScheduler(Schedule(["a", "a", "b", "b"])))
        XCTAssertEqual(summary.outcome, .diverged(step: 4, wanted: "b", enabled: ["a"]))
        runtime.tearDown()
    }

    func testADeadlineIsAnEnvironmentChoiceThatPasses() throws {
        let runtime = ControlledRuntime()
        let done = Completion("done", platform: runtime)
        let deadline = Deadline(owner: "waiter", timeout: .seconds(1), platform: runtime)
        let result = Shared<Bool?>("result", nil, platform: runtime)
        runtime.spawnActor("waiter") {
            deadline.arm()
            result.poke(done.wait("wait done", deadline: deadline))
        }
        runtime.start()
        XCTAssertEqual(runtime.enabledChoices().map(\.id), ["deadline:waiter"])
        try runtime.step("deadline:waiter")
        XCTAssertEqual(runtime.enabledChoices().map(\.id), ["waiter"])
        try runtime.step("waiter")
        XCTAssertEqual(result.peek(), false)
        runtime.tearDown()
    }

    func testABusyWaitingActorIsOfferedOnlyOnceSomethingChangedUnlessForced() throws {
        let runtime = ControlledRuntime()
        let flag = Shared("flag", false, platform: runtime)
        let spins = Shared("spins", 0, platform: runtime)
        runtime.spawnActor("spinner") {
            while !flag.load("read flag") {
                spins.poke(spins.peek() + 1)
                runtime.relax("cpu_relax", wakeWhen: { flag.peek() })
            }
        }
        runtime.spawnActor("setter") {
            flag.store(true, "set flag")
        }
        try runtime.step("spinner")
        XCTAssertEqual(runtime.enabledChoices(includingSpinners: false).map(\.id), ["setter"])
        XCTAssertEqual(Set(runtime.enabledChoices(includingSpinners: true).map(\.id)), ["spinner", "setter"])
        try runtime.step("spinner")
        try runtime.step("spinner")
        XCTAssertEqual(spins.peek(), 2)
        try runtime.step("setter")
        XCTAssertEqual(runtime.enabledChoices(includingSpinners: false).map(\.id), ["spinner"])
        runtime.tearDown()
        XCTAssertEqual(runtime.abandonedActors, [])
    }

    func testCallsFromOutsideARunTakeNoSchedulingPoint() {
        let runtime = ControlledRuntime()
        let value = Shared("v", 1, platform: runtime)
        let lock = SpinLock("l", platform: runtime)
        lock.lock("lock")
        value.store(value.load("read") + 1, "write")
        lock.unlock()
        XCTAssertEqual(value.peek(), 2)
        XCTAssertEqual(runtime.summary.schedule.count, 0)
        runtime.tearDown()
    }

    func testTheSameScheduleGivesTheSameExecution() {
        var logs: [[String]] = []
        for _ in 0..<20 {
            let runtime = ControlledRuntime()
            _ = TestSystems.lockedCounter(on: runtime)
            logs.append(runtime.run(with: ReplayScheduler(Schedule(["b", "a", "b", "b", "b", "a", "a", "a"]))).log)
            runtime.tearDown()
        }
        XCTAssertEqual(Set(logs.map { $0.joined(separator: "\n") }).count, 1)
    }
}
