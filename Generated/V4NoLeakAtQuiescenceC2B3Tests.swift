import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4 violates no-leak-at-quiescence after 14 steps.
///
/// - Variant: v4
/// - Invariant: no-leak-at-quiescence
/// - Depth: 14
/// - Configuration: 2 CPUs, 3 buffers, 2022 core
/// - Trace: Traces/v4-no-leak-at-quiescence-c2b3.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class V4NoLeakAtQuiescenceC2B3Tests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=true)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 2. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 3. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 4. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 5. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "device reply(m=msg0)", // 6. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu0] poll_done_lock", // 7. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu0] poll_done_get_buf", // 8. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu0] poll_done_set_rx_len", // 9. Record the reply's length in the dequeued buffer.
        "sender[cpu0] poll_done_finish", // 10. Re-arm: found → pending = !enable_cb(); else poll_idx = enable_cb_prepare(), pending = poll(poll_idx); queue the worker if needed; unlock.
        "timer[cpu0] deadline_passes", // 11. The transfer's timeout expires.
        "sender[cpu0] decide_timeout", // 12. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu0] mark_txdone_read_priv", // 13. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 14. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-no-leak-at-quiescence-c2b3.json", beside: #filePath, story: Self.story)
    }

    func testV4ViolatesNoLeakAtQuiescenceAtStep14() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-leak-at-quiescence"), 14, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [], "\(outcome)")
    }
}
