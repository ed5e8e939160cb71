import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4 violates no-lost-wakeup after 22 steps.
///
/// - Variant: v4
/// - Invariant: no-lost-wakeup
/// - Depth: 22
/// - Configuration: 2 CPUs, 1 buffer, described core, shutdown on
/// - Trace: Traces/v4-no-lost-wakeup-c2b1-coredescribed-shutdown.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class V4NoLostWakeupC2B1CoreDescribedShutdownTests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=true)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] start(polled=true)", // 2. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 3. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 4. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 5. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 6. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "device reply(m=msg0)", // 7. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 8. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 9. Record the reply's length.
        "irq acquire_xfer", // 10. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 11. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 12. Fetch the reply from xfer->priv into the transfer.
        "irq clear_xfer_priv", // 13. v4's core unbinds the buffer right after fetching: xfer->priv = NULL.
        "irq complete_xfer", // 14. Complete xfer->done and drop the transfer reference.
        "irq reset_status", // 15. put_free: reset the status before returning the buffer.
        "irq free_msg", // 16. Return the buffer to the free list.
        "sender[cpu1] get_free_msg", // 17. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 18. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "device reply(m=msg0)", // 19. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu0] poll_done_lock", // 20. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu0] poll_done_get_buf", // 21. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu0] poll_done_set_rx_len", // 22. Record the reply's length in the dequeued buffer.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-no-lost-wakeup-c2b1-coredescribed-shutdown.json", beside: #filePath, story: Self.story)
    }

    func testV4ViolatesNoLostWakeupAtStep22() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-lost-wakeup"), 22, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [13, 15, 16, 18, 19, 22], "\(outcome)")
    }
}
