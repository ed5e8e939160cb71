import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4-proposal violates no-lost-wakeup after 57 steps.
///
/// - Variant: v4-proposal
/// - Invariant: no-lost-wakeup
/// - Depth: 57
/// - Configuration: 2 CPUs, 2 buffers, 2022 core, contexts on (irq-cpu any)
/// - Trace: Traces/v4-proposal-no-lost-wakeup-contexts.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class V4ProposalNoLostWakeupContextsTests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=false)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] start(polled=true)", // 2. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 3. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 4. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] get_free_msg", // 5. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 6. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] poll_done_read_priv", // 7. msg = xfer->priv; no buffer bound means done.
        "sender[cpu1] poll_done_check_status", // 8. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu1] poll_done_nothing_new", // 9. The used index has not moved since poll_idx: not yet.
        "device reply(m=msg1)", // 10. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf(on=cpu0)", // 11. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "irq set_rx_len", // 12. Record the reply's length.
        "irq acquire_xfer", // 13. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 14. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 15. Fetch the reply from xfer->priv into the transfer.
        "timer[cpu1] deadline_passes", // 16. The transfer's timeout expires.
        "sender[cpu1] poll_loop_check", // 17. poll_done said no: stop if done completed (try_wait_for_completion) or the deadline passed, else poll again.
        "sender[cpu1] decide_timeout", // 18. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu1] mark_txdone_read_priv", // 19. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "irq clear_xfer_priv", // 20. v4's core unbinds the buffer right after fetching: xfer->priv = NULL.
        "irq complete_xfer", // 21. Complete xfer->done and drop the transfer reference.
        "irq reset_status", // 22. put_free: reset the status before returning the buffer.
        "irq free_msg", // 23. Return the buffer to the free list.
        "irq get_buf(on=cpu0)", // 24. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "device reply(m=msg0)", // 25. Return a request with its reply on the used ring; the used index moves.
        "timer[cpu0] deadline_passes", // 26. The transfer's timeout expires.
        "sender[cpu0] wait_for_completion", // 27. The reply's completion, or the timeout.
        "sender[cpu0] mark_txdone_read_priv", // 28. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 29. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 30. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 31. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 32. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] mark_txdone_decide", // 33. Under poll_lock: free if not timed out or POLL_DONE; else a POLLING buffer becomes POLL_TIMEOUT.
        "sender[cpu1] xfer_put", // 34. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu1] start(polled=true)", // 35. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "irq get_buf(on=cpu0)", // 36. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "irq set_rx_len", // 37. Record the reply's length.
        "irq acquire_xfer", // 38. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq reset_status", // 39. put_free: reset the status before returning the buffer.
        "irq free_msg", // 40. Return the buffer to the free list.
        "sender[cpu1] get_free_msg", // 41. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 42. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] poll_done_read_priv", // 43. msg = xfer->priv; no buffer bound means done.
        "sender[cpu1] poll_done_check_status", // 44. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "device reply(m=msg1)", // 45. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu1] poll_done_lock", // 46. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu1] poll_done_get_buf", // 47. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu1] poll_done_set_rx_len", // 48. Record the reply's length in the dequeued buffer.
        "sender[cpu1] poll_done_classify", // 49. Under next_msg's poll_lock: the own buffer is marked POLL_DONE and found; NOT_POLLED or POLL_TIMEOUT goes to the pending list; another polled buffer is marked POLL_DONE.
        "sender[cpu1] poll_done_append_pending", // 50. Hand the dequeued buffer to the deferred worker.
        "sender[cpu1] poll_done_get_buf", // 51. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu1] poll_done_finish", // 52. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "worker start(on=cpu1)", // 53. The queued work runs and takes pending_lock for the drain. Its kernel thread runs on CPU `on` (an unbound workqueue, any CPU: virtio.c scmi_vio_probe() allocates it WQ_UNBOUND).
        "worker next_pending", // 54. Take the next pending buffer; with none left, drop pending_lock and run complete_cb.
        "worker check_status", // 55. A POLL_TIMEOUT buffer is freed without delivery; any other is delivered.
        "worker p_reset_status", // 56. put_free: reset the status before returning the buffer.
        "worker p_free_msg", // 57. Return the buffer to the free list.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-proposal-no-lost-wakeup-contexts.json", beside: #filePath, story: Self.story)
    }

    func testV4ProposalViolatesNoLostWakeupAtStep57() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4-proposal"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-lost-wakeup"), 57, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [20, 22, 23, 24, 27, 28, 29, 30, 31, 32, 36, 37, 38, 39, 40, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57], "\(outcome)")
    }
}
