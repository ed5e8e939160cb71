import XCTest
import Scheduling
@testable import VirtioSCMI
import Vocabulary

/// The channel with CPUs as execution contexts (`SimulationConfiguration.contexts`): where the IRQ
/// path and the worker run, and what that forbids.
final class SimulationContextsTests: XCTestCase {
    /// Wraps a scheduler and judges every step it picks against the rules of execution contexts,
    /// from the channel's locks as they are when the step is picked.
    private final class Auditor: Scheduler {
        let inner: Scheduler
        weak var simulation: ChannelSimulation?
        var breaches: [String] = []
        /// Choices offered while a sender held vioch->lock in poll_done and the IRQ path could start
        /// on another CPU.
        var interruptsOfferedBesideADrain = 0

        init(_ inner: Scheduler) { self.inner = inner }

        func beginExecution() -> Bool { inner.beginExecution() }
        func endExecution(_ summary: ExecutionSummary) { inner.endExecution(summary) }
        func chooseWrite(for read: WeakRead) -> Int? { inner.chooseWrite(for: read) }

        func choose(from choices: [Choice], step: Int) -> String? {
            guard let simulation, let contexts = simulation.contexts, let id = inner.choose(from: choices, step: step) else { return nil }
            let lock = simulation.channel.lock.holderName
            for (k, cpu) in contexts.cpus.enumerated() where lock == cpu && simulation.nextOperation(of: cpu)?.function == .pollDone {
                if choices.contains(where: { $0.id.hasPrefix("irq@") }) { interruptsOfferedBesideADrain += 1 }
                if choices.contains(where: { $0.id == "irq@\(cpu)" }) || simulation.irqCPU == k {
                    breaches.append("step \(step): the IRQ path may run on \(cpu) while it drains under vioch->lock")
                }
            }
            if let k = contexts.cpus.firstIndex(of: id) {
                if simulation.irqCPU == k { breaches.append("step \(step): \(id) steps while the IRQ path interrupted it") }
                if simulation.workerCPU == k && contexts.holdsSpinLock("worker") { breaches.append("step \(step): \(id) steps while the worker on its CPU holds a spinlock") }
            }
            let worker = id == "worker" ? simulation.workerCPU : contexts.parsePlacement(id).flatMap { $0.actor == "worker" ? $0.cpu : nil }
            if let k = worker, contexts.holdsSpinLock(contexts.cpus[k]) || simulation.irqCPU == k {
                breaches.append("step \(step): \(id) runs the worker on \(contexts.cpus[k]), which its sender's spinlock or the IRQ path holds")
            }
            return id
        }
    }

    private func configuration(_ variant: Variant, irqCPU: Int? = nil, polling: PollingPlan = .allPolled, transfers: Int = 1) -> SimulationConfiguration {
        SimulationConfiguration(variant: variant, cpus: 2, buffers: 2, transfersPerCPU: transfers, polling: polling,
                                contexts: SimulationConfiguration.Contexts(irqCPU: irqCPU))
    }

    /// Runs `executions` random executions under the auditor; returns it and the schedules.
    private func audit(_ configuration: SimulationConfiguration, executions: Int) -> (Auditor, [Schedule]) {
        let auditor = Auditor(RandomScheduler(seed: 11, maxExecutions: executions, printsFailures: false))
        var schedules: [Schedule] = []
        while auditor.beginExecution() {
            let simulation = ChannelSimulation(configuration)
            auditor.simulation = simulation
            let result = simulation.run(with: auditor)
            auditor.endExecution(result.summary)
            XCTAssertTrue(result.abandonedActors.isEmpty, "\(result.schedule)")
            if case .deadlock = result.summary.outcome { XCTFail("deadlock: \(result.schedule)") }
            if configuration.variant == .fixed { XCTAssertEqual(result.violations.map(\.description), [], "\(result.schedule)") }
            schedules.append(result.schedule)
        }
        return (auditor, schedules)
    }

    func testTheIRQPathCannotInterruptASenderInsidePollDonesIrqsaveRegion() throws {
        let simulation = ChannelSimulation(configuration(.upstream))
        var steps = 0
        while simulation.nextOperation(of: "cpu0") != Operation(.pollDone, .read(.xferPriv)), steps < 30 {
            try simulation.step("cpu0")
            steps += 1
        }
        try simulation.step("device:buf0")
        while simulation.channel.lock.holderName != "cpu0", steps < 60 {
            try simulation.step("cpu0")
            steps += 1
        }
        XCTAssertEqual(simulation.nextOperation(of: "cpu0")?.function, .pollDone)
        XCTAssertTrue(simulation.channel.vqueue.hasUsedBuffers)
        XCTAssertEqual(simulation.enabledSteps.map(\.id).filter { $0.hasPrefix("irq") }, ["irq@cpu1"], "cpu0 has interrupts off")
        XCTAssertThrowsError(try simulation.step("irq@cpu0"))
        _ = simulation.finish()
    }

    func testNoExecutionRunsTheIRQPathInsidePollDonesIrqsaveRegionOnItsCPU() {
        var offered = 0
        for variant in [Variant.v4, .upstream, .fixed] {
            let (auditor, schedules) = audit(configuration(variant), executions: 150)
            XCTAssertEqual(auditor.breaches, [], "\(variant)")
            offered += auditor.interruptsOfferedBesideADrain
            XCTAssertTrue(schedules.contains { $0.steps.contains("irq@cpu0") } && schedules.contains { $0.steps.contains("irq@cpu1") }, "\(variant)")
        }
        XCTAssertGreaterThan(offered, 0, "the IRQ path had work while a sender drained")
    }

    func testTheWorkerRunsOnACPUWhereNoSpinlockOrInterruptHoldsItsSender() {
        // cpu1's transfers are not polled: cpu0's poller hands their buffers to the worker.
        let (auditor, schedules) = audit(configuration(.upstream, polling: .alternating, transfers: 2), executions: 300)
        XCTAssertEqual(auditor.breaches, [])
        let placements = Set(schedules.flatMap(\.steps).filter { $0.hasPrefix("worker@") })
        XCTAssertEqual(placements, ["worker@cpu0", "worker@cpu1"])
    }

    func testAFixedInterruptCPUTakesEveryInterrupt() {
        let (auditor, schedules) = audit(configuration(.upstream, irqCPU: 1), executions: 60)
        XCTAssertEqual(auditor.breaches, [])
        let starts = schedules.flatMap(\.steps).filter { $0.hasPrefix("irq") && $0 != "irq" }
        XCTAssertFalse(starts.isEmpty)
        XCTAssertEqual(Set(starts), ["irq@cpu1"])
    }

    func testTheSnapshotSaysWhereTheIRQPathRunsUntilItReturns() throws {
        let simulation = ChannelSimulation(configuration(.upstream))
        for id in ["cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0"] {
            guard simulation.nextOperation(of: "cpu0")?.function != .pollDone else { break }
            try simulation.step(id)
        }
        try simulation.step("device:buf0")
        XCTAssertTrue(simulation.nextStepPlaces("irq"))
        XCTAssertEqual(simulation.enabledSteps.map(\.id).filter { $0.hasPrefix("irq") }, ["irq@cpu0", "irq@cpu1"])
        try simulation.step("irq@cpu1")
        XCTAssertEqual(simulation.snapshot().irqCPU, 1)
        XCTAssertFalse(simulation.enabledSteps.map(\.id).contains("cpu1"), "cpu1's sender waits for the handler")
        var steps = 0
        while simulation.irqCPU != nil, steps < 50 {
            try simulation.step("irq")
            steps += 1
        }
        XCTAssertNil(simulation.snapshot().irqCPU, "the handler returned after draining the ring")
        XCTAssertTrue(simulation.enabledSteps.map(\.id).contains("cpu1"))
        _ = simulation.finish()
    }

    func testAScheduleRecordedWithContextsReplaysToTheSameExecution() {
        let configuration = configuration(.upstream, polling: .alternating, transfers: 2)
        let random = RandomScheduler(seed: 5)
        _ = random.beginExecution()
        let first = ChannelSimulation(configuration).run(with: random)
        XCTAssertTrue(first.schedule.steps.contains { $0.contains("@") }, "\(first.schedule)")
        let again = ChannelSimulation.replay(configuration, schedule: first.schedule)
        XCTAssertEqual(again.schedule, first.schedule)
        XCTAssertEqual(again.log, first.log)
        XCTAssertEqual(again.violations.map(\.description), first.violations.map(\.description))
    }

    func testWithoutContextsNothingIsPlacedAndTheSnapshotNamesNoCPU() {
        var configuration = configuration(.upstream)
        configuration.contexts = nil
        let random = RandomScheduler(seed: 5)
        _ = random.beginExecution()
        let result = ChannelSimulation(configuration).run(with: random)
        XCTAssertFalse(result.schedule.steps.contains { $0.contains("@") })
        XCTAssertTrue(result.schedule.steps.contains("irq"))
        XCTAssertNil(result.snapshot.irqCPU)
        XCTAssertNil(result.snapshot.workerCPU)
    }
}
