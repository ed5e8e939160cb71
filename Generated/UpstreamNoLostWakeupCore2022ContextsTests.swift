import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// upstream violates no-lost-wakeup after 46 steps.
///
/// - Variant: upstream
/// - Invariant: no-lost-wakeup
/// - Depth: 46
/// - Configuration: 2 CPUs, 2 buffers, 2022 core, contexts on (irq-cpu any)
/// - Trace: Traces/upstream-no-lost-wakeup-core2022-contexts.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
///
/// Finding: the implementation cannot follow this trace: step 38 (sender[cpu1] send_message): users[msg1]: expected 2, actual 1.
/// The model and the code disagree here; the test pins the disagreement until one of them changes.
final class UpstreamNoLostWakeupCore2022ContextsTests: XCTestCase {
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
        "sender[cpu0] decide_timeout", // 23. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu0] fetch_response", // 24. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
        "sender[cpu0] mark_txdone_read_priv", // 25. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] mark_txdone_release", // 26. Release the transfer's reference; at zero the buffer is freed.
        "sender[cpu0] mark_txdone_decide", // 27. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu0] mark_txdone_release_poll_ref", // 28. Release the poll path's reference; at zero the buffer is freed.
        "sender[cpu0] mark_txdone_free", // 29. Return the buffer to the free list.
        "sender[cpu0] xfer_put", // 30. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 31. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 32. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "irq release_msg", // 33. Release the path's reference; at zero the buffer is freed.
        "irq free_msg", // 34. Return the buffer to the free list.
        "irq get_buf(on=cpu1)", // 35. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "sender[cpu1] get_free_msg", // 36. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 37. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] send_message", // 38. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "device reply(m=msg1)", // 39. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf(on=cpu1)", // 40. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "irq set_rx_len", // 41. Record the reply's length.
        "irq acquire_xfer", // 42. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 43. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 44. Fetch the reply from xfer->priv into the transfer.
        "irq complete_xfer", // 45. Complete xfer->done and drop the transfer reference.
        "irq release_msg", // 46. Release the path's reference; at zero the buffer is freed.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("upstream-no-lost-wakeup-core2022-contexts.json", beside: #filePath, story: Self.story)
    }

    func testUpstreamDivergesFromTheTraceAsRecorded() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("upstream"))
        XCTAssertEqual(outcome.divergence?.description, "step 38 (sender[cpu1] send_message): users[msg1]: expected 2, actual 1", "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [27, 28, 29, 30, 31, 32, 37], "\(outcome)")
    }
}
