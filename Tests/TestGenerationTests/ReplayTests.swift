import Foundation
import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

final class ReplayTests: XCTestCase {
    /// A counterexample committed in Generated/Traces.
    private func committedTrace(_ name: String) throws -> Trace {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Generated/Traces").appendingPathComponent(name)
        return try Trace(itf: try Data(contentsOf: url))
    }

    /// The schedule of a committed counterexample replayed on fixed with `revert` applied to its switches.
    private func replayOnFixed(_ name: String, reverting revert: (inout Switches) -> Void) throws -> ReplayOutcome {
        var switches = Variant.fixed.switches
        revert(&switches)
        var options = ReplayOptions.schedule
        options.switches = switches
        return try replay(trace: try committedTrace(name), variant: .fixed, options: options)
    }

    func testTheReplayReportsTheStaleRxLenOnFixedWithRxLenBeforePollDoneReverted() throws {
        let outcome = try replayOnFixed("upstream-exactly-once-delivery.json") { $0.rxLenBeforePollDone = false }
        XCTAssertEqual(outcome.record.firstViolation(of: "exactly-once-delivery"), 17, "\(outcome)")
    }

    func testTheReplayReportsTheUseAfterReleaseOnFixedWithDecidingBeforeReleasingReverted() throws {
        let outcome = try replayOnFixed("upstream-no-use-after-release.json") { $0.decidesBeforeReleasing = false }
        XCTAssertEqual(outcome.record.firstViolation(of: "no-use-after-release"), 20, "\(outcome)")
    }

    func testTheSameScheduleKeepsEveryInvariantOnFixedWithTheFixInPlace() throws {
        let outcome = try replay(trace: try committedTrace("upstream-no-double-free.json"), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
    }

    func testTheCounterexampleConformsAndReproducesOnItsOwnVariant() throws {
        let trace = try committedTrace("upstream-no-double-free.json")
        let outcome = try replay(trace: trace, variant: .upstream)
        guard case .followed(let record) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(record.steps.count, trace.depth)
        XCTAssertEqual(record.skippedSteps, [])
        XCTAssertEqual(record.firstViolation(of: "no-double-free"), trace.depth)
    }

    func testAStateTheImplementationDoesNotReachDivergesWithStepActionAndValues() throws {
        var trace = try committedTrace("upstream-no-double-free.json")
        trace.steps[2].values["free_list_len"] = .int(2)
        let outcome = try replay(trace: trace, variant: .upstream)
        guard case .stateMismatch(let step, let label, let differences)? = outcome.divergence else {
            return XCTFail("\(outcome)")
        }
        XCTAssertEqual(step, 2)
        XCTAssertEqual(label, "sender[cpu0] get_free_msg")
        XCTAssertEqual(differences, [StateDifference(variable: "free_list", expected: "[msg1, none]", actual: "[msg1]")])
        XCTAssertEqual(outcome.record.steps.count, 2)
    }

    func testAnActionTheImplementationDoesNotKnowDivergesAsUnmapped() throws {
        var trace = try committedTrace("upstream-no-double-free.json")
        trace.steps[1].action = "teleport"
        XCTAssertEqual(try replay(trace: trace, variant: .upstream).divergence?.step, 1)
        if case .unmapped = try replay(trace: trace, variant: .upstream).divergence {} else { XCTFail("expected an unmapped step") }
        let skipping = try replay(trace: trace, variant: .upstream, options: .schedule)
        XCTAssertEqual(skipping.record.skippedSteps.first, 1)
    }

    func testAStepTheActorIsNotReadyForDivergesAsCannotStep() throws {
        var trace = try committedTrace("upstream-no-double-free.json")
        trace.steps.swapAt(2, 3)
        guard case .cannotStep(let step, _, let reason)? = try replay(trace: trace, variant: .upstream).divergence else {
            return XCTFail("expected a step the implementation cannot take")
        }
        XCTAssertEqual(step, 2)
        // get_free_msg begins at send_message's channel_acquire.
        XCTAssertTrue(reason.contains("send_message channel_acquire"), reason)
    }

    func testAnUnknownVariantNameIsAnInconsistentTrace() throws {
        let trace = try committedTrace("upstream-no-double-free.json")
        XCTAssertThrowsError(try replay(trace: trace, variantNamed: "v9")) { error in
            guard case TraceError.inconsistent = error else { return XCTFail("\(error)") }
        }
    }
}
