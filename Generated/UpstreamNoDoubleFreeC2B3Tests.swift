import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// upstream violates no-double-free after 20 steps.
///
/// - Variant: upstream
/// - Invariant: no-double-free
/// - Depth: 20
/// - Configuration: 2 CPUs, 3 buffers, current core
/// - Trace: Traces/upstream-no-double-free-c2b3.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class UpstreamNoDoubleFreeC2B3Tests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=true)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 2. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 3. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 4. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 5. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] poll_done_nothing_new", // 6. The used index has not moved since poll_idx: not yet.
        "device reply(m=msg0)", // 7. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 8. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 9. Record the reply's length.
        "irq acquire_xfer", // 10. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 11. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 12. Fetch the reply from xfer->priv into the transfer.
        "irq complete_xfer", // 13. Complete xfer->done and drop the transfer reference.
        "sender[cpu0] poll_loop_check", // 14. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "sender[cpu0] fetch_response", // 15. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
        "sender[cpu0] mark_txdone_read_priv", // 16. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] mark_txdone_release", // 17. Release the transfer's reference; at zero the buffer is freed.
        "sender[cpu0] mark_txdone_decide", // 18. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu0] mark_txdone_release_poll_ref", // 19. Release the poll path's reference; at zero the buffer is freed.
        "irq release_msg", // 20. Release the path's reference; at zero the buffer is freed.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("upstream-no-double-free-c2b3.json", beside: #filePath, story: Self.story)
    }

    func testUpstreamViolatesNoDoubleFreeAtStep20() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("upstream"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-double-free"), 20, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [18, 19], "\(outcome)")
    }
}
