import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4-proposal violates no-double-free after 36 steps.
///
/// - Variant: v4-proposal
/// - Invariant: no-double-free
/// - Depth: 36
/// - Configuration: 1 CPU, 1 buffer, 2022 core, 1 token reused
/// - Trace: Traces/v4-proposal-no-double-free-c1b1-tokens1.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class V4ProposalNoDoubleFreeC1B1Tokens1Tests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=false)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 2. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 3. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "device reply(m=msg0)", // 4. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 5. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 6. Record the reply's length.
        "timer[cpu0] deadline_passes", // 7. The transfer's timeout expires.
        "sender[cpu0] wait_for_completion", // 8. The reply's completion, or the timeout.
        "sender[cpu0] mark_txdone_read_priv", // 9. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 10. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 11. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "irq acquire_xfer", // 12. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 13. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 14. Fetch the reply from xfer->priv into the transfer.
        "irq clear_xfer_priv", // 15. v4's core unbinds the buffer right after fetching: xfer->priv = NULL.
        "irq complete_xfer", // 16. Complete xfer->done and drop the transfer reference.
        "irq reset_status", // 17. put_free: reset the status before returning the buffer.
        "irq free_msg", // 18. Return the buffer to the free list.
        "sender[cpu0] get_free_msg", // 19. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 20. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 21. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 22. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] poll_done_nothing_new", // 23. The used index has not moved since poll_idx: not yet.
        "sender[cpu0] poll_loop_check", // 24. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "sender[cpu0] decide_timeout", // 25. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu0] fetch_response", // 26. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
        "sender[cpu0] mark_txdone_read_priv", // 27. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] mark_txdone_decide", // 28. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu0] mark_txdone_reset_status", // 29. put_free: reset the status before returning the buffer.
        "sender[cpu0] mark_txdone_free", // 30. Return the buffer to the free list.
        "device reply(m=msg0)", // 31. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 32. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 33. Record the reply's length.
        "irq acquire_xfer", // 34. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq reset_status", // 35. put_free: reset the status before returning the buffer.
        "irq free_msg", // 36. Return the buffer to the free list.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-proposal-no-double-free-c1b1-tokens1.json", beside: #filePath, story: Self.story)
    }

    func testV4ProposalViolatesNoDoubleFreeAtStep36() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4-proposal"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-double-free"), 36, "\(outcome)")
    }

    func testFixedAlsoViolatesExactlyOnceDeliveryOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        let firsts = Dictionary(uniqueKeysWithValues: outcome.record.violatedInvariants.map { ($0, outcome.record.firstViolation(of: $0)!) })
        XCTAssertEqual(firsts, ["exactly-once-delivery": 14], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [15, 17, 18, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36], "\(outcome)")
    }
}
