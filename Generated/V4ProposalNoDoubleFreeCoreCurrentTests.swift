import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4-proposal violates no-double-free after 50 steps.
///
/// - Variant: v4-proposal
/// - Invariant: no-double-free
/// - Depth: 50
/// - Configuration: 2 CPUs, 2 buffers, current core
/// - Trace: Traces/v4-proposal-no-double-free-corecurrent.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class V4ProposalNoDoubleFreeCoreCurrentTests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=false)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] start(polled=true)", // 2. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 3. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 4. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] get_free_msg", // 5. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 6. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] poll_done_read_priv", // 7. msg = xfer->priv; no buffer bound means done.
        "sender[cpu1] poll_done_check_status", // 8. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu1] poll_done_nothing_new", // 9. The used index has not moved since poll_idx: not yet.
        "timer[cpu0] deadline_passes", // 10. The transfer's timeout expires.
        "sender[cpu0] wait_for_completion", // 11. The reply's completion, or the timeout.
        "sender[cpu0] mark_txdone_read_priv", // 12. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 13. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 14. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "timer[cpu1] deadline_passes", // 15. The transfer's timeout expires.
        "sender[cpu1] poll_loop_check", // 16. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "sender[cpu1] poll_done_read_priv", // 17. msg = xfer->priv; no buffer bound means done.
        "sender[cpu1] poll_done_check_status", // 18. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu1] poll_done_nothing_new", // 19. The used index has not moved since poll_idx: not yet.
        "sender[cpu1] mark_txdone_read_priv", // 20. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "device reply(m=msg1)", // 21. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 22. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 23. Record the reply's length.
        "irq acquire_xfer", // 24. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 25. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 26. Fetch the reply from xfer->priv into the transfer.
        "irq clear_xfer_priv", // 27. v4's core unbinds the buffer right after fetching: xfer->priv = NULL.
        "irq complete_xfer", // 28. Complete xfer->done and drop the transfer reference.
        "irq reset_status", // 29. put_free: reset the status before returning the buffer.
        "irq free_msg", // 30. Return the buffer to the free list.
        "sender[cpu0] get_free_msg", // 31. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 32. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 33. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 34. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "device reply(m=msg1)", // 35. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu0] poll_done_lock", // 36. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu0] poll_done_get_buf", // 37. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu0] poll_done_set_rx_len", // 38. Record the reply's length in the dequeued buffer.
        "sender[cpu0] poll_done_classify", // 39. Under next_msg's poll_lock: the own buffer is marked POLL_DONE and found; NOT_POLLED or POLL_TIMEOUT goes to the pending list; another polled buffer is marked POLL_DONE.
        "sender[cpu0] poll_done_finish", // 40. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "sender[cpu0] poll_done_read_priv", // 41. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 42. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] fetch_response", // 43. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
        "sender[cpu0] mark_txdone_read_priv", // 44. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] mark_txdone_decide", // 45. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu1] mark_txdone_decide", // 46. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu0] mark_txdone_reset_status", // 47. put_free: reset the status before returning the buffer.
        "sender[cpu0] mark_txdone_free", // 48. Return the buffer to the free list.
        "sender[cpu1] mark_txdone_reset_status", // 49. put_free: reset the status before returning the buffer.
        "sender[cpu1] mark_txdone_free", // 50. Return the buffer to the free list.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-proposal-no-double-free-corecurrent.json", beside: #filePath, story: Self.story)
    }

    func testV4ProposalViolatesNoDoubleFreeAtStep50() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4-proposal"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-double-free"), 50, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [27, 29, 30, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 47, 48, 49, 50], "\(outcome)")
    }
}
