import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// upstream violates no-leak-at-quiescence after 39 steps.
///
/// - Variant: upstream
/// - Invariant: no-leak-at-quiescence
/// - Depth: 39
/// - Configuration: 2 CPUs, 1 buffer, 2022 core, shutdown on
/// - Trace: Traces/upstream-no-leak-at-quiescence-c2b1-core2022-shutdown.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class UpstreamNoLeakAtQuiescenceC2B1Core2022ShutdownTests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=true)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] start(polled=true)", // 2. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 3. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 4. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 5. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 6. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] poll_done_nothing_new", // 7. The used index has not moved since poll_idx: not yet.
        "device reply(m=msg0)", // 8. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 9. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 10. Record the reply's length.
        "irq acquire_xfer", // 11. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 12. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 13. Fetch the reply from xfer->priv into the transfer.
        "irq complete_xfer", // 14. Complete xfer->done and drop the transfer reference.
        "sender[cpu0] poll_loop_check", // 15. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "timer[cpu0] deadline_passes", // 16. The transfer's timeout expires.
        "sender[cpu0] decide_timeout", // 17. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu0] mark_txdone_read_priv", // 18. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] mark_txdone_release", // 19. Release the transfer's reference; at zero the buffer is freed.
        "irq release_msg", // 20. Release the path's reference; at zero the buffer is freed.
        "irq free_msg", // 21. Return the buffer to the free list.
        "sender[cpu1] get_free_msg", // 22. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 23. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] poll_done_read_priv", // 24. msg = xfer->priv; no buffer bound means done.
        "sender[cpu1] poll_done_check_status", // 25. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] mark_txdone_decide", // 26. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu0] xfer_put", // 27. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "device reply(m=msg0)", // 28. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu1] poll_done_lock", // 29. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu1] poll_done_get_buf", // 30. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu1] poll_done_mark_done", // 31. Under next_msg's poll_lock: a POLLING buffer becomes POLL_DONE, and this call remembers it did it.
        "sender[cpu1] poll_done_set_rx_len", // 32. Record the reply's length in the dequeued buffer.
        "sender[cpu1] poll_done_finish", // 33. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "timer[cpu1] deadline_passes", // 34. The transfer's timeout expires.
        "sender[cpu1] decide_timeout", // 35. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu1] mark_txdone_read_priv", // 36. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu1] mark_txdone_release", // 37. Release the transfer's reference; at zero the buffer is freed.
        "sender[cpu1] mark_txdone_decide", // 38. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu1] xfer_put", // 39. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("upstream-no-leak-at-quiescence-c2b1-core2022-shutdown.json", beside: #filePath, story: Self.story)
    }

    func testUpstreamViolatesNoLeakAtQuiescenceAtStep39() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("upstream"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-leak-at-quiescence"), 39, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [26, 27, 32, 33, 34, 35, 36, 37, 38, 39], "\(outcome)")
    }
}
