import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4-proposal violates no-leak-at-quiescence after 46 steps.
///
/// - Variant: v4-proposal
/// - Invariant: no-leak-at-quiescence
/// - Depth: 46
/// - Configuration: 2 CPUs, 2 buffers, 2022 core, contexts on (irq-cpu any)
/// - Trace: Traces/v4-proposal-no-leak-at-quiescence-contexts.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
///
/// Finding: the implementation follows every step but records no-leak-at-quiescence nowhere, not at step 46;
/// it records no violation. The model and the code judge this run differently; the test pins
/// what the implementation records until one of them changes.
final class V4ProposalNoLeakAtQuiescenceContextsTests: XCTestCase {
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
        "device reply(m=msg1)", // 14. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf(on=cpu0)", // 15. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
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
        "irq get_buf(on=cpu0)", // 26. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "device reply(m=msg1)", // 27. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu0] poll_done_lock", // 28. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu0] poll_done_get_buf", // 29. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu0] poll_done_set_rx_len", // 30. Record the reply's length in the dequeued buffer.
        "sender[cpu0] poll_done_classify", // 31. Under next_msg's poll_lock: the own buffer is marked POLL_DONE and found; NOT_POLLED or POLL_TIMEOUT goes to the pending list; another polled buffer is marked POLL_DONE.
        "sender[cpu0] poll_done_finish", // 32. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "sender[cpu0] decide_timeout", // 33. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu0] fetch_response", // 34. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
        "sender[cpu0] mark_txdone_read_priv", // 35. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 36. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "device reply(m=msg0)", // 37. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf(on=cpu0)", // 38. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "irq set_rx_len", // 39. Record the reply's length.
        "irq acquire_xfer", // 40. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq reset_status", // 41. put_free: reset the status before returning the buffer.
        "irq free_msg", // 42. Return the buffer to the free list.
        "timer[cpu1] deadline_passes", // 43. The transfer's timeout expires.
        "sender[cpu1] wait_for_completion", // 44. The reply's completion, or the timeout.
        "sender[cpu1] mark_txdone_read_priv", // 45. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu1] xfer_put", // 46. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-proposal-no-leak-at-quiescence-contexts.json", beside: #filePath, story: Self.story)
    }

    func testV4ProposalFollowsTheTraceButRecordsOtherViolations() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4-proposal"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-leak-at-quiescence"), nil, "\(outcome)")
        XCTAssertEqual(outcome.record.violatedInvariants, [], "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [20, 22, 23, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 38, 39, 40, 41, 42, 43, 44, 45, 46], "\(outcome)")
    }
}
