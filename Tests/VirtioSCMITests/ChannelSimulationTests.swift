import XCTest
import Scheduling
@testable import VirtioSCMI
import Vocabulary

final class ChannelSimulationTests: XCTestCase {
    private let busy = SimulationConfiguration(variant: .upstream, cpus: 2, buffers: 2, transfersPerCPU: 2, polling: .alternating)

    func testReplayingOneSchedule100TimesGivesTheIdenticalExecution() {
        let random = RandomScheduler(seed: 5, printsFailures: false)
        _ = random.beginExecution()
        let original = ChannelSimulation(busy).run(with: random)
        XCTAssertEqual(original.summary.outcome, .completed)
        XCTAssertGreaterThan(original.schedule.count, 100)
        for _ in 0..<100 {
            let replay = ChannelSimulation.replay(busy, schedule: original.schedule)
            XCTAssertEqual(replay.log, original.log)
            XCTAssertEqual(replay.snapshot, original.snapshot)
            XCTAssertEqual(replay.violations, original.violations)
            XCTAssertEqual(replay.abandonedActors, [])
        }
    }

    func testAControlledRunExposesTheTypedOperationOfAnActorsNextPoint() throws {
        let simulation = ChannelSimulation(SimulationConfiguration(variant: .upstream, cpus: 1, buffers: 1))
        XCTAssertEqual(simulation.nextOperation(of: "irq"), Vocabulary.Operation(.completeCb, .start))
        XCTAssertEqual(simulation.nextOperation(of: "worker"), Vocabulary.Operation(.deferredTxWork, .start))
        XCTAssertEqual(simulation.nextLabel(of: "worker"), "worker: run deferred_tx_work")
        try simulation.advance("cpu0", to: "cpu_relax")
        try simulation.advance("cpu0", to: "poll_done read xfer->priv")
        XCTAssertEqual(simulation.nextOperation(of: "cpu0"), Vocabulary.Operation(.pollDone, .read(.xferPriv)))
        let choice = try simulation.step("cpu0")
        XCTAssertEqual(choice.operation as? Vocabulary.Operation, Vocabulary.Operation(.pollDone, .read(.xferPriv)))
        XCTAssertEqual(choice.label, "cpu0: poll_done read xfer->priv")
        XCTAssertEqual(simulation.nextOperation(of: "cpu0"), Vocabulary.Operation(.pollDone, .read(.pollStatus)))
        XCTAssertEqual(simulation.nextLabel(of: "cpu0"), "cpu0: poll_done read poll_status of buf0")
        XCTAssertNil(try simulation.step("deadline:cpu0").operation, "an environment event has no operation")
        _ = simulation.finish()
    }

    func testTheIRQHandlersFirstChannelAcquireIsDistinctFromTheNextIterations() throws {
        let simulation = ChannelSimulation(SimulationConfiguration(variant: .upstream, cpus: 1, buffers: 1, polling: .nonePolled))
        try simulation.advance("cpu0", to: "wait_for_completion_timeout")
        XCTAssertEqual(simulation.nextOperation(of: "cpu0"), Vocabulary.Operation(.waitForReply, .waitForCompletionTimeout))
        try simulation.step("device:buf0")
        try simulation.step("irq")
        XCTAssertEqual(simulation.nextOperation(of: "irq"), Vocabulary.Operation(.completeCb, .channelAcquire))
        try simulation.step("irq")
        try simulation.advance("irq", to: "channel_acquire")
        XCTAssertEqual(simulation.nextOperation(of: "irq"), Vocabulary.Operation(.completeCb, .channelReacquire))
        XCTAssertEqual(simulation.nextLabel(of: "irq"), "irq: complete_cb channel_acquire", "the display label is unchanged")
        _ = simulation.finish()
    }

    func testAFailingRandomScheduleReplaysToTheSameViolations() throws {
        let configuration = SimulationConfiguration(variant: .upstream, cpus: 1, buffers: 1, transfersPerCPU: 2)
        let exploration = ChannelSimulation.explore(configuration, with: RandomScheduler(seed: 2024, maxExecutions: 3_000, printsFailures: false))
        let failure = try XCTUnwrap(exploration.firstFailure, exploration.summary)
        let replay = ChannelSimulation.replay(configuration, schedule: Schedule(parsing: failure.schedule.description))
        XCTAssertEqual(replay.violations, failure.violations)
        XCTAssertEqual(replay.log, failure.log)
    }

    func testTheStepByStepAPIOffersActorsAndEnvironmentEvents() throws {
        let simulation = ChannelSimulation(SimulationConfiguration(variant: .upstream, cpus: 1, buffers: 1))
        XCTAssertEqual(simulation.enabledSteps.map(\.id), ["cpu0"])
        XCTAssertEqual(simulation.nextLabel(of: "cpu0"), "cpu0: xfer_get_init lock xfer_lock")
        XCTAssertEqual(simulation.nextLabel(of: "irq"), "irq: start complete_cb")
        try simulation.advance("cpu0", to: "cpu_relax")
        XCTAssertEqual(Set(simulation.enabledSteps.map(\.id)), ["cpu0", "device:buf0", "deadline:cpu0"])
        let reply = try simulation.step("device:buf0")
        XCTAssertEqual(reply.label, "device: reply to buf0 (token 1)")
        XCTAssertEqual(reply.kind, .environment)
        XCTAssertEqual(Set(simulation.enabledSteps.map(\.id)), ["cpu0", "irq", "deadline:cpu0"])
        XCTAssertThrowsError(try simulation.step("worker"))
        let result = simulation.finish()
        XCTAssertEqual(result.abandonedActors, [])
    }

    func testTheSnapshotFollowsABufferThroughItsLife() throws {
        let simulation = ChannelSimulation(SimulationConfiguration(variant: .upstream, cpus: 1, buffers: 1))
        XCTAssertEqual(simulation.snapshot().buffers[0].location, .freeList)
        try simulation.advance("cpu0", to: "send_message virtqueue_add_sgs")
        var buffer = simulation.snapshot().buffers[0]
        XCTAssertEqual(buffer.location, .heldBySender("cpu0"))
        XCTAssertEqual(buffer.pollStatus, .polling)
        XCTAssertEqual(buffer.users, 2)
        XCTAssertEqual(simulation.snapshot().cpus[0].transfer?.priv, 0)
        try simulation.step("cpu0")
        XCTAssertEqual(simulation.snapshot().buffers[0].location, .device)
        XCTAssertEqual(simulation.snapshot().deviceHeld, [0])
        try simulation.advance("cpu0", to: "cpu_relax")
        try simulation.step("device:buf0")
        XCTAssertEqual(simulation.snapshot().buffers[0].location, .usedRing)
        XCTAssertEqual(simulation.snapshot().usedIndex, 1)
        XCTAssertEqual(simulation.snapshot().lastUsedIndex, 0)
        try simulation.advance("cpu0", to: "virtqueue_enable_cb")
        buffer = simulation.snapshot().buffers[0]
        XCTAssertEqual(buffer.location, .heldBySender("cpu0"))
        XCTAssertEqual(buffer.pollStatus, .pollDone)
        try simulation.runToEnd("cpu0")
        let snapshot = simulation.snapshot()
        XCTAssertEqual(snapshot.buffers[0].location, .freeList)
        XCTAssertEqual(snapshot.buffers[0].users, 0)
        XCTAssertEqual(snapshot.cpus[0].transfer?.state, .respOK)
        XCTAssertEqual(snapshot.cpus[0].transfer?.result, 0)
        XCTAssertNil(snapshot.cpus[0].transfer?.priv)
        XCTAssertTrue(snapshot.cpus[0].finished)
        let result = simulation.finish()
        XCTAssertTrue(result.quiescent)
        XCTAssertEqual(result.violations, [])
    }

    func testAViolationCarriesTheStepAtWhichItHappened() throws {
        let simulation = ChannelSimulation(SimulationConfiguration(variant: .upstream, cpus: 1, buffers: 1))
        try simulation.advance("cpu0", to: "cpu_relax")
        try simulation.step("device:buf0")
        try simulation.advance("irq", to: "complete_cb msg_release")
        try simulation.runToEnd("cpu0")
        let release = try simulation.step("irq")
        let result = simulation.finish()
        let underflow = try XCTUnwrap(result.violations.first { $0.property == .noDoubleFree })
        XCTAssertEqual(underflow.actor, "irq")
        XCTAssertEqual(result.log.first { $0.hasPrefix("\(underflow.step) ") }, "\(underflow.step) \(release.label)")
    }

    func testAScheduleThatEndsEarlyLeavesNoThreadBehind() {
        let result = ChannelSimulation.replay(busy, schedule: Schedule(["cpu0", "cpu1", "cpu0"]))
        XCTAssertEqual(result.summary.outcome, .stopped)
        XCTAssertFalse(result.quiescent)
        XCTAssertEqual(result.abandonedActors, [])
    }
}
