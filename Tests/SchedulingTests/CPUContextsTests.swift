import XCTest
import Scheduling

final class CPUContextsTests: XCTestCase {
    /// Two CPUs whose threads "cpu0" and "cpu1" each take an irqsave spinlock around a write, then
    /// write outside it; an interrupt handler "irq" (pending until it has run once) that writes twice;
    /// and a kernel thread "worker" (queued once) whose work writes, then may move, then writes.
    private final class System {
        let runtime = ControlledRuntime()
        let contexts: CPUContexts
        let locks: [SpinLock]
        let x: Shared<Int>
        let pending: Shared<Bool>
        let work: WorkQueue
        /// The handler's starts that found a thread of its CPU holding its lock.
        var interruptedInsideALock = 0

        init(interruptCPU: Int? = nil, contexts enabled: Bool = true) {
            let runtime = self.runtime
            contexts = CPUContexts(cpus: ["cpu0", "cpu1"], handler: "irq", kernelThread: "worker", interruptCPU: interruptCPU)
            locks = ["cpu0", "cpu1"].map { SpinLock("\($0).lock", platform: runtime) }
            x = Shared("x", 0, platform: runtime)
            pending = Shared("pending", true, platform: runtime)
            work = WorkQueue("worker", workName: "work", platform: runtime)
            if enabled { runtime.contexts = contexts }
            for (k, lock) in locks.enumerated() {
                runtime.spawnActor("cpu\(k)") { [x] in
                    lock.lock("lock")
                    x.store(1, "write inside")
                    lock.unlock()
                    x.store(2, "write outside")
                }
            }
            let line = InterruptLine("irq", handlerName: "handler", platform: runtime)
            line.start(isPending: { [pending] in pending.peek() }, handler: { [self] in
                if let k = contexts.handlerCPU, locks[k].holderName == contexts.cpus[k] { interruptedInsideALock += 1 }
                x.store(3, "handler writes")
                pending.store(false, "handler acknowledges")
            })
            work.start { [x, runtime] in
                x.store(4, "worker writes")
                runtime.mayMoveAtNextPoint()
                x.store(5, "worker writes again")
            }
        }

        func ids() -> [String] { runtime.enabledChoices().map(\.id) }
    }

    func testTheHandlerIsOfferedOncePerCPUThatTakesInterrupts() throws {
        let system = System()
        system.runtime.start()
        XCTAssertEqual(system.ids().filter { $0.hasPrefix("irq") }, ["irq@cpu0", "irq@cpu1"])
        try system.runtime.step("cpu0")
        XCTAssertEqual(system.locks[0].holderName, "cpu0")
        XCTAssertEqual(system.ids().filter { $0.hasPrefix("irq") }, ["irq@cpu1"], "cpu0 holds an irqsave lock: interrupts are off there")
        XCTAssertThrowsError(try system.runtime.step("irq@cpu0"))
        system.runtime.tearDown()
    }

    func testWhileTheHandlerRunsTheThreadsOfItsCPUTakeNoStep() throws {
        let system = System()
        system.runtime.start()
        try system.runtime.step("irq@cpu1")
        XCTAssertEqual(system.contexts.handlerCPU, 1)
        XCTAssertFalse(system.ids().contains("cpu1"))
        XCTAssertTrue(system.ids().contains("cpu0"))
        XCTAssertThrowsError(try system.runtime.step("cpu1"))
        try system.runtime.step("irq")
        try system.runtime.step("irq")
        XCTAssertNil(system.contexts.handlerCPU, "back at its idle point, the handler runs nowhere")
        XCTAssertTrue(system.ids().contains("cpu1"))
        system.runtime.tearDown()
    }

    func testAFixedInterruptCPUTakesEveryInterrupt() throws {
        let system = System(interruptCPU: 1)
        system.runtime.start()
        XCTAssertEqual(system.ids().filter { $0.hasPrefix("irq") }, ["irq@cpu1"])
        try system.runtime.step("cpu1")
        XCTAssertEqual(system.ids().filter { $0.hasPrefix("irq") }, [], "its only CPU has interrupts off")
        system.runtime.tearDown()
    }

    func testTheKernelThreadRunsOnlyWhereNoLockHolderOrHandlerIsAndMovesOnlyWhereItsCodeSays() throws {
        let system = System()
        system.runtime.start()
        system.work.queueWork("queue")
        try system.runtime.step("cpu0")
        XCTAssertEqual(system.ids().filter { $0.hasPrefix("worker") }, ["worker@cpu1"], "cpu0's thread holds a spinlock")
        try system.runtime.step("worker@cpu1")
        XCTAssertEqual(system.contexts.kernelThreadCPU, 1)
        // At "worker writes" it may not move; the next point is marked.
        XCTAssertEqual(system.ids().filter { $0.hasPrefix("worker") }, ["worker"])
        try system.runtime.step("worker")
        XCTAssertEqual(system.ids().filter { $0.hasPrefix("worker") }, ["worker@cpu1"], "cpu0's thread still holds its lock")
        try system.runtime.step("irq@cpu1")
        XCTAssertEqual(system.ids().filter { $0.hasPrefix("worker") }, [], "the handler interrupted the worker's CPU")
        system.runtime.tearDown()
    }

    func testWithoutContextsEveryActorRunsFreeUnderItsOwnName() throws {
        let system = System(contexts: false)
        system.runtime.start()
        try system.runtime.step("cpu0")
        XCTAssertEqual(system.ids(), ["cpu0", "cpu1", "irq"])
        try system.runtime.step("irq")
        XCTAssertEqual(system.interruptedInsideALock, 0, "without contexts the handler runs on no CPU")
        system.runtime.tearDown()
    }

    func testNoExecutionWithContextsInterruptsACPUInsideAnIrqsaveRegion() {
        var starts = 0
        var insideALock = 0
        let report = Explorer.explore(with: ExhaustiveScheduler(preemptionBound: 3), stopAtFirstFailure: false) { scheduler in
            let system = System()
            let summary = system.runtime.run(with: scheduler)
            starts += summary.schedule.steps.filter { $0.hasPrefix("irq@") }.count
            insideALock += system.interruptedInsideALock
            system.runtime.tearDown()
            return summary
        }
        XCTAssertGreaterThan(report.executions, 10)
        XCTAssertGreaterThan(starts, report.executions / 2)
        XCTAssertEqual(insideALock, 0)
    }

    func testAScheduleWithPlacementsReplaysToTheSameExecution() {
        let first = System()
        let random = RandomScheduler(seed: 7)
        _ = random.beginExecution()
        let summary = first.runtime.run(with: random)
        first.runtime.tearDown()
        XCTAssertTrue(summary.schedule.steps.contains { $0.contains("@") }, "\(summary.schedule)")
        let second = System()
        let replay = ReplayScheduler(summary.schedule)
        _ = replay.beginExecution()
        let again = second.runtime.run(with: replay)
        second.runtime.tearDown()
        XCTAssertEqual(again.schedule, summary.schedule)
        XCTAssertEqual(again.log, summary.log)
    }
}
