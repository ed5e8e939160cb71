import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// upstream violates conservation after 28 steps.
///
/// - Variant: upstream
/// - Invariant: conservation
/// - Depth: 28
/// - Configuration: 2 CPUs, 2 buffers, current core, contexts on (irq-cpu any)
/// - Trace: Traces/upstream-conservation-contexts.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class UpstreamConservationContextsTests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=false)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] start(polled=true)", // 2. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 3. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] get_free_msg", // 4. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 5. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] poll_done_read_priv", // 6. msg = xfer->priv; no buffer bound means done.
        "sender[cpu1] poll_done_check_status", // 7. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu1] poll_done_nothing_new", // 8. The used index has not moved since poll_idx: not yet.
        "device reply(m=msg1)", // 9. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf(on=cpu0)", // 10. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "irq set_rx_len", // 11. Record the reply's length.
        "irq acquire_xfer", // 12. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 13. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 14. Fetch the reply from xfer->priv into the transfer.
        "irq complete_xfer", // 15. Complete xfer->done and drop the transfer reference.
        "sender[cpu1] poll_loop_check", // 16. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "sender[cpu1] fetch_response", // 17. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
        "sender[cpu1] mark_txdone_read_priv", // 18. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu1] mark_txdone_release", // 19. Release the transfer's reference; at zero the buffer is freed.
        "sender[cpu1] mark_txdone_decide", // 20. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu1] mark_txdone_release_poll_ref", // 21. Release the poll path's reference; at zero the buffer is freed.
        "sender[cpu1] mark_txdone_free", // 22. Return the buffer to the free list.
        "sender[cpu1] xfer_put", // 23. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu1] start(polled=false)", // 24. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] get_free_msg", // 25. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 26. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "irq release_msg", // 27. Release the path's reference; at zero the buffer is freed.
        "irq free_msg", // 28. Return the buffer to the free list.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("upstream-conservation-contexts.json", beside: #filePath, story: Self.story)
    }

    func testUpstreamViolatesConservationAtStep28() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("upstream"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "conservation"), 28, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [20, 21, 22, 23, 24, 25, 26], "\(outcome)")
    }
}
