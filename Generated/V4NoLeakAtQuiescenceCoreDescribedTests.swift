import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4 violates no-leak-at-quiescence after 33 steps.
///
/// - Variant: v4
/// - Invariant: no-leak-at-quiescence
/// - Depth: 33
/// - Configuration: 2 CPUs, 2 buffers, described core
/// - Trace: Traces/v4-no-leak-at-quiescence-coredescribed.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class V4NoLeakAtQuiescenceCoreDescribedTests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=true)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] start(polled=true)", // 2. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 3. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 4. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 5. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 6. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] poll_done_nothing_new", // 7. The used index has not moved since poll_idx: not yet.
        "sender[cpu1] get_free_msg", // 8. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 9. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] poll_done_read_priv", // 10. msg = xfer->priv; no buffer bound means done.
        "sender[cpu1] poll_done_check_status", // 11. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "timer[cpu0] deadline_passes", // 12. The transfer's timeout expires.
        "sender[cpu0] poll_loop_check", // 13. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "sender[cpu0] poll_done_read_priv", // 14. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 15. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] poll_done_nothing_new", // 16. The used index has not moved since poll_idx: not yet.
        "sender[cpu0] mark_txdone_read_priv", // 17. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 18. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "device reply(m=msg0)", // 19. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu1] poll_done_lock", // 20. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu1] poll_done_get_buf", // 21. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu1] poll_done_set_rx_len", // 22. Record the reply's length in the dequeued buffer.
        "sender[cpu1] poll_done_classify", // 23. Unlocked read: a NOT_POLLED buffer goes to the pending list; another CPU's polled buffer will be marked POLL_DONE.
        "sender[cpu1] poll_done_mark_other", // 24. Mark another CPU's polled buffer POLL_DONE and leave it to its owner.
        "device reply(m=msg1)", // 25. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu1] poll_done_get_buf", // 26. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu1] poll_done_set_rx_len", // 27. Record the reply's length in the dequeued buffer.
        "sender[cpu1] poll_done_finish", // 28. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "sender[cpu1] fetch_response", // 29. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
        "sender[cpu1] mark_txdone_read_priv", // 30. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu1] mark_txdone_reset_status", // 31. put_free: reset the status before returning the buffer.
        "sender[cpu1] mark_txdone_free", // 32. Return the buffer to the free list.
        "sender[cpu1] xfer_put", // 33. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-no-leak-at-quiescence-coredescribed.json", beside: #filePath, story: Self.story)
    }

    func testV4ViolatesNoLeakAtQuiescenceAtStep33() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-leak-at-quiescence"), 33, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [24, 26, 27, 28, 29, 30, 31, 32, 33], "\(outcome)")
    }
}
