import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// v4-proposal violates exactly-once-delivery after 17 steps.
///
/// - Variant: v4-proposal
/// - Invariant: exactly-once-delivery
/// - Depth: 17
/// - Configuration: 2 CPUs, 2 buffers, 2022 core
/// - Memory model: lkmm-nolb (LKMM without load buffering (executions with a po ∪ rf cycle are omitted))
/// - Trace: Traces/v4-proposal-exactly-once-delivery-lkmm-nolb.json
/// - Regenerate: `swift run -c release scmi-check generate`
///
/// The explicit-state checker's shortest counterexample, replayed against the channel
/// implementation. Generated: edit the spec or the generator, never this file.
///
/// Weak reads: the implementation's reads observe the writes the trace's took (its controlled
/// runtime keeps each weak field's writes and each actor's view, see `MemoryViews`):
/// - step 17: buf1.rx_len: write 0, 1 newer write not visible
final class V4ProposalExactlyOnceDeliveryUnderLKMMNoLBTests: XCTestCase {
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
        "sender[cpu0] poll_done_set_rx_len(weak.write=1)", // 13. Record the reply's length in the dequeued buffer.
        "sender[cpu0] poll_done_classify", // 14. Under next_msg's poll_lock: the own buffer is marked POLL_DONE and found; NOT_POLLED or POLL_TIMEOUT goes to the pending list; another polled buffer is marked POLL_DONE.
        "sender[cpu1] poll_done_check_status", // 15. Unlocked read: another CPU's poller already marked the buffer POLL_DONE.
        "sender[cpu1] decide_timeout", // 16. 2022 core: -ETIMEDOUT whenever the deadline has passed by now, whatever ended the loop.
        "sender[cpu1] fetch_response(weak.read=0)", // 17. Under the transfer lock: if still SENT_OK, fetch the reply from xfer->priv and move to RESP_OK.
    ]

    private func trace() throws -> Trace {
        try Trace.generated("v4-proposal-exactly-once-delivery-lkmm-nolb.json", beside: #filePath, story: Self.story)
    }

    func testV4ProposalViolatesExactlyOnceDeliveryAtStep17() throws {
        let outcome = try replay(trace: try trace(), variant: try .named("v4-proposal"))
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "exactly-once-delivery"), 17, "\(outcome)")
        XCTAssertEqual(outcome.record.steps.flatMap(\.weakReads), ["buf1.rx_len: write 0, 1 newer write not visible"], "\(outcome)")
    }

    func testV4ProposalKeepsExactlyOnceDeliveryWhenEveryReadObservesTheNewestWrite() throws {
        var options = ReplayOptions.conformance
        options.weakReads = .newest
        let outcome = try replay(trace: try trace(), variant: try .named("v4-proposal"), options: options)
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "exactly-once-delivery"), nil, "\(outcome)")
    }

    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {
        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [], "\(outcome)")
        XCTAssertEqual(outcome.record.refusedReads, [17], "\(outcome)")
    }
}
