import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// upstream violates exactly-once-delivery after 11 steps.
///
/// - Variant: upstream
/// - Invariant: exactly-once-delivery
/// - Depth: 11
/// - Configuration: 1 CPU, 1 buffer, current core, contexts on (irq-cpu any), shutdown on
/// - Trace: Traces/upstream-exactly-once-delivery-c1b1-contexts-shutdown.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
final class UpstreamExactlyOnceDeliveryC1B1ContextsShutdownTests: XCTestCase {
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
        "sender[cpu0] poll_done_read_priv", // 9. msg = xfer->priv; no buffer bound means done.
        "sender[cpu0] poll_done_check_status", // 10. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu0] fetch_response", // 11. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("upstream-exactly-once-delivery-c1b1-contexts-shutdown.json", beside: #filePath, story: Self.story)
    }

    func testUpstreamViolatesExactlyOnceDeliveryAtStep11() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("upstream"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "exactly-once-delivery"), 11, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [10, 11], "\(outcome)")
    }
}
