import XCTest
import Scheduling

final class PrimitiveTests: XCTestCase {
    func testRefCountReportsAnUnderflowAndStaysAtZero() {
        let platform = RealPlatform()
        let count = RefCount("users", initial: 1, platform: platform)
        var underflows: [String] = []
        count.onUnderflow = { underflows.append($0) }
        XCTAssertTrue(count.decrementAndTest("first"))
        XCTAssertFalse(count.decrementAndTest("second"))
        XCTAssertEqual(count.value, 0)
        XCTAssertEqual(underflows, ["second"])
        XCTAssertFalse(count.incrementIfNotZero("acquire"))
    }

    func testTryWaitConsumesOneCompletion() {
        let platform = RealPlatform()
        let done = Completion("done", platform: platform)
        XCTAssertFalse(done.tryWait("try"))
        done.complete("complete")
        XCTAssertTrue(done.isDone)
        XCTAssertTrue(done.tryWait("try"))
        XCTAssertFalse(done.tryWait("try"))
    }

    func testAWaitTimesOutWhenItsDeadlinePassesOnRealThreads() {
        let platform = RealPlatform()
        let done = Completion("done", platform: platform)
        let deadline = Deadline(owner: "main", timeout: .milliseconds(5), platform: platform)
        deadline.arm()
        let clock = ContinuousClock()
        let start = clock.now
        XCTAssertFalse(done.wait("wait", deadline: deadline))
        XCTAssertGreaterThanOrEqual(clock.now - start, .milliseconds(5))
    }

    func testAWaitReturnsOnceAnotherThreadCompletes() {
        let platform = RealPlatform()
        let done = Completion("done", platform: platform)
        let deadline = Deadline(owner: "main", timeout: .seconds(10), platform: platform)
        deadline.arm()
        platform.spawnActor("completer") { done.complete("complete") }
        XCTAssertTrue(done.wait("wait", deadline: deadline))
        platform.joinAll()
    }

    func testASpinLockExcludesOtherThreads() {
        let platform = RealPlatform()
        let lock = SpinLock("lock", platform: platform)
        let counter = Shared("x", 0, platform: platform)
        for index in 0..<4 {
            platform.spawnActor("t\(index)") {
                for _ in 0..<5_000 {
                    lock.lock("lock")
                    counter.poke(counter.peek() + 1)
                    lock.unlock()
                }
            }
        }
        platform.joinAll()
        XCTAssertEqual(counter.peek(), 20_000)
    }

    func testASharedListIsFirstInFirstOut() {
        let list = SharedList<Int>("list", platform: RealPlatform())
        list.append(1, "append")
        list.append(2, "append")
        XCTAssertEqual(list.peekAll(), [1, 2])
        XCTAssertEqual(list.removeFirst("pop"), 1)
        XCTAssertEqual(list.removeFirst("pop"), 2)
        XCTAssertNil(list.removeFirst("pop"))
        XCTAssertTrue(list.isEmptyNow)
    }

    func testQueueingPendingWorkDoesNothingButWorkQueuedWhileRunningRunsAgain() throws {
        let runtime = ControlledRuntime()
        let queue = WorkQueue("worker", workName: "work", platform: runtime)
        let runs = Shared("runs", 0, platform: runtime)
        queue.start {
            runs.store(runs.peek() + 1, "count run")
        }
        let queued = Shared<[Bool]>("queued", [], platform: runtime)
        runtime.spawnActor("producer") {
            queued.poke(queued.peek() + [queue.queueWork("queue 1")])
            queued.poke(queued.peek() + [queue.queueWork("queue 2")])
            queued.poke(queued.peek() + [queue.queueWork("queue 3")])
        }
        runtime.start()
        XCTAssertEqual(runtime.enabledChoices().map(\.id), ["producer"], "nothing queued yet")
        try runtime.step("producer")
        try runtime.step("producer")
        XCTAssertEqual(queued.peek(), [true, false], "already pending")
        try runtime.step("worker")
        XCTAssertTrue(queue.isRunning)
        try runtime.step("producer")
        XCTAssertEqual(queued.peek(), [true, false, true], "queued again while running")
        try runtime.step("worker")
        XCTAssertEqual(runs.peek(), 1)
        try runtime.step("worker")
        try runtime.step("worker")
        XCTAssertEqual(runs.peek(), 2)
        runtime.tearDown()
        XCTAssertEqual(runtime.abandonedActors, [])
    }

    func testAnIdleActorLeavesItsLoopWhenTheRealPlatformStops() {
        let platform = RealPlatform()
        let line = InterruptLine("irq", handlerName: "handler", platform: platform)
        let handled = Shared("handled", 0, platform: platform)
        let pending = Shared("pending", true, platform: platform)
        line.start(isPending: { pending.peek() }) {
            pending.poke(false)
            handled.poke(handled.peek() + 1)
        }
        let clock = ContinuousClock()
        let start = clock.now
        while handled.peek() == 0 && clock.now - start < .seconds(5) { }
        platform.stop()
        platform.joinAll()
        XCTAssertEqual(handled.peek(), 1)
    }

    func testDurationsPrintInSecondsWithTwoDecimals() {
        XCTAssertEqual(Duration.milliseconds(1234).formattedSeconds, "1.23 s")
        XCTAssertEqual(Duration.milliseconds(50).formattedSeconds, "0.05 s")
    }
}
