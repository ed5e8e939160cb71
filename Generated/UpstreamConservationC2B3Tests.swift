import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// upstream violates conservation after 35 steps.
///
/// - Variant: upstream
/// - Invariant: conservation
/// - Depth: 35
/// - Configuration: 2 CPUs, 3 buffers, current core
/// - Trace: Traces/upstream-conservation-c2b3.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class UpstreamConservationC2B3Tests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=false)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] start(polled=false)", // 2. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 3. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 4. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] get_free_msg", // 5. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "timer[cpu0] deadline_passes", // 6. The transfer's timeout expires.
        "sender[cpu0] wait_for_completion", // 7. The reply's completion, or the timeout.
        "sender[cpu0] mark_txdone_read_priv", // 8. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 9. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 10. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 11. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 12. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 13. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 14. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] poll_done_nothing_new", // 15. The used index has not moved since poll_idx: not yet.
        "device reply(m=msg2)", // 16. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 17. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 18. Record the reply's length.
        "irq acquire_xfer", // 19. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 20. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 21. Fetch the reply from xfer->priv into the transfer.
        "irq complete_xfer", // 22. Complete xfer->done and drop the transfer reference.
        "sender[cpu0] poll_loop_check", // 23. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "sender[cpu0] fetch_response", // 24. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
        "sender[cpu0] mark_txdone_read_priv", // 25. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] mark_txdone_release", // 26. Release the transfer's reference; at zero the buffer is freed.
        "sender[cpu0] mark_txdone_decide", // 27. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu0] mark_txdone_release_poll_ref", // 28. Release the poll path's reference; at zero the buffer is freed.
        "sender[cpu0] mark_txdone_free", // 29. Return the buffer to the free list.
        "sender[cpu0] xfer_put", // 30. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=false)", // 31. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 32. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 33. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "irq release_msg", // 34. Release the path's reference; at zero the buffer is freed.
        "irq free_msg", // 35. Return the buffer to the free list.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("upstream-conservation-c2b3.json", beside: #filePath, story: Self.story)
    }

    func testUpstreamViolatesConservationAtStep35() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("upstream"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "conservation"), 35, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [27, 28, 29, 30, 31, 32, 33], "\(outcome)")
    }
}
