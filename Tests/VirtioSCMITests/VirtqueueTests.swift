import XCTest
import Scheduling
@testable import VirtioSCMI
import Vocabulary

final class VirtqueueTests: XCTestCase {
    private func published(_ bench: Bench, tokens: [Int]) -> [MessageRef] {
        tokens.map { token in
            let msg = bench.channel.getFreeMessage(.sendMessage)!
            msg.writeRequest(token: token, serial: token, "tx_prepare")
            XCTAssertEqual(bench.vqueue.addSGs(msg, "add"), 0)
            return msg
        }
    }

    func testGetBufReturnsUsedBuffersInTheOrderTheDeviceUsedThem() {
        let bench = Bench(.upstream)
        _ = published(bench, tokens: [7, 8])
        bench.device.reply(toBuffer: 1)
        bench.device.reply(toBuffer: 0)
        XCTAssertEqual(bench.vqueue.usedIndex, 2)
        let first = bench.vqueue.getBuf("get")
        XCTAssertEqual(first?.0.message.index, 1)
        XCTAssertEqual(first?.1, RxLength.ofReply(to: 8))
        XCTAssertEqual(bench.vqueue.lastUsedIndex, 1)
        XCTAssertEqual(bench.vqueue.getBuf("get")?.0.message.index, 0)
        XCTAssertNil(bench.vqueue.getBuf("get"), "L == U: nothing more")
    }

    func testTheDeviceWritesTheReplyForTheRequestTokenIntoTheInput() {
        let bench = Bench(.upstream)
        _ = published(bench, tokens: [42])
        XCTAssertEqual(bench.channel.messages[0].input.peek(), .empty)
        bench.device.reply(toBuffer: 0)
        XCTAssertEqual(bench.channel.messages[0].input.peek(), .reply(token: 42))
        XCTAssertEqual(Payload.reply(token: 42).description, "reply for token 42")
    }

    func testPollTellsWhetherTheDeviceProducedEntriesSinceAnIndex() {
        let bench = Bench(.upstream)
        _ = published(bench, tokens: [1])
        let index = bench.vqueue.enableCallbacksPrepare("prepare")
        XCTAssertFalse(bench.vqueue.poll(index, "poll"))
        bench.device.reply(toBuffer: 0)
        XCTAssertTrue(bench.vqueue.poll(index, "poll"))
    }

    func testEnableCallbacksReturnsFalseIfBuffersWereUsedMeanwhile() {
        let bench = Bench(.upstream)
        _ = published(bench, tokens: [1])
        bench.vqueue.disableCallbacks("disable")
        XCTAssertFalse(bench.vqueue.callbacksEnabled)
        XCTAssertTrue(bench.vqueue.enableCallbacks("enable"))
        bench.device.reply(toBuffer: 0)
        XCTAssertFalse(bench.vqueue.enableCallbacks("enable"))
        XCTAssertTrue(bench.vqueue.callbacksEnabled)
    }

    func testEnableCallbacksPrepareReturnsTheLastUsedIndex() {
        let bench = Bench(.upstream)
        _ = published(bench, tokens: [1, 2])
        bench.device.replyToAll()
        _ = bench.vqueue.getBuf("get")
        bench.vqueue.disableCallbacks("disable")
        XCTAssertEqual(bench.vqueue.enableCallbacksPrepare("prepare"), 1)
        XCTAssertTrue(bench.vqueue.callbacksEnabled)
    }

    func testAddSGsFailsWhenTheRingIsFull() {
        let bench = Bench(.upstream, buffers: 1)
        let msg = published(bench, tokens: [1])[0]
        XCTAssertEqual(bench.vqueue.addSGs(msg, "add again"), -Errno.ENOSPC)
    }

    func testABrokenDeviceFailsEveryLaterOperation() {
        let bench = Bench(.upstream)
        let msgs = published(bench, tokens: [1])
        bench.device.reply(toBuffer: 0)
        bench.vqueue.breakDevice("break")
        XCTAssertNil(bench.vqueue.getBuf("get"))
        XCTAssertFalse(bench.vqueue.poll(0, "poll"))
        XCTAssertFalse(bench.vqueue.hasUsedBuffers)
        XCTAssertEqual(bench.vqueue.addSGs(msgs[0], "add"), -Errno.EIO)
        XCTAssertTrue(bench.device.environmentEvents().isEmpty)
    }

    func testIndicesAreSixteenBitsAndWrap() {
        let bench = Bench(.upstream, buffers: 1)
        for token in 1...65_537 {
            let msg = bench.channel.messages[0]
            let ref = MessageRef(message: msg, generation: bench.channel.ledger.record(of: 0).generation, ledger: bench.channel.ledger)
            ref.message.request.poke(token)
            XCTAssertEqual(bench.vqueue.addSGs(ref, "add"), 0)
            bench.device.reply(toBuffer: 0)
            XCTAssertNotNil(bench.vqueue.getBuf("get"))
        }
        XCTAssertEqual(bench.vqueue.lastUsedIndex, 1, "65 537 mod 65 536")
        XCTAssertFalse(bench.vqueue.poll(1, "poll"))
    }
}
