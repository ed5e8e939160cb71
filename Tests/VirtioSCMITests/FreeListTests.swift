import XCTest
import Scheduling
@testable import VirtioSCMI
import Vocabulary

final class FreeListTests: XCTestCase {
    func testSetUpPutsEveryBufferOnTheFreeListAndTheChannelHasOneUser() {
        let bench = Bench(.upstream, buffers: 3)
        XCTAssertEqual(bench.channel.freeBuffers, [0, 1, 2])
        XCTAssertEqual(bench.channel.channelUsers, 1)
        XCTAssertEqual(bench.location(0), .freeList)
    }

    func testTakingABufferStartsANewLifeHeldByTheTaker() {
        let bench = Bench(.upstream)
        let msg = bench.channel.getFreeMessage(.sendMessage)!
        XCTAssertEqual(msg.message.index, 0)
        XCTAssertEqual(msg.generation, 1)
        XCTAssertEqual(bench.channel.freeBuffers, [1])
        XCTAssertEqual(bench.location(0), .heldBySender("main"))
        XCTAssertEqual(bench.buffer(0).users, 1)
        XCTAssertEqual(bench.buffer(0).pollStatus, .notPolled)
    }

    func testPuttingABufferBackTwiceIsADoubleFree() {
        let bench = Bench(.v4)
        let msg = bench.channel.getFreeMessage(.sendMessage)!
        bench.channel.putFreeMessage(msg, .markTxdone)
        XCTAssertEqual(bench.channel.freeBuffers, [1, 0])
        bench.channel.putFreeMessage(msg, .markTxdone)
        XCTAssertEqual(bench.channel.freeBuffers, [1, 0], "not appended again")
        XCTAssertTrue(bench.properties().contains(.noDoubleFree))
        XCTAssertTrue(bench.properties().contains(.noUseAfterRelease), "put_free also wrote poll_status of a free buffer")
    }

    func testReleasingTheLastReferenceReturnsTheBuffer() {
        let bench = Bench(.upstream)
        let msg = bench.channel.getFreeMessage(.sendMessage)!
        XCTAssertTrue(msg.acquire("acquire"))
        XCTAssertFalse(bench.channel.releaseMessage(msg, .markTxdone))
        XCTAssertEqual(bench.location(0), .heldBySender("main"))
        XCTAssertTrue(bench.channel.releaseMessage(msg, .markTxdone))
        XCTAssertEqual(bench.location(0), .freeList)
        XCTAssertEqual(bench.violations, [])
    }

    func testReleasingBelowZeroIsARefcountUnderflow() {
        let bench = Bench(.upstream)
        let msg = bench.channel.getFreeMessage(.sendMessage)!
        bench.channel.releaseMessage(msg, .markTxdone)
        XCTAssertFalse(bench.channel.releaseMessage(msg, .markTxdone))
        XCTAssertEqual(bench.buffer(0).users, 0)
        XCTAssertTrue(bench.violations.contains { $0.property == .noDoubleFree && $0.message.contains("below zero") })
    }

    func testTouchingAReleasedBufferIsAUseAfterRelease() {
        let bench = Bench(.upstream)
        let msg = bench.channel.getFreeMessage(.sendMessage)!
        bench.channel.releaseMessage(msg, .markTxdone)
        msg.writeRxLen(.ofReply(to: 1), "late write")
        XCTAssertEqual(bench.properties(), [.noUseAfterRelease])
        XCTAssertTrue(bench.violations[0].message.contains("after it was released to the free list"))
    }

    func testTouchingAReusedBufferThroughAnOldPointerIsAUseAfterRelease() {
        let bench = Bench(.upstream, buffers: 1)
        let old = bench.channel.getFreeMessage(.sendMessage)!
        bench.channel.releaseMessage(old, .markTxdone)
        let new = bench.channel.getFreeMessage(.sendMessage)!
        XCTAssertEqual(new.generation, 2)
        _ = old.readPollStatus("stale read")
        XCTAssertEqual(bench.properties(), [.noUseAfterRelease])
        XCTAssertTrue(bench.violations[0].message.contains("reused (now life 2)"))
    }

    func testFreeingABufferTheDeviceStillHoldsBreaksConservation() {
        let bench = Bench(.upstream)
        let xfer = bench.sent(polled: false)
        _ = xfer
        let msg = MessageRef(message: bench.channel.messages[0], generation: 1, ledger: bench.channel.ledger)
        bench.channel.releaseMessage(msg, .markTxdone)
        XCTAssertEqual(bench.properties(), [.conservation])
        XCTAssertEqual(bench.location(0), .several([.freeList, .device]))
    }
}
