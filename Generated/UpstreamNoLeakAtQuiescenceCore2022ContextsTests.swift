import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// upstream violates no-leak-at-quiescence after 53 steps.
///
/// - Variant: upstream
/// - Invariant: no-leak-at-quiescence
/// - Depth: 53
/// - Configuration: 2 CPUs, 2 buffers, 2022 core, contexts on (irq-cpu any)
/// - Trace: Traces/upstream-no-leak-at-quiescence-core2022-contexts.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
///
/// Finding: the implementation follows every step but records no-leak-at-quiescence nowhere, not at step 53;
/// it records no-use-after-release (step 35). The model and the code judge this run differently; the test pins
/// what the implementation records until one of them changes.
final class UpstreamNoLeakAtQuiescenceCore2022ContextsTests: XCTestCase {
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
        "irq get_buf(on=cpu0)", // 11. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "irq set_rx_len", // 12. Record the reply's length.
        "irq acquire_xfer", // 13. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 14. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 15. Fetch the reply from xfer->priv into the transfer.
        "irq complete_xfer", // 16. Complete xfer->done and drop the transfer reference.
        "sender[cpu1] poll_loop_check", // 17. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "timer[cpu1] deadline_passes", // 18. The transfer's timeout expires.
        "sender[cpu1] decide_timeout", // 19. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu1] mark_txdone_read_priv", // 20. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu1] mark_txdone_release", // 21. Release the transfer's reference; at zero the buffer is freed.
        "irq release_msg", // 22. Release the path's reference; at zero the buffer is freed.
        "irq free_msg", // 23. Return the buffer to the free list.
        "irq get_buf(on=cpu0)", // 24. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "device reply(m=msg0)", // 25. Return a request with its reply on the used ring; the used index moves.
        "timer[cpu0] deadline_passes", // 26. The transfer's timeout expires.
        "sender[cpu0] wait_for_completion", // 27. The reply's completion, or the timeout.
        "sender[cpu0] mark_txdone_read_priv", // 28. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 29. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 30. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 31. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 32. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 33. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 34. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu1] mark_txdone_decide", // 35. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu1] xfer_put", // 36. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "irq get_buf(on=cpu1)", // 37. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "sender[cpu0] poll_done_lock", // 38. The used index moved: take the channel lock to drain the used ring.
        "irq set_rx_len", // 39. Record the reply's length.
        "irq acquire_xfer", // 40. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq release_msg", // 41. Release the path's reference; at zero the buffer is freed.
        "irq free_msg", // 42. Return the buffer to the free list.
        "device reply(m=msg1)", // 43. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu0] poll_done_get_buf", // 44. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu0] poll_done_mark_done", // 45. Under next_msg's poll_lock: a POLLING buffer becomes POLL_DONE, and this call remembers it did it.
        "sender[cpu0] poll_done_set_rx_len", // 46. Record the reply's length in the dequeued buffer.
        "sender[cpu0] poll_done_finish", // 47. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "timer[cpu0] deadline_passes", // 48. The transfer's timeout expires.
        "sender[cpu0] decide_timeout", // 49. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu0] mark_txdone_read_priv", // 50. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] mark_txdone_release", // 51. Release the transfer's reference; at zero the buffer is freed.
        "sender[cpu0] mark_txdone_decide", // 52. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu0] xfer_put", // 53. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("upstream-no-leak-at-quiescence-core2022-contexts.json", beside: #filePath, story: Self.story)
    }

    func testUpstreamFollowsTheTraceButRecordsOtherViolations() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("upstream"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-leak-at-quiescence"), nil, "\(outcome)")
        XCTAssertEqual(outcome.record.violatedInvariants, ["no-use-after-release"], "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [35, 36, 46, 47, 48, 49, 50, 51, 52, 53], "\(outcome)")
    }
}
