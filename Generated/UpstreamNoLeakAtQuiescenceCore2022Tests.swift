import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// upstream violates no-leak-at-quiescence after 52 steps.
///
/// - Variant: upstream
/// - Invariant: no-leak-at-quiescence
/// - Depth: 52
/// - Configuration: 2 CPUs, 2 buffers, 2022 core
/// - Trace: Traces/upstream-no-leak-at-quiescence-core2022.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
///
/// Finding: the implementation cannot follow this trace: step 29 (irq free_msg): free_list: expected [msg1], actual [msg1, msg0]; used_ring: expected [msg0], actual []; users[msg0]: expected 1, actual 0.
/// The model and the code disagree here; the test pins the disagreement until one of them changes.
final class UpstreamNoLeakAtQuiescenceCore2022Tests: XCTestCase {
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
        "irq complete_xfer", // 16. Complete xfer->done and drop the transfer reference.
        "sender[cpu1] poll_loop_check", // 17. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "device reply(m=msg0)", // 18. Return a request with its reply on the used ring; the used index moves.
        "timer[cpu0] deadline_passes", // 19. The transfer's timeout expires.
        "sender[cpu0] wait_for_completion", // 20. The reply's completion, or the timeout.
        "sender[cpu0] mark_txdone_read_priv", // 21. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 22. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 23. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "timer[cpu1] deadline_passes", // 24. The transfer's timeout expires.
        "sender[cpu1] decide_timeout", // 25. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu1] mark_txdone_read_priv", // 26. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu1] mark_txdone_release", // 27. Release the transfer's reference; at zero the buffer is freed.
        "irq release_msg", // 28. Release the path's reference; at zero the buffer is freed.
        "irq free_msg", // 29. Return the buffer to the free list.
        "sender[cpu0] get_free_msg", // 30. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 31. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 32. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 33. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu1] mark_txdone_decide", // 34. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu1] xfer_put", // 35. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "irq get_buf", // 36. Under the channel lock, dequeue the next used buffer.
        "sender[cpu0] poll_done_lock", // 37. The used index moved: take the channel lock to drain the used ring.
        "irq set_rx_len", // 38. Record the reply's length.
        "irq acquire_xfer", // 39. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq release_msg", // 40. Release the path's reference; at zero the buffer is freed.
        "irq free_msg", // 41. Return the buffer to the free list.
        "device reply(m=msg1)", // 42. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu0] poll_done_get_buf", // 43. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu0] poll_done_mark_done", // 44. Under next_msg's poll_lock: a POLLING buffer becomes POLL_DONE, and this call remembers it did it.
        "sender[cpu0] poll_done_set_rx_len", // 45. Record the reply's length in the dequeued buffer.
        "sender[cpu0] poll_done_finish", // 46. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "timer[cpu0] deadline_passes", // 47. The transfer's timeout expires.
        "sender[cpu0] decide_timeout", // 48. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu0] mark_txdone_read_priv", // 49. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] mark_txdone_release", // 50. Release the transfer's reference; at zero the buffer is freed.
        "sender[cpu0] mark_txdone_decide", // 51. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu0] xfer_put", // 52. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("upstream-no-leak-at-quiescence-core2022.json", beside: #filePath, story: Self.story)
    }

    func testUpstreamDivergesFromTheTraceAsRecorded() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("upstream"))
        XCTAssertEqual(outcome.divergence?.description, "step 29 (irq free_msg): free_list: expected [msg1], actual [msg1, msg0]; used_ring: expected [msg0], actual []; users[msg0]: expected 1, actual 0", "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [34, 35, 36, 37, 38, 39, 40, 41, 43, 44, 45, 46, 48, 49, 50, 51, 52], "\(outcome)")
    }
}
