import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4 violates no-lost-wakeup after 30 steps.
///
/// - Variant: v4
/// - Invariant: no-lost-wakeup
/// - Depth: 30
/// - Configuration: 2 CPUs, 2 buffers, 2022 core, contexts on (irq-cpu any)
/// - Trace: Traces/v4-no-lost-wakeup-contexts.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class V4NoLostWakeupContextsTests: XCTestCase {
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
        "device reply(m=msg1)", // 9. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf(on=cpu1)", // 10. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "irq set_rx_len", // 11. Record the reply's length.
        "irq acquire_xfer", // 12. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 13. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 14. Fetch the reply from xfer->priv into the transfer.
        "irq clear_xfer_priv", // 15. v4's core unbinds the buffer right after fetching: xfer->priv = NULL.
        "irq complete_xfer", // 16. Complete xfer->done and drop the transfer reference.
        "irq reset_status", // 17. put_free: reset the status before returning the buffer.
        "irq free_msg", // 18. Return the buffer to the free list.
        "irq get_buf(on=cpu1)", // 19. The handler interrupts CPU `on` (when it starts: the used ring is not empty and that CPU takes interrupts), then, under the channel lock, dequeues the next used buffer; an empty ring ends the handler.
        "timer[cpu0] deadline_passes", // 20. The transfer's timeout expires.
        "sender[cpu0] wait_for_completion", // 21. The reply's completion, or the timeout.
        "sender[cpu0] mark_txdone_read_priv", // 22. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 23. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=true)", // 24. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 25. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 26. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "device reply(m=msg1)", // 27. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu1] poll_done_lock", // 28. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu1] poll_done_get_buf", // 29. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu1] poll_done_set_rx_len", // 30. Record the reply's length in the dequeued buffer.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-no-lost-wakeup-contexts.json", beside: #filePath, story: Self.story)
    }

    func testV4ViolatesNoLostWakeupAtStep30() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-lost-wakeup"), 30, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [15, 17, 18, 19, 26, 27, 28, 29, 30], "\(outcome)")
    }
}
