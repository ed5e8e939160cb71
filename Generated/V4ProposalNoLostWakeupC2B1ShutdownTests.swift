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
/// - Configuration: 2 CPUs, 1 buffer, 2022 core, shutdown on
/// - Trace: Traces/v4-proposal-no-lost-wakeup-c2b1-shutdown.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
///
/// Finding: the implementation cannot follow this trace: step 48 (sender[cpu1] send_message): free_list: expected [], actual [msg0]; poll_status[msg0]: expected POLLING, actual NOT_POLLED.
/// The model and the code disagree here; the test pins the disagreement until one of them changes.
final class V4ProposalNoLostWakeupC2B1ShutdownTests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=true)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] start(polled=true)", // 2. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 3. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 4. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 5. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 6. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] poll_done_nothing_new", // 7. The used index has not moved since poll_idx: not yet.
        "device reply(m=msg0)", // 8. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 9. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 10. Record the reply's length.
        "irq acquire_xfer", // 11. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 12. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 13. Fetch the reply from xfer->priv into the transfer.
        "timer[cpu0] deadline_passes", // 14. The transfer's timeout expires.
        "sender[cpu0] poll_loop_check", // 15. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "sender[cpu0] decide_timeout", // 16. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu0] mark_txdone_read_priv", // 17. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "irq clear_xfer_priv", // 18. v4's core unbinds the buffer right after fetching: xfer->priv = NULL.
        "irq complete_xfer", // 19. Complete xfer->done and drop the transfer reference.
        "irq reset_status", // 20. put_free: reset the status before returning the buffer.
        "irq free_msg", // 21. Return the buffer to the free list.
        "sender[cpu1] get_free_msg", // 22. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 23. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] poll_done_read_priv", // 24. msg = xfer->priv; no buffer bound means done.
        "sender[cpu1] poll_done_check_status", // 25. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "device reply(m=msg0)", // 26. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu1] poll_done_lock", // 27. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu1] poll_done_get_buf", // 28. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu1] poll_done_set_rx_len", // 29. Record the reply's length in the dequeued buffer.
        "sender[cpu1] poll_done_classify", // 30. Under next_msg's poll_lock: the own buffer is marked POLL_DONE and found; NOT_POLLED or POLL_TIMEOUT goes to the pending list; another polled buffer is marked POLL_DONE.
        "sender[cpu1] poll_done_finish", // 31. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "sender[cpu1] decide_timeout", // 32. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu1] fetch_response", // 33. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
        "sender[cpu1] mark_txdone_read_priv", // 34. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu1] mark_txdone_decide", // 35. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu0] mark_txdone_decide", // 36. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu1] mark_txdone_reset_status", // 37. put_free: reset the status before returning the buffer.
        "sender[cpu1] mark_txdone_free", // 38. Return the buffer to the free list.
        "sender[cpu1] xfer_put", // 39. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu1] start(polled=false)", // 40. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] get_free_msg", // 41. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] mark_txdone_reset_status", // 42. put_free: reset the status before returning the buffer.
        "sender[cpu0] mark_txdone_free", // 43. Return the buffer to the free list.
        "sender[cpu0] xfer_put", // 44. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 45. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 46. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 47. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] send_message", // 48. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "device reply(m=msg0)", // 49. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 50. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 51. Record the reply's length.
        "irq acquire_xfer", // 52. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 53. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 54. Fetch the reply from xfer->priv into the transfer.
        "irq clear_xfer_priv", // 55. v4's core unbinds the buffer right after fetching: xfer->priv = NULL.
        "irq complete_xfer", // 56. Complete xfer->done and drop the transfer reference.
        "irq reset_status", // 57. put_free: reset the status before returning the buffer.
        "irq free_msg", // 58. Return the buffer to the free list.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-proposal-no-lost-wakeup-c2b1-shutdown.json", beside: #filePath, story: Self.story)
    }

    func testV4ProposalDivergesFromTheTraceAsRecorded() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4-proposal"))
        XCTAssertEqual(outcome.divergence?.description, "step 48 (sender[cpu1] send_message): free_list: expected [], actual [msg0]; poll_status[msg0]: expected POLLING, actual NOT_POLLED", "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [18, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58], "\(outcome)")
    }
}
