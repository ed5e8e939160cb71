import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// upstream violates exactly-once-delivery after 14 steps.
///
/// - Variant: upstream
/// - Invariant: exactly-once-delivery
/// - Depth: 14
/// - Configuration: 1 CPU, 1 buffer, 2022 core, 1 token reused
/// - Trace: Traces/upstream-exactly-once-delivery-c1b1-core2022-tokens1.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class UpstreamExactlyOnceDeliveryC1B1Core2022Tokens1Tests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=false)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 2. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 3. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "device reply(m=msg0)", // 4. Return a request with its reply on the used ring; the used index moves.
        "irq get_buf", // 5. Under the channel lock, dequeue the next used buffer.
        "irq set_rx_len", // 6. Record the reply's length.
        "timer[cpu0] deadline_passes", // 7. The transfer's timeout expires.
        "sender[cpu0] wait_for_completion", // 8. The reply's completion, or the timeout.
        "sender[cpu0] mark_txdone_read_priv", // 9. msg = xfer->priv; unbind it (xfer->priv = NULL).
        "sender[cpu0] xfer_put", // 10. Release the transfer: its token no longer matches any reply; a delivery still holding it writes to a detached transfer.
        "sender[cpu0] start(polled=false)", // 11. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "irq acquire_xfer", // 12. Look up the pending transfer by the reply's token; if it is still SENT_OK, take it (RESP_OK); else drop the reply.
        "irq set_xfer_priv", // 13. Bind the buffer to the transfer: xfer->priv = msg.
        "irq fetch_response", // 14. Fetch the reply from xfer->priv into the transfer.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("upstream-exactly-once-delivery-c1b1-core2022-tokens1.json", beside: #filePath, story: Self.story)
    }

    func testUpstreamViolatesExactlyOnceDeliveryAtStep14() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("upstream"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "exactly-once-delivery"), 14, "\(outcome)")
    }

    func testFixedAlsoViolatesExactlyOnceDeliveryOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        let firsts = Dictionary(uniqueKeysWithValues: outcome.record.violatedInvariants.map { ($0, outcome.record.firstViolation(of: $0)!) })
        XCTAssertEqual(firsts, ["exactly-once-delivery": 14], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [], "\(outcome)")
    }
}
