import XCTest
import Scheduling
@testable import VirtioSCMI
import Vocabulary

final class ShutdownTests: XCTestCase {
    func testChannelFreeDropsTheLastReferenceAndClearsCinfo() {
        let bench = Bench(.upstream)
        bench.channel.channelFree()
        XCTAssertEqual(bench.channel.channelUsers, 0)
        XCTAssertFalse(bench.channel.cinfo.peek())
        XCTAssertTrue(bench.vqueue.isBroken)
        XCTAssertNil(bench.channel.deferredTxWQ.peek())
        XCTAssertTrue(bench.channel.ledger.isChannelTornDown)
    }

    func testAfterShutdownSendingFailsAndUpstreamsPollingEndsAsIfTheReplyHadCome() {
        let bench = Bench(.upstream)
        let xfer = bench.sent(polled: true)
        bench.channel.channelFree()
        XCTAssertTrue(bench.channel.pollDone(xfer))
        XCTAssertEqual(bench.channel.sendMessage(bench.transfer(polled: false)), -Errno.EINVAL)
        bench.channel.completeCallback()
        bench.channel.deferredTxWorker()
        XCTAssertEqual(bench.violations, [])
    }

    func testAfterShutdownFixedsPollDoneSaysNotYetSoTheCoresLoopRunsToItsDeadline() {
        let bench = Bench(.fixed)
        let xfer = bench.sent(polled: true)
        bench.channel.channelFree()
        XCTAssertFalse(bench.channel.pollDone(xfer))
        XCTAssertEqual(bench.violations, [])
    }

    func testASecondChannelFreeReturnsAtOnce() {
        let bench = Bench(.upstream)
        bench.channel.channelFree()
        bench.channel.channelFree()
        XCTAssertEqual(bench.channel.channelUsers, 0)
        XCTAssertEqual(bench.violations, [])
    }

    func testShutdownRacingWithTransfersKeepsShutdownSafety() {
        for variant in [Variant.upstream, .fixed] {
            var configuration = SimulationConfiguration(variant: variant, cpus: 2, buffers: 2, polling: .alternating, includesShutdown: true)
            configuration.transfersPerCPU = 1
            let exploration = ChannelSimulation.explore(configuration, with: RandomScheduler(seed: 11, maxExecutions: 150, printsFailures: false), stopAtFirstFailure: false)
            XCTAssertEqual(exploration.report.executions, 150)
            let safetyFailures = [exploration.firstFailure, exploration.shortestFailure].compactMap { $0 }.filter { $0.violates(.shutdownSafety) }
            XCTAssertEqual(safetyFailures.count, 0, "\(variant): \(exploration.summary)")
        }
    }

    func testAPolledTransferInFlightAtShutdownFetchesAReplyThatNeverCameWhenPollDoneSaysDone() throws {
        var configuration = SimulationConfiguration(variant: .fixed, cpus: 1, buffers: 1, includesShutdown: true)
        configuration.switches.pollDoneNotYetAfterTeardown = false
        configuration.transfersPerCPU = 1
        let exploration = ChannelSimulation.explore(configuration, with: ExhaustiveScheduler(preemptionBound: 1))
        let failure = try XCTUnwrap(exploration.firstFailure)
        XCTAssertEqual(failure.violatedProperties, [.exactlyOnceDelivery])
        XCTAssertTrue(failure.violations[0].message.contains("read \"empty\""), "poll_done returned true because the channel is gone")
        XCTAssertFalse(failure.violates(.shutdownSafety))
    }

    func testFixedSurvivesEveryScheduleOfAPolledTransferRacingShutdown() {
        var configuration = SimulationConfiguration(variant: .fixed, cpus: 1, buffers: 1, includesShutdown: true)
        configuration.transfersPerCPU = 1
        let exploration = ChannelSimulation.explore(configuration, with: ExhaustiveScheduler(preemptionBound: 1))
        XCTAssertNil(exploration.firstFailure, exploration.summary)
        XCTAssertGreaterThan(exploration.report.executions, 1)
    }
}
