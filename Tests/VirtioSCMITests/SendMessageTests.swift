import XCTest
import Scheduling
@testable import VirtioSCMI
import Vocabulary

final class SendMessageTests: XCTestCase {
    func testAPolledSendBindsPrivTakesThePollReferenceAndPublishesTheRequest() {
        let bench = Bench(.upstream)
        let xfer = bench.sent(polled: true)
        XCTAssertEqual(xfer.boundBuffer, 0)
        XCTAssertEqual(bench.buffer(0).pollStatus, .polling)
        XCTAssertEqual(bench.buffer(0).users, 2)
        XCTAssertEqual(bench.vqueue.heldRequests.map(\.token), [xfer.token])
        XCTAssertEqual(bench.location(0), .device)
        XCTAssertEqual(bench.channel.messages[0].pollIndex.peek(), bench.vqueue.lastUsedIndex)
        XCTAssertEqual(bench.channel.channelUsers, 1, "the channel reference is dropped again")
    }

    func testANonPolledSendLeavesTheBufferUnboundAndNotPolled() {
        let bench = Bench(.upstream)
        let xfer = bench.sent(polled: false)
        XCTAssertNil(xfer.boundBuffer)
        XCTAssertEqual(bench.buffer(0).pollStatus, .notPolled)
        XCTAssertEqual(bench.buffer(0).users, 1)
        XCTAssertEqual(xfer.sentBuffer, 0)
    }

    func testV4HasNoMessageRefcount() {
        let bench = Bench(.v4)
        _ = bench.sent(polled: true)
        XCTAssertNil(bench.buffer(0).users)
        XCTAssertEqual(bench.buffer(0).pollStatus, .polling)
    }

    func testSendingWithoutAFreeBufferFailsBusy() {
        let bench = Bench(.upstream, buffers: 1)
        _ = bench.sent(polled: false)
        XCTAssertEqual(bench.channel.sendMessage(bench.transfer(polled: true)), -Errno.EBUSY)
        XCTAssertEqual(bench.channel.channelUsers, 1)
    }

    func testAFailedAddReturnsTheBufferAndDropsBothReferences() {
        for variant in Variant.allCases {
            let bench = Bench(variant)
            bench.vqueue.breakDevice("break")
            let xfer = bench.transfer(polled: true)
            XCTAssertEqual(bench.channel.sendMessage(xfer), -Errno.EIO, "\(variant)")
            XCTAssertNil(xfer.boundBuffer, "\(variant)")
            XCTAssertEqual(bench.channel.freeBuffers.sorted(), [0, 1], "\(variant)")
            XCTAssertEqual(bench.violations, [], "\(variant)")
        }
    }

    func testAnInjectedAddFailureUnwindsEveryVariantsSendToAFreeBufferAndNoReferences() {
        for variant in Variant.allCases {
            for polled in [true, false] {
                let bench = Bench(variant)
                bench.vqueue.injectedAddFailures = AddFailureInjection(percent: 100, seed: 1)
                for expected in [-Errno.ENOSPC, -Errno.EIO] {
                    let xfer = bench.transfer(polled: polled)
                    XCTAssertEqual(bench.core.doXfer(xfer), expected, "\(variant), polled \(polled)")
                    bench.core.xferPut(xfer)
                    XCTAssertNil(xfer.boundBuffer, "priv cleared (\(variant), polled \(polled))")
                }
                XCTAssertEqual(bench.channel.freeBuffers.sorted(), [0, 1], "\(variant), polled \(polled)")
                if variant.switches.messageRefcount {
                    XCTAssertEqual(bench.channel.messages.map { $0.users.value }, [0, 0], "one release, or two for a polled send (\(variant))")
                }
                XCTAssertEqual(bench.channel.channelUsers, 1, "the channel reference is dropped (\(variant))")
                XCTAssertEqual(bench.violations, [], "\(variant), polled \(polled)")
            }
        }
    }

    func testTheLedgerReportsAFailedSendWhoseBufferIsNotBackOnTheFreeList() throws {
        let bench = Bench(.fixed)
        let kept = try XCTUnwrap(bench.channel.getFreeMessage(.sendMessage))
        bench.channel.ledger.auditUnwound(kept, after: -Errno.ENOSPC)
        XCTAssertEqual(bench.properties(), [.conservation])
        XCTAssertTrue(bench.violations[0].message.contains("send_message failed with -ENOSPC but did not return buf0"), bench.violations[0].message)
    }

    func testTheLedgerAcceptsAFailedSendsBufferThatIsBackOrAlreadyTakenAgain() throws {
        let bench = Bench(.fixed, buffers: 1)
        let first = try XCTUnwrap(bench.channel.getFreeMessage(.sendMessage))
        bench.channel.releaseMessage(first, .sendMessage)
        bench.channel.ledger.auditUnwound(first, after: -Errno.EIO)
        _ = try XCTUnwrap(bench.channel.getFreeMessage(.sendMessage))
        bench.channel.ledger.auditUnwound(first, after: -Errno.EIO)
        XCTAssertEqual(bench.violations, [])
    }
}
