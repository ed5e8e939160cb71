import XCTest
import Scheduling
@testable import VirtioSCMI
import Vocabulary

final class SCMICoreTests: XCTestCase {
    func testTokensAreAssignedInOrderAndFreedByTheLastPut() {
        let bench = Bench(.upstream)
        let first = bench.transfer(polled: true)
        let second = bench.transfer(polled: false)
        XCTAssertEqual([first.token, second.token], [1, 2])
        first.users.increment("delivery in progress")
        bench.core.xferPut(first)
        XCTAssertNotNil(bench.core.pendingTransfer(token: 1), "a delivery's reference delays the release")
        bench.core.xferPut(first)
        XCTAssertNil(bench.core.pendingTransfer(token: 1))
    }

    /// A polled transfer whose reply its own poll found, but whose deadline has passed.
    private func lateWinner(_ variant: Variant, _ core: CoreVersion, configure: (inout SimulationConfiguration) -> Void = { _ in }) -> (Bench, Transfer, Int32) {
        let bench = Bench(variant, core: core, configure: configure)
        let xfer = bench.sent(polled: true)
        xfer.deadline.arm()
        bench.device.reply(toBuffer: 0)
        xfer.deadline.expire()
        let ret = bench.core.waitForReply(xfer)
        return (bench, xfer, ret)
    }

    func testThe2022CoreTimesOutWheneverTheDeadlineHasPassed() {
        let (_, xfer, ret) = lateWinner(.upstream, .y2022)
        XCTAssertEqual(ret, -Errno.ETIMEDOUT)
        XCTAssertEqual(xfer.fetchCount, 0)
    }

    func testTheCurrentCoreKeepsAReplyThatArrivedBeforeTheLoopEnded() {
        let (bench, xfer, ret) = lateWinner(.upstream, .current)
        XCTAssertEqual(ret, 0)
        XCTAssertEqual(xfer.currentState, .respOK)
        XCTAssertEqual(xfer.receivedPayload, .reply(token: xfer.token))
        XCTAssertEqual(bench.violations, [])
    }

    func testTheCurrentCorePollsOnceMoreAfterAPollSuccessWhichV4FailsAsTheKernelWould() {
        let bench = Bench(.v4, core: .current)
        let xfer = bench.sent(polled: true)
        xfer.deadline.arm()
        bench.device.reply(toBuffer: 0)
        XCTAssertEqual(bench.core.waitForReply(xfer), -Errno.ETIMEDOUT, "v4 leaves its own buffer POLLING, so the last poll_done fails")

        let (_, _, ret) = lateWinner(.v4, .described)
        XCTAssertEqual(ret, 0, "with the reference page's reading there is no last poll after a success")
    }

    func testANonPolledTransferTimesOutWhenItsDeadlinePasses() {
        let bench = Bench(.upstream)
        let xfer = bench.sent(polled: false)
        xfer.deadline.arm()
        xfer.deadline.expire()
        XCTAssertEqual(bench.core.waitForReply(xfer), -Errno.ETIMEDOUT)
    }

    func testANonPolledTransferGetsItsReplyThroughTheIRQPath() {
        let bench = Bench(.upstream)
        let xfer = bench.sent(polled: false)
        bench.device.reply(toBuffer: 0)
        bench.channel.completeCallback()
        xfer.deadline.arm()
        XCTAssertEqual(bench.core.waitForReply(xfer), 0)
    }

    func testDoXferRunsAPolledTransferEndToEndWhenTheReplyIsAlreadyThere() {
        let bench = Bench(.fixed)
        let xfer = bench.transfer(polled: true)
        bench.channel.vqueue.onKick = { [device = bench.device] in
            if let request = device.vqueue.heldRequests.first { device.reply(to: request) }
        }
        XCTAssertEqual(bench.core.doXfer(xfer), 0)
        bench.core.xferPut(xfer)
        XCTAssertEqual(xfer.phase, .done)
        XCTAssertEqual(xfer.fetchCount, 1)
        XCTAssertEqual(bench.channel.freeBuffers.sorted(), [0, 1])
        XCTAssertEqual(bench.violations, [])
    }
}
