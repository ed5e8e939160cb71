import XCTest
import Scheduling
@testable import VirtioSCMI
import Vocabulary

final class PollDoneTests: XCTestCase {
    func testPollDoneIsTrueWhenNoBufferIsBound() {
        let bench = Bench(.upstream)
        XCTAssertTrue(bench.channel.pollDone(bench.transfer(polled: true)))
    }

    func testPollDoneIsFalseWhileTheDeviceProducedNothing() {
        let bench = Bench(.upstream)
        let xfer = bench.sent(polled: true)
        XCTAssertFalse(bench.channel.pollDone(xfer))
        XCTAssertEqual(bench.channel.channelUsers, 1)
    }

    func testPollDoneFindsItsOwnBufferAndWritesRxLen() {
        for variant in Variant.allCases {
            let bench = Bench(variant)
            let xfer = bench.sent(polled: true)
            bench.device.reply(toBuffer: 0)
            XCTAssertTrue(bench.channel.pollDone(xfer), "\(variant)")
            XCTAssertEqual(bench.buffer(0).rxLen, .ofReply(to: xfer.token), "\(variant)")
            XCTAssertEqual(bench.location(0), .heldBySender("main"), "\(variant)")
            XCTAssertTrue(bench.vqueue.callbacksEnabled, "\(variant)")
            XCTAssertFalse(bench.channel.workQueue.isPending, "\(variant)")
        }
    }

    func testV4LeavesItsOwnDequeuedBufferPollingWhileLaterVariantsMarkItPollDone() {
        let expected: [Variant: PollStatus] = [.v4: .polling, .v4Proposal: .pollDone, .upstream: .pollDone, .fixed: .pollDone]
        for (variant, status) in expected {
            let bench = Bench(variant)
            let xfer = bench.sent(polled: true)
            bench.device.reply(toBuffer: 0)
            _ = bench.channel.pollDone(xfer)
            XCTAssertEqual(bench.buffer(0).pollStatus, status, "\(variant)")
        }
    }

    func testPollDoneMarksAnotherCPUsPolledBufferPollDoneAndLeavesItToItsOwner() {
        for variant in Variant.allCases {
            let bench = Bench(variant)
            let other = bench.sent(polled: true)
            let mine = bench.sent(polled: true)
            bench.device.reply(toBuffer: 0)
            XCTAssertFalse(bench.channel.pollDone(mine), "\(variant)")
            XCTAssertEqual(bench.buffer(0).pollStatus, .pollDone, "\(variant)")
            XCTAssertEqual(bench.buffer(0).rxLen, .ofReply(to: other.token), "\(variant)")
            XCTAssertEqual(bench.channel.pendingBuffers, [], "\(variant)")
            XCTAssertTrue(bench.channel.pollDone(other), "\(variant): the owner sees POLL_DONE")
        }
    }

    func testPollDoneHandsANonPolledBufferToTheDeferredWorker() {
        for variant in Variant.allCases {
            let bench = Bench(variant)
            _ = bench.sent(polled: false)
            let mine = bench.sent(polled: true)
            bench.device.reply(toBuffer: 0)
            XCTAssertFalse(bench.channel.pollDone(mine), "\(variant)")
            XCTAssertEqual(bench.channel.pendingBuffers, [0], "\(variant)")
            XCTAssertEqual(bench.location(0), .pendingList, "\(variant)")
            XCTAssertTrue(bench.channel.workQueue.isPending, "\(variant)")
        }
    }

    func testFromV4ProposalOnATimedOutBufferAPollerDequeuesGoesToTheWorker() {
        for variant in [Variant.v4Proposal, .upstream, .fixed] {
            let bench = Bench(variant)
            let timedOut = bench.sent(polled: true)
            bench.end(timedOut, result: -Errno.ETIMEDOUT)
            XCTAssertEqual(bench.buffer(0).pollStatus, .pollTimeout, "\(variant)")
            let mine = bench.sent(polled: true)
            bench.device.reply(toBuffer: 0)
            XCTAssertFalse(bench.channel.pollDone(mine), "\(variant)")
            XCTAssertEqual(bench.channel.pendingBuffers, [0], "\(variant)")
        }
    }

    func testInV4APollerMarksALateReplyToATimedOutTransferPollDoneAndNoOneFreesIt() {
        let bench = Bench(.v4)
        let timedOut = bench.sent(polled: true)
        bench.end(timedOut, result: -Errno.ETIMEDOUT)
        let mine = bench.sent(polled: true)
        bench.device.reply(toBuffer: 0)
        XCTAssertFalse(bench.channel.pollDone(mine))
        XCTAssertEqual(bench.buffer(0).pollStatus, .pollDone)
        XCTAssertEqual(bench.location(0), .nowhere)
    }

    func testAPollerThatFindsMoreOnTheRingAfterItsOwnBufferQueuesTheWorker() {
        let bench = Bench(.upstream)
        let mine = bench.sent(polled: true)
        _ = bench.sent(polled: false)
        bench.device.reply(toBuffer: 0)
        bench.device.reply(toBuffer: 1)
        XCTAssertTrue(bench.channel.pollDone(mine))
        XCTAssertEqual(bench.vqueue.usedElements.map(\.buffer), [1])
        XCTAssertTrue(bench.channel.workQueue.isPending, "enable_cb failed: buffers were used meanwhile")
    }

    func testUpstreamWritesRxLenOnlyAfterMarkingPollDoneButFixedWritesItFirst() throws {
        for (variant, writtenFirst) in [(Variant.upstream, false), (.fixed, true), (.v4, true), (.v4Proposal, true)] {
            let simulation = ChannelSimulation(SimulationConfiguration(variant: variant, cpus: 2, buffers: 2))
            try simulation.advance("cpu0", to: "cpu_relax")
            try simulation.advance("cpu1", to: "cpu_relax")
            try simulation.step("device:buf0")
            try simulation.advance("cpu1", to: "poll_status = POLL_DONE (buf0)")
            try simulation.step("cpu1")
            let rxLen = simulation.snapshot().buffers[0].rxLen
            XCTAssertEqual(rxLen.replyToken != nil, writtenFirst, "\(variant): rx_len when buf0 turns POLL_DONE is \(rxLen)")
            _ = simulation.finish()
        }
    }
}
