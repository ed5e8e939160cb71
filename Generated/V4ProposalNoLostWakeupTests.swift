import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4-proposal violates no-lost-wakeup after 56 steps.
///
/// - Variant: v4-proposal
/// - Invariant: no-lost-wakeup
/// - Depth: 56
/// - Configuration: 2 CPUs, 2 buffers, 2022 core
/// - Trace: Traces/v4-proposal-no-lost-wakeup.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
///
/// Finding: the implementation cannot follow this trace: step 29 (irq free_msg): free_list: expected [msg1], actual [msg1, msg0]; used_ring: expected [msg0], actual [].
/// The model and the code disagree here; the test pins the disagreement until one of them changes.
final class V4ProposalNoLostWakeupTests: XCTestCase {
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
        "device reply(m=msg1)", // 10. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 11. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 12. Record the reply's length.
        "irq acquire_xfer", // 13. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 14. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 15. Fetch the reply from xfer->priv into the transfer.
        "device reply(m=msg0)", // 16. Return a request with its reply on the used ring; the used index moves.
        "timer[cpu0] deadline_passes", // 17. The transfer's timeout expires.
        "sender[cpu0] wait_for_completion", // 18. The reply's completion, or the timeout.
        "sender[cpu0] mark_txdone_read_priv", // 19. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 20. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 21. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "timer[cpu1] deadline_passes", // 22. The transfer's timeout expires.
        "sender[cpu1] poll_loop_check", // 23. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "sender[cpu1] decide_timeout", // 24. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu1] mark_txdone_read_priv", // 25. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "irq clear_xfer_priv", // 26. v4's core unbinds the buffer right after fetching: xfer->priv = NULL.
        "irq complete_xfer", // 27. Complete xfer->done and drop the transfer reference.
        "irq reset_status", // 28. put_free: reset the status before returning the buffer.
        "irq free_msg", // 29. Return the buffer to the free list.
        "sender[cpu0] get_free_msg", // 30. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 31. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] mark_txdone_decide", // 32. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu1] xfer_put", // 33. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu1] start(polled=true)", // 34. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "irq get_buf", // 35. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 36. Record the reply's length.
        "irq acquire_xfer", // 37. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq reset_status", // 38. put_free: reset the status before returning the buffer.
        "irq free_msg", // 39. Return the buffer to the free list.
        "sender[cpu1] get_free_msg", // 40. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 41. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] poll_done_read_priv", // 42. msg = xfer->priv; no buffer bound means done.
        "sender[cpu1] poll_done_check_status", // 43. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "device reply(m=msg1)", // 44. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu1] poll_done_lock", // 45. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu1] poll_done_get_buf", // 46. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu1] poll_done_set_rx_len", // 47. Record the reply's length in the dequeued buffer.
        "sender[cpu1] poll_done_classify", // 48. Under next_msg's poll_lock: the own buffer is marked POLL_DONE and found; NOT_POLLED or POLL_TIMEOUT goes to the pending list; another polled buffer is marked POLL_DONE.
        "sender[cpu1] poll_done_append_pending", // 49. Hand the dequeued buffer to the deferred worker.
        "sender[cpu1] poll_done_get_buf", // 50. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu1] poll_done_finish", // 51. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "worker start", // 52. The queued work runs and takes pending_lock for the drain.
        "worker next_pending", // 53. Take the next pending buffer; with none left, drop pending_lock and run complete_cb.
        "worker check_status", // 54. A POLL_TIMEOUT buffer is freed without delivery; any other is delivered.
        "worker p_reset_status", // 55. put_free: reset the status before returning the buffer.
        "worker p_free_msg", // 56. Return the buffer to the free list.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-proposal-no-lost-wakeup.json", beside: #filePath, story: Self.story)
    }

    func testV4ProposalDivergesFromTheTraceAsRecorded() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4-proposal"))
        XCTAssertEqual(outcome.divergence?.description, "step 29 (irq free_msg): free_list: expected [msg1], actual [msg1, msg0]; used_ring: expected [msg0], actual []", "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [26, 28, 29, 31, 35, 36, 37, 38, 39, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56], "\(outcome)")
    }
}
