import XCTest
import Scheduling
@testable import VirtioSCMI
import Vocabulary

final class CompleteCallbackTests: XCTestCase {
    func testTheIRQPathDeliversAReplyToItsTransferAndFreesTheBuffer() {
        for variant in Variant.allCases {
            let bench = Bench(variant)
            let xfer = bench.sent(polled: false)
            bench.device.reply(toBuffer: 0)
            bench.channel.completeCallback()
            XCTAssertEqual(xfer.currentState, .respOK, "\(variant)")
            XCTAssertTrue(xfer.done.isDone, "\(variant)")
            XCTAssertEqual(xfer.fetchCount, 1, "\(variant)")
            XCTAssertEqual(xfer.receivedPayload, .reply(token: xfer.token), "\(variant)")
            XCTAssertEqual(bench.location(0), .freeList, "\(variant)")
            XCTAssertTrue(bench.vqueue.callbacksEnabled, "\(variant)")
            XCTAssertEqual(bench.channel.channelUsers, 1, "\(variant)")
            XCTAssertEqual(bench.violations, [], "\(variant)")
        }
    }

    func testTheIRQPathDropsALateReplyAndStillFreesTheBuffer() {
        for variant in Variant.allCases {
            let bench = Bench(variant)
            let xfer = bench.sent(polled: false)
            bench.end(xfer, result: -Errno.ETIMEDOUT)
            XCTAssertNil(bench.core.pendingTransfer(token: xfer.token))
            bench.device.reply(toBuffer: 0)
            bench.channel.completeCallback()
            XCTAssertEqual(xfer.fetchCount, 0, "\(variant)")
            XCTAssertEqual(bench.location(0), .freeList, "\(variant)")
            XCTAssertEqual(bench.violations, [], "\(variant)")
        }
    }

    func testTheV4CoreClearsPrivAfterDeliveryButUpstreamKeepsIt() {
        for (variant, keeps) in [(Variant.v4, false), (.v4Proposal, false), (.upstream, true), (.fixed, true)] {
            let bench = Bench(variant)
            let xfer = bench.sent(polled: false)
            bench.device.reply(toBuffer: 0)
            bench.channel.completeCallback()
            XCTAssertEqual(xfer.boundBuffer != nil, keeps, "\(variant)")
        }
    }

    func testAReplyForATransferAlreadyAnsweredIsDroppedAsInvalid() {
        let bench = Bench(.upstream)
        let xfer = bench.sent(polled: false)
        xfer.state.poke(.respOK)
        bench.device.reply(toBuffer: 0)
        bench.channel.completeCallback()
        XCTAssertEqual(xfer.fetchCount, 0)
        XCTAssertFalse(xfer.done.isDone)
        XCTAssertEqual(bench.location(0), .freeList)
    }

    func testTheIRQPathDrainsEveryUsedBuffer() {
        let bench = Bench(.upstream, buffers: 3)
        let transfers = (0..<3).map { _ in bench.sent(polled: false) }
        bench.device.replyToAll()
        bench.channel.completeCallback()
        XCTAssertEqual(transfers.map(\.fetchCount), [1, 1, 1])
        XCTAssertEqual(bench.channel.freeBuffers.count, 3)
        XCTAssertFalse(bench.vqueue.hasUsedBuffers)
    }

    func testDeliveringAStaleReplyIsCaught() {
        let bench = Bench(.upstream)
        let xfer = bench.sent(polled: false)
        let msg = MessageRef(message: bench.channel.messages[0], generation: 1, ledger: bench.channel.ledger)
        msg.message.input.poke(.reply(token: xfer.token))
        xfer.priv.poke(msg)
        bench.channel.fetchResponse(xfer)
        XCTAssertEqual(bench.properties(), [.exactlyOnceDelivery])
        XCTAssertTrue(bench.violations[0].message.contains("stale rx_len"))
        bench.channel.fetchResponse(xfer)
        XCTAssertTrue(bench.violations.last!.message.contains("copied 2 times"))
    }
}
