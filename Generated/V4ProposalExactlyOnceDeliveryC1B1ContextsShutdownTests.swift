import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4-proposal violates exactly-once-delivery after 10 steps.
///
/// - Variant: v4-proposal
/// - Invariant: exactly-once-delivery
/// - Depth: 10
/// - Configuration: 1 CPU, 1 buffer, 2022 core, contexts on (irq-cpu any), shutdown on
/// - Trace: Traces/v4-proposal-exactly-once-delivery-c1b1-contexts-shutdown.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class V4ProposalExactlyOnceDeliveryC1B1ContextsShutdownTests: XCTestCase {
    /// The counterexample, one spec step a line.
    static let story = [
        "sender[cpu0] start(polled=true)", // 1. A new transfer, polled or not, in state SENT_OK with a fresh token.
        "sender[cpu0] get_free_msg", // 2. Take the head of the free list; with none free, the transfer fails with -EBUSY.
        "sender[cpu0] send_message", // 3. Under the channel lock: for a polled transfer snapshot poll_idx, mark POLLING, bind priv; publish with add_sgs.
        "sender[cpu0] poll_done_read_priv", // 4. msg = xfer->priv; no buffer bound means done.
        "shutdown break_device", // 5. chan_free breaks the device: later virtqueue operations fail or find nothing.
        "shutdown cleanup_sync", // 6. Under the channel lock: set shutdown_done and clear deferred_tx_wq, so the worker is never queued again.
        "shutdown channel_release", // 7. Drop the channel's first reference and wait for the last user to drop theirs (the channel is torn down at zero).
        "sender[cpu0] poll_done_check_status", // 8. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] decide_timeout", // 9. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu0] fetch_response", // 10. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-proposal-exactly-once-delivery-c1b1-contexts-shutdown.json", beside: #filePath, story: Self.story)
    }

    func testV4ProposalViolatesExactlyOnceDeliveryAtStep10() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4-proposal"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "exactly-once-delivery"), 10, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [8, 9, 10], "\(outcome)")
    }
}
