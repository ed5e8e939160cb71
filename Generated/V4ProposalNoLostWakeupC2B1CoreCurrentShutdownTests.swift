import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4-proposal violates no-lost-wakeup after 52 steps.
///
/// - Variant: v4-proposal
/// - Invariant: no-lost-wakeup
/// - Depth: 52
/// - Configuration: 2 CPUs, 1 buffer, current core, shutdown on
/// - Trace: Traces/v4-proposal-no-lost-wakeup-c2b1-corecurrent-shutdown.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class V4ProposalNoLostWakeupC2B1CoreCurrentShutdownTests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=true)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] start(polled=true)", // 2. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 3. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 4. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 5. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 6. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] poll_done_nothing_new", // 7. The used index has not moved since poll_idx: not yet.
        "timer[cpu0] deadline_passes", // 8. The transfer's timeout expires.
        "sender[cpu0] poll_loop_check", // 9. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "sender[cpu0] poll_done_read_priv", // 10. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 11. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] poll_done_nothing_new", // 12. The used index has not moved since poll_idx: not yet.
        "sender[cpu0] mark_txdone_read_priv", // 13. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "device reply(m=msg0)", // 14. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 15. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 16. Record the reply's length.
        "irq acquire_xfer", // 17. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 18. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 19. Fetch the reply from xfer->priv into the transfer.
        "irq clear_xfer_priv", // 20. v4's core unbinds the buffer right after fetching: xfer->priv = NULL.
        "irq complete_xfer", // 21. Complete xfer->done and drop the transfer reference.
        "irq reset_status", // 22. put_free: reset the status before returning the buffer.
        "irq free_msg", // 23. Return the buffer to the free list.
        "sender[cpu1] get_free_msg", // 24. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 25. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] poll_done_read_priv", // 26. msg = xfer->priv; no buffer bound means done.
        "sender[cpu1] poll_done_check_status", // 27. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "device reply(m=msg0)", // 28. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu1] poll_done_lock", // 29. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu1] poll_done_get_buf", // 30. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu1] poll_done_set_rx_len", // 31. Record the reply's length in the dequeued buffer.
        "sender[cpu1] poll_done_classify", // 32. Under next_msg's poll_lock: the own buffer is marked POLL_DONE and found; NOT_POLLED or POLL_TIMEOUT goes to the pending list; another polled buffer is marked POLL_DONE.
        "sender[cpu1] poll_done_finish", // 33. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "sender[cpu1] poll_done_read_priv", // 34. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] mark_txdone_decide", // 35. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu0] mark_txdone_reset_status", // 36. put_free: reset the status before returning the buffer.
        "sender[cpu1] poll_done_check_status", // 37. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] mark_txdone_free", // 38. Return the buffer to the free list.
        "sender[cpu0] xfer_put", // 39. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 40. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 41. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 42. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "device reply(m=msg0)", // 43. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu1] poll_done_lock", // 44. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu1] poll_done_get_buf", // 45. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu1] poll_done_set_rx_len", // 46. Record the reply's length in the dequeued buffer.
        "sender[cpu1] poll_done_classify", // 47. Under next_msg's poll_lock: the own buffer is marked POLL_DONE and found; NOT_POLLED or POLL_TIMEOUT goes to the pending list; another polled buffer is marked POLL_DONE.
        "sender[cpu1] poll_done_finish", // 48. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "sender[cpu1] fetch_response", // 49. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
        "sender[cpu1] mark_txdone_read_priv", // 50. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu1] mark_txdone_decide", // 51. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu1] mark_txdone_reset_status", // 52. put_free: reset the status before returning the buffer.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-proposal-no-lost-wakeup-c2b1-corecurrent-shutdown.json", beside: #filePath, story: Self.story)
    }

    func testV4ProposalViolatesNoLostWakeupAtStep52() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4-proposal"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-lost-wakeup"), 52, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [20, 22, 23, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52], "\(outcome)")
    }
}
