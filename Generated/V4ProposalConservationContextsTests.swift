import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4-proposal violates conservation after 52 steps.
///
/// - Variant: v4-proposal
/// - Invariant: conservation
/// - Depth: 52
/// - Configuration: 2 CPUs, 2 buffers, 2022 core, contexts on (irq-cpu any)
/// - Trace: Traces/v4-proposal-conservation-contexts.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class V4ProposalConservationContextsTests: XCTestCase {
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
        "timer[cpu1] deadline_passes", // 16. The transfer's timeout expires.
        "sender[cpu1] poll_loop_check", // 17. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "sender[cpu1] decide_timeout", // 18. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu1] mark_txdone_read_priv", // 19. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "irq clear_xfer_priv", // 20. v4's core unbinds the buffer right after fetching: xfer->priv = NULL.
        "irq complete_xfer", // 21. Complete xfer->done and drop the transfer reference.
        "irq reset_status", // 22. put_free: reset the status before returning the buffer.
        "irq free_msg", // 23. Return the buffer to the free list.
        "irq get_buf(on=cpu0)", // 24. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "timer[cpu0] deadline_passes", // 25. The transfer's timeout expires.
        "sender[cpu0] wait_for_completion", // 26. The reply's completion, or the timeout.
        "sender[cpu0] mark_txdone_read_priv", // 27. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 28. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 29. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 30. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 31. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 32. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 33. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "device reply(m=msg1)", // 34. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu0] poll_done_lock", // 35. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu0] poll_done_get_buf", // 36. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu0] poll_done_set_rx_len", // 37. Record the reply's length in the dequeued buffer.
        "sender[cpu0] poll_done_classify", // 38. Under next_msg's poll_lock: the own buffer is marked POLL_DONE and found; NOT_POLLED or POLL_TIMEOUT goes to the pending list; another polled buffer is marked POLL_DONE.
        "sender[cpu0] poll_done_finish", // 39. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "sender[cpu0] decide_timeout", // 40. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu0] fetch_response", // 41. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
        "sender[cpu0] mark_txdone_read_priv", // 42. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] mark_txdone_decide", // 43. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu1] mark_txdone_decide", // 44. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu0] mark_txdone_reset_status", // 45. put_free: reset the status before returning the buffer.
        "sender[cpu0] mark_txdone_free", // 46. Return the buffer to the free list.
        "sender[cpu0] xfer_put", // 47. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=false)", // 48. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 49. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 50. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] mark_txdone_reset_status", // 51. put_free: reset the status before returning the buffer.
        "sender[cpu1] mark_txdone_free", // 52. Return the buffer to the free list.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-proposal-conservation-contexts.json", beside: #filePath, story: Self.story)
    }

    func testV4ProposalViolatesConservationAtStep52() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4-proposal"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "conservation"), 52, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [20, 22, 23, 24, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 45, 46, 47, 48, 49, 50, 51, 52], "\(outcome)")
    }
}
