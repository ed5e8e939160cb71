import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// upstream violates no-lost-wakeup after 45 steps.
///
/// - Variant: upstream
/// - Invariant: no-lost-wakeup
/// - Depth: 45
/// - Configuration: 2 CPUs, 2 buffers, current core, contexts on (irq-cpu any)
/// - Trace: Traces/upstream-no-lost-wakeup-contexts.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
///
/// Finding: the implementation cannot follow this trace: step 37 (sender[cpu1] send_message): users[msg1]: expected 2, actual 1.
/// The model and the code disagree here; the test pins the disagreement until one of them changes.
final class UpstreamNoLostWakeupContextsTests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=false)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] start(polled=false)", // 2. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 3. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 4. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "timer[cpu0] deadline_passes", // 5. The transfer's timeout expires.
        "sender[cpu0] wait_for_completion", // 6. The reply's completion, or the timeout.
        "sender[cpu0] mark_txdone_read_priv", // 7. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 8. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 9. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 10. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 11. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 12. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 13. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] poll_done_nothing_new", // 14. The used index has not moved since poll_idx: not yet.
        "device reply(m=msg1)", // 15. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf(on=cpu1)", // 16. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "irq set_rx_len", // 17. Record the reply's length.
        "irq acquire_xfer", // 18. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 19. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 20. Fetch the reply from xfer->priv into the transfer.
        "irq complete_xfer", // 21. Complete xfer->done and drop the transfer reference.
        "sender[cpu0] poll_loop_check", // 22. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "sender[cpu0] fetch_response", // 23. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
        "sender[cpu0] mark_txdone_read_priv", // 24. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] mark_txdone_release", // 25. Release the transfer's reference; at zero the buffer is freed.
        "sender[cpu0] mark_txdone_decide", // 26. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu0] mark_txdone_release_poll_ref", // 27. Release the poll path's reference; at zero the buffer is freed.
        "sender[cpu0] mark_txdone_free", // 28. Return the buffer to the free list.
        "sender[cpu0] xfer_put", // 29. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 30. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 31. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "irq release_msg", // 32. Release the path's reference; at zero the buffer is freed.
        "irq free_msg", // 33. Return the buffer to the free list.
        "irq get_buf(on=cpu1)", // 34. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "sender[cpu1] get_free_msg", // 35. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 36. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] send_message", // 37. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "device reply(m=msg1)", // 38. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf(on=cpu1)", // 39. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "irq set_rx_len", // 40. Record the reply's length.
        "irq acquire_xfer", // 41. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 42. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 43. Fetch the reply from xfer->priv into the transfer.
        "irq complete_xfer", // 44. Complete xfer->done and drop the transfer reference.
        "irq release_msg", // 45. Release the path's reference; at zero the buffer is freed.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("upstream-no-lost-wakeup-contexts.json", beside: #filePath, story: Self.story)
    }

    func testUpstreamDivergesFromTheTraceAsRecorded() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("upstream"))
        XCTAssertEqual(outcome.divergence?.description, "step 37 (sender[cpu1] send_message): users[msg1]: expected 2, actual 1", "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [26, 27, 28, 29, 30, 31, 36], "\(outcome)")
    }
}
