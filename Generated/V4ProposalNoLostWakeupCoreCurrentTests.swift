import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4-proposal violates no-lost-wakeup after 58 steps.
///
/// - Variant: v4-proposal
/// - Invariant: no-lost-wakeup
/// - Depth: 58
/// - Configuration: 2 CPUs, 2 buffers, current core
/// - Trace: Traces/v4-proposal-no-lost-wakeup-corecurrent.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
///
/// Finding: the implementation cannot follow this trace: step 28 (irq free_msg): free_list: expected [msg1], actual [msg1, msg0]; used_ring: expected [msg0], actual []; xfer_state[cpu0]: expected SENT_OK, actual RESP_OK.
/// The model and the code disagree here; the test pins the disagreement until one of them changes.
final class V4ProposalNoLostWakeupCoreCurrentTests: XCTestCase {
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
        "timer[cpu1] deadline_passes", // 16. The transfer's timeout expires.
        "sender[cpu1] poll_loop_check", // 17. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "sender[cpu1] poll_done_read_priv", // 18. msg = xfer->priv; no buffer bound means done.
        "sender[cpu1] poll_done_check_status", // 19. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu1] poll_done_lock", // 20. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu1] poll_done_get_buf", // 21. Dequeue the next used buffer, or end the drain when the ring is empty.
        "device reply(m=msg0)", // 22. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu1] poll_done_finish", // 23. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "sender[cpu1] mark_txdone_read_priv", // 24. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "irq clear_xfer_priv", // 25. v4's core unbinds the buffer right after fetching: xfer->priv = NULL.
        "irq complete_xfer", // 26. Complete xfer->done and drop the transfer reference.
        "irq reset_status", // 27. put_free: reset the status before returning the buffer.
        "irq free_msg", // 28. Return the buffer to the free list.
        "irq get_buf", // 29. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 30. Record the reply's length.
        "timer[cpu0] deadline_passes", // 31. The transfer's timeout expires.
        "sender[cpu0] wait_for_completion", // 32. The reply's completion, or the timeout.
        "sender[cpu0] mark_txdone_read_priv", // 33. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 34. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 35. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 36. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 37. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] mark_txdone_decide", // 38. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu1] xfer_put", // 39. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu1] start(polled=true)", // 40. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "irq acquire_xfer", // 41. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq reset_status", // 42. put_free: reset the status before returning the buffer.
        "irq free_msg", // 43. Return the buffer to the free list.
        "sender[cpu1] get_free_msg", // 44. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 45. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] poll_done_read_priv", // 46. msg = xfer->priv; no buffer bound means done.
        "sender[cpu1] poll_done_check_status", // 47. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "device reply(m=msg1)", // 48. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu1] poll_done_lock", // 49. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu1] poll_done_get_buf", // 50. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu1] poll_done_set_rx_len", // 51. Record the reply's length in the dequeued buffer.
        "sender[cpu1] poll_done_classify", // 52. Under next_msg's poll_lock: the own buffer is marked POLL_DONE and found; NOT_POLLED or POLL_TIMEOUT goes to the pending list; another polled buffer is marked POLL_DONE.
        "sender[cpu1] poll_done_append_pending", // 53. Hand the dequeued buffer to the deferred worker.
        "worker start", // 54. The queued work runs and takes pending_lock for the drain.
        "worker next_pending", // 55. Take the next pending buffer; with none left, drop pending_lock and run complete_cb.
        "worker check_status", // 56. A POLL_TIMEOUT buffer is freed without delivery; any other is delivered.
        "worker p_reset_status", // 57. put_free: reset the status before returning the buffer.
        "worker p_free_msg", // 58. Return the buffer to the free list.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-proposal-no-lost-wakeup-corecurrent.json", beside: #filePath, story: Self.story)
    }

    func testV4ProposalDivergesFromTheTraceAsRecorded() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4-proposal"))
        XCTAssertEqual(outcome.divergence?.description, "step 28 (irq free_msg): free_list: expected [msg1], actual [msg1, msg0]; used_ring: expected [msg0], actual []; xfer_state[cpu0]: expected SENT_OK, actual RESP_OK", "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [25, 27, 28, 29, 30, 37, 41, 42, 43, 45, 46, 47, 48, 49, 50, 51, 52, 53, 56, 57, 58], "\(outcome)")
    }
}
