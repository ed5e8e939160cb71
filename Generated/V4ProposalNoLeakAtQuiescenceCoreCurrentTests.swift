import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4-proposal violates no-leak-at-quiescence after 45 steps.
///
/// - Variant: v4-proposal
/// - Invariant: no-leak-at-quiescence
/// - Depth: 45
/// - Configuration: 2 CPUs, 2 buffers, current core
/// - Trace: Traces/v4-proposal-no-leak-at-quiescence-corecurrent.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class V4ProposalNoLeakAtQuiescenceCoreCurrentTests: XCTestCase {
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
        "irq get_buf", // 15. Under the channel lock, dequeue the next used buffer.
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
        "device reply(m=msg1)", // 26. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu0] poll_done_lock", // 27. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu0] poll_done_get_buf", // 28. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu0] poll_done_set_rx_len", // 29. Record the reply's length in the dequeued buffer.
        "sender[cpu0] poll_done_classify", // 30. Under next_msg's poll_lock: the own buffer is marked POLL_DONE and found; NOT_POLLED or POLL_TIMEOUT goes to the pending list; another polled buffer is marked POLL_DONE.
        "sender[cpu0] poll_done_finish", // 31. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "sender[cpu0] poll_done_read_priv", // 32. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] fetch_response", // 33. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
        "sender[cpu0] mark_txdone_read_priv", // 34. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 35. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "device reply(m=msg0)", // 36. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 37. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 38. Record the reply's length.
        "irq acquire_xfer", // 39. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq reset_status", // 40. put_free: reset the status before returning the buffer.
        "irq free_msg", // 41. Return the buffer to the free list.
        "timer[cpu1] deadline_passes", // 42. The transfer's timeout expires.
        "sender[cpu1] wait_for_completion", // 43. The reply's completion, or the timeout.
        "sender[cpu1] mark_txdone_read_priv", // 44. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu1] xfer_put", // 45. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-proposal-no-leak-at-quiescence-corecurrent.json", beside: #filePath, story: Self.story)
    }

    func testV4ProposalViolatesNoLeakAtQuiescenceAtStep45() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4-proposal"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-leak-at-quiescence"), 45, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [20, 22, 23, 25, 26, 29, 30, 31, 32, 33, 34, 35, 37, 38, 39, 40, 41, 42, 43, 44, 45], "\(outcome)")
    }
}
