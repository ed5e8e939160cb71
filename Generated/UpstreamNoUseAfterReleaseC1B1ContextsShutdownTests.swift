import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// upstream violates no-use-after-release after 24 steps.
///
/// - Variant: upstream
/// - Invariant: no-use-after-release
/// - Depth: 24
/// - Configuration: 1 CPU, 1 buffer, current core, contexts on (irq-cpu any), shutdown on
/// - Trace: Traces/upstream-no-use-after-release-c1b1-contexts-shutdown.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class UpstreamNoUseAfterReleaseC1B1ContextsShutdownTests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=true)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 2. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 3. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 4. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 5. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] poll_done_nothing_new", // 6. The used index has not moved since poll_idx: not yet.
        "timer[cpu0] deadline_passes", // 7. The transfer's timeout expires.
        "sender[cpu0] poll_loop_check", // 8. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "sender[cpu0] poll_done_read_priv", // 9. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 10. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] poll_done_nothing_new", // 11. The used index has not moved since poll_idx: not yet.
        "sender[cpu0] mark_txdone_read_priv", // 12. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] mark_txdone_release", // 13. Release the transfer's reference; at zero the buffer is freed.
        "device reply(m=msg0)", // 14. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf(on=cpu0)", // 15. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "irq set_rx_len", // 16. Record the reply's length.
        "irq acquire_xfer", // 17. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 18. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 19. Fetch the reply from xfer->priv into the transfer.
        "irq complete_xfer", // 20. Complete xfer->done and drop the transfer reference.
        "irq release_msg", // 21. Release the path's reference; at zero the buffer is freed.
        "irq free_msg", // 22. Return the buffer to the free list.
        "irq get_buf(on=cpu0)", // 23. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "sender[cpu0] mark_txdone_decide", // 24. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("upstream-no-use-after-release-c1b1-contexts-shutdown.json", beside: #filePath, story: Self.story)
    }

    func testUpstreamViolatesNoUseAfterReleaseAtStep24() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("upstream"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-use-after-release"), 24, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [17, 18, 19, 20, 21, 22, 23, 24], "\(outcome)")
    }
}
