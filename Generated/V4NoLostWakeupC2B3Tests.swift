import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4 violates no-lost-wakeup after 36 steps.
///
/// - Variant: v4
/// - Invariant: no-lost-wakeup
/// - Depth: 36
/// - Configuration: 2 CPUs, 3 buffers, 2022 core
/// - Trace: Traces/v4-no-lost-wakeup-c2b3.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class V4NoLostWakeupC2B3Tests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=false)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] start(polled=false)", // 2. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 3. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 4. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] get_free_msg", // 5. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 6. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "timer[cpu0] deadline_passes", // 7. The transfer's timeout expires.
        "sender[cpu0] wait_for_completion", // 8. The reply's completion, or the timeout.
        "sender[cpu0] mark_txdone_read_priv", // 9. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 10. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 11. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 12. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 13. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 14. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 15. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "device reply(m=msg2)", // 16. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 17. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 18. Record the reply's length.
        "irq acquire_xfer", // 19. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 20. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 21. Fetch the reply from xfer->priv into the transfer.
        "irq clear_xfer_priv", // 22. v4's core unbinds the buffer right after fetching: xfer->priv = NULL.
        "irq complete_xfer", // 23. Complete xfer->done and drop the transfer reference.
        "irq reset_status", // 24. put_free: reset the status before returning the buffer.
        "irq free_msg", // 25. Return the buffer to the free list.
        "timer[cpu1] deadline_passes", // 26. The transfer's timeout expires.
        "sender[cpu1] wait_for_completion", // 27. The reply's completion, or the timeout.
        "sender[cpu1] mark_txdone_read_priv", // 28. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu1] xfer_put", // 29. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu1] start(polled=true)", // 30. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] get_free_msg", // 31. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 32. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "device reply(m=msg2)", // 33. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu0] poll_done_lock", // 34. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu0] poll_done_get_buf", // 35. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu0] poll_done_set_rx_len", // 36. Record the reply's length in the dequeued buffer.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-no-lost-wakeup-c2b3.json", beside: #filePath, story: Self.story)
    }

    func testV4ViolatesNoLostWakeupAtStep36() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-lost-wakeup"), 36, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [22, 24, 25, 32, 33, 36], "\(outcome)")
    }
}
