import XCTest
import Scheduling
@testable import VirtioSCMI
import Vocabulary

final class MarkTxDoneTests: XCTestCase {
    /// A polled transfer whose own poll found its reply.
    private func polledAndFound(_ bench: Bench) -> Transfer {
        let xfer = bench.sent(polled: true)
        bench.device.reply(toBuffer: 0)
        XCTAssertTrue(bench.channel.pollDone(xfer))
        return xfer
    }

    // MARK: - v4

    func testV4FreesAPolledBufferAfterSuccess() {
        let bench = Bench(.v4)
        let xfer = polledAndFound(bench)
        bench.end(xfer, result: 0)
        XCTAssertNil(xfer.boundBuffer)
        XCTAssertEqual(bench.location(0), .freeList)
        XCTAssertEqual(bench.buffer(0).pollStatus, .notPolled, "put_free resets poll_status")
    }

    func testV4NeverFreesATimedOutPolledBufferEvenIfItsReplyWasDequeued() {
        let bench = Bench(.v4)
        let xfer = polledAndFound(bench)
        bench.end(xfer, result: -Errno.ETIMEDOUT)
        XCTAssertEqual(bench.location(0), .nowhere)
    }

    func testV4DoesNothingForANonPolledTransfer() {
        let bench = Bench(.v4)
        let xfer = bench.sent(polled: false)
        bench.end(xfer, result: -Errno.ETIMEDOUT)
        XCTAssertEqual(bench.location(0), .device)
    }

    // MARK: - v4-proposal

    func testV4ProposalFreesATimedOutBufferThatAPollerMarkedPollDone() {
        let bench = Bench(.v4Proposal)
        let xfer = polledAndFound(bench)
        XCTAssertEqual(bench.buffer(0).pollStatus, .pollDone)
        bench.end(xfer, result: -Errno.ETIMEDOUT)
        XCTAssertEqual(bench.location(0), .freeList)
    }

    func testV4ProposalMarksAStillPollingTimedOutBufferPollTimeoutAndKeepsIt() {
        let bench = Bench(.v4Proposal)
        let xfer = bench.sent(polled: true)
        bench.end(xfer, result: -Errno.ETIMEDOUT)
        XCTAssertEqual(bench.buffer(0).pollStatus, .pollTimeout)
        XCTAssertEqual(bench.location(0), .device)
    }

    // MARK: - upstream

    func testUpstreamDropsBothReferencesAfterSuccess() {
        let bench = Bench(.upstream)
        let xfer = polledAndFound(bench)
        XCTAssertEqual(bench.buffer(0).users, 2)
        bench.end(xfer, result: 0)
        XCTAssertEqual(bench.buffer(0).users, 0)
        XCTAssertEqual(bench.location(0), .freeList)
    }

    func testUpstreamKeepsTheDevicesReferenceOfATimedOutBufferAndMarksItPollTimeout() {
        let bench = Bench(.upstream)
        let xfer = bench.sent(polled: true)
        bench.end(xfer, result: -Errno.ETIMEDOUT)
        XCTAssertEqual(bench.buffer(0).users, 1)
        XCTAssertEqual(bench.buffer(0).pollStatus, .pollTimeout)
        XCTAssertEqual(bench.location(0), .device)
        bench.device.reply(toBuffer: 0)
        bench.channel.completeCallback()
        XCTAssertEqual(bench.location(0), .freeList, "the late reply is dropped and the buffer freed")
        XCTAssertEqual(bench.violations, [])
    }

    func testUpstreamFreesATimedOutBufferWhoseReplyAPollerDequeued() {
        let bench = Bench(.upstream)
        let xfer = polledAndFound(bench)
        bench.end(xfer, result: -Errno.ETIMEDOUT)
        XCTAssertEqual(bench.location(0), .freeList)
    }

    func testUpstreamOnlyClearsPrivOfANonPolledTransfer() {
        let bench = Bench(.upstream)
        let xfer = bench.sent(polled: false)
        bench.device.reply(toBuffer: 0)
        bench.channel.completeCallback()
        XCTAssertEqual(xfer.boundBuffer, 0, "the IRQ path bound priv when it delivered")
        XCTAssertEqual(bench.location(0), .freeList)
        bench.end(xfer, result: 0)
        XCTAssertNil(xfer.boundBuffer)
        XCTAssertEqual(bench.violations, [], "no release for a non-polled transfer")
    }

    func testUpstreamReleasesThreeTimesWhenTheIRQPathDeliversAPolledReply() throws {
        let simulation = ChannelSimulation(SimulationConfiguration(variant: .upstream, cpus: 1, buffers: 1))
        try simulation.advance("cpu0", to: "cpu_relax")
        try simulation.step("device:buf0")
        try simulation.advance("irq", to: "complete_cb msg_release")
        try simulation.runToEnd("cpu0")
        XCTAssertEqual(simulation.snapshot().buffers[0].location, .freeList, "mark_txdone released both references")
        try simulation.step("irq")
        let result = simulation.finish()
        XCTAssertEqual(result.violatedProperties, [.noUseAfterRelease, .noDoubleFree])
    }

    // MARK: - fixed

    func testFixedReleasesThePollReferenceOnlyWhenAPollerDequeuedTheBuffer() throws {
        let simulation = ChannelSimulation(SimulationConfiguration(variant: .fixed, cpus: 1, buffers: 1))
        try simulation.advance("cpu0", to: "cpu_relax")
        try simulation.step("device:buf0")
        try simulation.advance("irq", to: "complete_cb msg_release")
        try simulation.runToEnd("cpu0")
        let buffer = simulation.snapshot().buffers[0]
        XCTAssertEqual(buffer.location, .dequeued(by: "irq"))
        XCTAssertEqual(buffer.users, 1)
        XCTAssertEqual(buffer.pollStatus, .pollTimeout)
        try simulation.runToEnd("irq")
        let result = simulation.finish()
        XCTAssertEqual(result.violations, [])
        XCTAssertEqual(result.snapshot.buffers[0].location, .freeList)
    }

    func testFixedDecidesUnderPollLockBeforeDroppingItsReference() throws {
        for decidesFirst in [false, true] {
            var configuration = SimulationConfiguration(variant: .fixed, cpus: 1, buffers: 1)
            configuration.switches.decidesBeforeReleasing = decidesFirst
            let simulation = ChannelSimulation(configuration)
            try simulation.advance("cpu0", to: "cpu_relax")
            try simulation.step("device:buf0")
            try simulation.advance("irq", to: "complete_cb msg_release")
            try simulation.step("deadline:cpu0")
            if decidesFirst {
                try simulation.runToEnd("cpu0")
                try simulation.runToEnd("irq")
            } else {
                try simulation.advance("cpu0", to: "mark_txdone lock poll_lock")
                try simulation.runToEnd("irq")
                try simulation.runToEnd("cpu0")
            }
            let result = simulation.finish()
            XCTAssertEqual(result.violatedProperties, decidesFirst ? [] : [.noUseAfterRelease], "decidesBeforeReleasing = \(decidesFirst)")
        }
    }
}
