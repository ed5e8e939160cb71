import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// upstream violates no-lost-wakeup after 38 steps.
///
/// - Variant: upstream
/// - Invariant: no-lost-wakeup
/// - Depth: 38
/// - Configuration: 2 CPUs, 1 buffer, 2022 core, shutdown on
/// - Trace: Traces/upstream-no-lost-wakeup-c2b1-core2022-shutdown.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
///
/// Finding: the implementation cannot follow this trace: step 30 (sender[cpu0] send_message): users[msg0]: expected 2, actual 1.
/// The model and the code disagree here; the test pins the disagreement until one of them changes.
final class UpstreamNoLostWakeupC2B1Core2022ShutdownTests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=false)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] start(polled=true)", // 2. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] get_free_msg", // 3. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 4. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] poll_done_read_priv", // 5. msg = xfer->priv; no buffer bound means done.
        "sender[cpu1] poll_done_check_status", // 6. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu1] poll_done_nothing_new", // 7. The used index has not moved since poll_idx: not yet.
        "device reply(m=msg0)", // 8. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 9. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 10. Record the reply's length.
        "irq acquire_xfer", // 11. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 12. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 13. Fetch the reply from xfer->priv into the transfer.
        "irq complete_xfer", // 14. Complete xfer->done and drop the transfer reference.
        "sender[cpu1] poll_loop_check", // 15. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "sender[cpu1] decide_timeout", // 16. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu1] fetch_response", // 17. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
        "sender[cpu1] mark_txdone_read_priv", // 18. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu1] mark_txdone_release", // 19. Release the transfer's reference; at zero the buffer is freed.
        "sender[cpu1] mark_txdone_decide", // 20. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu1] mark_txdone_release_poll_ref", // 21. Release the poll path's reference; at zero the buffer is freed.
        "sender[cpu1] mark_txdone_free", // 22. Return the buffer to the free list.
        "sender[cpu1] xfer_put", // 23. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu1] start(polled=true)", // 24. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 25. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "irq release_msg", // 26. Release the path's reference; at zero the buffer is freed.
        "irq free_msg", // 27. Return the buffer to the free list.
        "sender[cpu1] get_free_msg", // 28. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 29. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] send_message", // 30. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "device reply(m=msg0)", // 31. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 32. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 33. Record the reply's length.
        "irq acquire_xfer", // 34. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 35. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 36. Fetch the reply from xfer->priv into the transfer.
        "irq complete_xfer", // 37. Complete xfer->done and drop the transfer reference.
        "irq release_msg", // 38. Release the path's reference; at zero the buffer is freed.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("upstream-no-lost-wakeup-c2b1-core2022-shutdown.json", beside: #filePath, story: Self.story)
    }

    func testUpstreamDivergesFromTheTraceAsRecorded() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("upstream"))
        XCTAssertEqual(outcome.divergence?.description, "step 30 (sender[cpu0] send_message): users[msg0]: expected 2, actual 1", "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [20, 21, 22, 23, 24, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38], "\(outcome)")
    }
}
