import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4 violates no-use-after-release after 15 steps.
///
/// - Variant: v4
/// - Invariant: no-use-after-release
/// - Depth: 15
/// - Configuration: 2 CPUs, 3 buffers, 2022 core
/// - Trace: Traces/v4-no-use-after-release-c2b3.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class V4NoUseAfterReleaseC2B3Tests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=true)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 2. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 3. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 4. msg = xfer->priv; no buffer bound means done.
        "device reply(m=msg0)", // 5. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 6. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 7. Record the reply's length.
        "irq acquire_xfer", // 8. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 9. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 10. Fetch the reply from xfer->priv into the transfer.
        "irq clear_xfer_priv", // 11. v4's core unbinds the buffer right after fetching: xfer->priv = NULL.
        "irq complete_xfer", // 12. Complete xfer->done and drop the transfer reference.
        "irq reset_status", // 13. put_free: reset the status before returning the buffer.
        "irq free_msg", // 14. Return the buffer to the free list.
        "sender[cpu0] poll_done_check_status", // 15. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-no-use-after-release-c2b3.json", beside: #filePath, story: Self.story)
    }

    func testV4ViolatesNoUseAfterReleaseAtStep15() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "no-use-after-release"), 15, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [11, 13, 14], "\(outcome)")
    }
}
