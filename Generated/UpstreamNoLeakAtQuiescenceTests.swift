import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// upstream violates no-leak-at-quiescence after 57 steps.
///
/// - Variant: upstream
/// - Invariant: no-leak-at-quiescence
/// - Depth: 57
/// - Configuration: 2 CPUs, 2 buffers, current core
/// - Trace: Traces/upstream-no-leak-at-quiescence.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
///
/// Finding: the implementation cannot follow this trace: step 43 (irq free_msg): the implementation cannot take it: irq cannot go on at 'irq: complete_cb lock vioch.lock' (irq is not enabled; enabled: cpu0, cpu1, deadline:cpu0, device:buf1) after 4 of its points.
/// The model and the code disagree here; the test pins the disagreement until one of them changes.
final class UpstreamNoLeakAtQuiescenceTests: XCTestCase {
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
        "sender[cpu1] mark_txdone_release", // 21. Release the transfer's reference; at zero the buffer is freed.
        "device reply(m=msg1)", // 22. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 23. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 24. Record the reply's length.
        "irq acquire_xfer", // 25. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 26. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 27. Fetch the reply from xfer->priv into the transfer.
        "irq complete_xfer", // 28. Complete xfer->done and drop the transfer reference.
        "irq release_msg", // 29. Release the path's reference; at zero the buffer is freed.
        "irq free_msg", // 30. Return the buffer to the free list.
        "sender[cpu0] get_free_msg", // 31. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 32. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 33. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 34. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu1] mark_txdone_decide", // 35. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu1] xfer_put", // 36. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "device reply(m=msg0)", // 37. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 38. Under the channel lock, dequeue the next used buffer.
        "sender[cpu0] poll_done_lock", // 39. The used index moved: take the channel lock to drain the used ring.
        "irq set_rx_len", // 40. Record the reply's length.
        "irq acquire_xfer", // 41. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq release_msg", // 42. Release the path's reference; at zero the buffer is freed.
        "irq free_msg", // 43. Return the buffer to the free list.
        "device reply(m=msg1)", // 44. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu0] poll_done_get_buf", // 45. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu0] poll_done_mark_done", // 46. Under next_msg's poll_lock: a POLLING buffer becomes POLL_DONE, and this call remembers it did it.
        "sender[cpu0] poll_done_set_rx_len", // 47. Record the reply's length in the dequeued buffer.
        "sender[cpu0] poll_done_finish", // 48. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "sender[cpu0] poll_done_read_priv", // 49. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 50. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] poll_done_lock", // 51. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu0] poll_done_get_buf", // 52. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu0] poll_done_finish", // 53. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "sender[cpu0] mark_txdone_read_priv", // 54. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] mark_txdone_release", // 55. Release the transfer's reference; at zero the buffer is freed.
        "sender[cpu0] mark_txdone_decide", // 56. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu0] xfer_put", // 57. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("upstream-no-leak-at-quiescence.json", beside: #filePath, story: Self.story)
    }

    func testUpstreamDivergesFromTheTraceAsRecorded() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("upstream"))
        XCTAssertEqual(outcome.divergence?.description, "step 43 (irq free_msg): the implementation cannot take it: irq cannot go on at 'irq: complete_cb lock vioch.lock' (irq is not enabled; enabled: cpu0, cpu1, deadline:cpu0, device:buf1) after 4 of its points", "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [26, 27, 28, 29, 30, 35, 36, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57], "\(outcome)")
    }
}
