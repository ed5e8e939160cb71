import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// upstream violates exactly-once-delivery after 16 steps.
///
/// - Variant: upstream
/// - Invariant: exactly-once-delivery
/// - Depth: 16
/// - Configuration: 2 CPUs, 3 buffers, 2022 core
/// - Trace: Traces/upstream-exactly-once-delivery-c2b3-core2022.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class UpstreamExactlyOnceDeliveryC2B3Core2022Tests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=true)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu1] start(polled=true)", // 2. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 3. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 4. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 5. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 6. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu1] get_free_msg", // 7. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu1] send_message", // 8. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu1] poll_done_read_priv", // 9. msg = xfer->priv; no buffer bound means done.
        "device reply(m=msg1)", // 10. Return a request with its reply on the used ring; the used index moves.
        "sender[cpu0] poll_done_lock", // 11. The used index moved: take the channel lock to drain the used ring.
        "sender[cpu0] poll_done_get_buf", // 12. Dequeue the next used buffer, or end the drain when the ring is empty.
        "sender[cpu0] poll_done_mark_done", // 13. Under next_msg's poll_lock: a POLLING buffer becomes POLL_DONE, and this call remembers it did it.
        "sender[cpu1] poll_done_check_status", // 14. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu1] decide_timeout", // 15. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu1] fetch_response", // 16. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("upstream-exactly-once-delivery-c2b3-core2022.json", beside: #filePath, story: Self.story)
    }

    func testUpstreamViolatesExactlyOnceDeliveryAtStep16() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("upstream"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "exactly-once-delivery"), 16, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [13], "\(outcome)")
    }
}
