import Vocabulary
import XCTest

final class DefinitionTests: XCTestCase {
    private func rest(workQueued: Bool = false, usedRingEmpty: Bool = true) -> Quiescence<Bool> {
        Quiescence(sendersIdle: true, irqIdle: true, workerIdle: true, workQueued: workQueued,
                   usedRingEmpty: usedRingEmpty, deviceHoldsNoBuffer: true)
    }

    func testTheChannelIsAtRestOnlyWithNothingQueuedAndAnEmptyRing() {
        XCTAssertTrue(rest().holds)
        XCTAssertFalse(rest(workQueued: true).holds)
        XCTAssertFalse(rest(usedRingEmpty: false).holds)
    }

    private func poller(holder: Bool = false, deadline: Bool = false) -> LostWakeup<Bool> {
        LostWakeup(inPollingLoop: true, polled: true, deadlinePassed: deadline, finalPollStarted: false,
                   ownBufferFound: false, bufferBound: true, someoneHoldsBuffer: holder, markedPollDone: false,
                   completed: false)
    }

    func testAPollerIsStuckOnlyWhenNobodyHoldsItsBufferBeforeTheDeadline() {
        XCTAssertTrue(poller().isStuck)
        XCTAssertFalse(poller(holder: true).isStuck)
        XCTAssertFalse(poller(deadline: true).isStuck)
    }

    func testOperationsKeepTodaysLabelSpellings() {
        XCTAssertEqual(Operation(.pollDone, .virtqueue(.getBuf)).description, "poll_done virtqueue_get_buf")
        XCTAssertEqual(Operation(.markTxdone, .refcountDecAndTest(.messageUsers), via: .msgRelease).description,
                       "mark_txdone msg_release refcount_dec_and_test")
        XCTAssertEqual(Operation(.completeCb, .start).description, "start complete_cb")
        XCTAssertNotEqual(Operation(.pollDone, .virtqueue(.poll)), Operation(.pollDone, .virtqueue(.pollAfterRearm)))
    }
}
