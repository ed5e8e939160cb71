import Foundation
import TestGeneration
import Traces
import VirtioSCMI
import Vocabulary
import XCTest

/// Weak counterexamples (runs of the spec under `lkmm-nolb`) replayed against the implementation:
/// its weak reads observe the writes the trace's took, its own memory model must allow them, and
/// the violation needs them.
final class WeakReplayTests: XCTestCase {
    private func committedTrace(_ name: String) throws -> Trace {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Generated/Traces").appendingPathComponent(name)
        return try Trace(itf: try Data(contentsOf: url))
    }

    private let v4Proposal = "v4-proposal-exactly-once-delivery-corecurrent-lkmm-nolb.json"

    func testAWeakCounterexampleReproducesAtItsLastStepWithTheStaleReadItTook() throws {
        let trace = try committedTrace(v4Proposal)
        let outcome = try replay(trace: trace, variant: .v4Proposal)
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "exactly-once-delivery"), trace.depth, "\(outcome)")
        XCTAssertEqual(outcome.record.steps.last?.weakReads, ["buf1.rx_len: write 0, 1 newer write not visible"], "\(outcome)")
        XCTAssertTrue(outcome.record.violations.contains { $0.message.contains("stale rx_len of buf1") }, "\(outcome)")
    }

    /// What the generated test `V4ProposalExactlyOnceDeliveryCoreCurrentUnderLKMMNoLBTests` asserts
    /// (the violation at step 18) fails once the implementation's read observes the newest write.
    func testTheGeneratedWeakTestFailsWhenTheReadObservesTheNewestWrite() throws {
        let trace = try committedTrace(v4Proposal)
        var newest = ReplayOptions.conformance
        newest.weakReads = .newest
        let outcome = try replay(trace: trace, variant: .v4Proposal, options: newest)
        XCTAssertNil(outcome.divergence, "\(outcome)")
        XCTAssertNotEqual(outcome.record.firstViolation(of: "exactly-once-delivery"), 18, "the generated test's assertion would pass")
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
    }

    func testEveryRecordedWeakCounterexampleNeedsItsStaleRead() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Generated/Traces")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix("-lkmm-nolb.json") }.sorted()
        XCTAssertEqual(names.count, 5, "\(names)")
        for name in names {
            let test = try GeneratedTest(trace: try committedTrace(name), invariant: "exactly-once-delivery", command: "make generate")
            XCTAssertEqual(test.memoryModel, .lkmmNoLB, name)
            XCTAssertTrue(test.conforms, "\(name): \(test.outcome)")
            XCTAssertTrue(test.needsItsWeakReads, "\(name): \(test.newestWritesOutcome.map(String.init(describing:)) ?? "")")
            XCTAssertFalse(test.weakReads.isEmpty, name)
            XCTAssertEqual(test.fixedOutcome.record.violations, [], "\(name): \(test.fixedOutcome)")
        }
    }

    func testFixedsAcquireRefusesTheStaleReadOnTheSameSchedule() throws {
        let outcome = try replay(trace: try committedTrace(v4Proposal), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
        XCTAssertEqual(outcome.record.skippedSteps, [], "\(outcome)")
        XCTAssertEqual(outcome.record.refusedReads, [18], "\(outcome)")
        XCTAssertEqual(outcome.record.steps.last?.weakReads, ["buf1.rx_len: write 1, the newest"], "\(outcome)")
    }

    func testFixedWithoutItsAcquireFetchesTheStaleLengthOnTheSameSchedule() throws {
        var options = ReplayOptions.schedule
        options.switches = Variant.fixed.switches.with(.acquireOnPollDoneCheck, false)
        let outcome = try replay(trace: try committedTrace(v4Proposal), variant: .fixed, options: options)
        XCTAssertEqual(outcome.record.refusedReads, [], "\(outcome)")
        XCTAssertEqual(outcome.record.firstViolation(of: "exactly-once-delivery"), 18, "\(outcome)")
    }

    func testFixedWithoutItsReleaseFetchesTheStaleLengthOnTheSameSchedule() throws {
        var options = ReplayOptions.schedule
        options.switches = Variant.fixed.switches.with(.releaseOnPollDoneMark, false)
        let outcome = try replay(trace: try committedTrace(v4Proposal), variant: .fixed, options: options)
        XCTAssertEqual(outcome.record.firstViolation(of: "exactly-once-delivery"), 18, "\(outcome)")
    }

    func testAStaleReadTheImplementationForbidsDivergesInAStrictReplay() throws {
        let options = ReplayOptions(comparesState: false, skipsStepsItCannotTake: false)
        let outcome = try replay(trace: try committedTrace(v4Proposal), variant: .fixed, options: options)
        guard case .cannotStep(let step, _, let reason)? = outcome.divergence else { return XCTFail("\(outcome)") }
        XCTAssertEqual(step, 18)
        XCTAssertTrue(reason.contains("cpu1's view of buf1.rx_len is at write 1 of 1: it cannot observe write 0"), reason)
    }

    func testAWriteTheSpecInsertsBeforeANewerOneHasNoCounterpart() throws {
        var trace = try committedTrace(v4Proposal)
        let number = try XCTUnwrap(trace.steps.firstIndex { $0.parameters.contains { $0.name == "weak.write" } })
        trace.steps[number].parameters = trace.steps[number].parameters.map { $0.name == "weak.write" ? .init(name: $0.name, value: "0") : $0 }
        let outcome = try replay(trace: trace, variant: .v4Proposal)
        guard case .unmapped(let step, _, let reason)? = outcome.divergence else { return XCTFail("\(outcome)") }
        XCTAssertEqual(step, number)
        XCTAssertTrue(reason.contains("before a newer write"), reason)
    }

    func testAWeakTestIsNamedAfterItsMemoryModel() throws {
        let test = try GeneratedTest(trace: try committedTrace(v4Proposal), invariant: "exactly-once-delivery", command: "make generate")
        XCTAssertEqual(test.className, "V4ProposalExactlyOnceDeliveryCoreCurrentUnderLKMMNoLBTests")
        XCTAssertEqual(test.traceFileName, v4Proposal)
        XCTAssertTrue(test.source.contains("/// - Memory model: lkmm-nolb"))
        XCTAssertTrue(test.source.contains("func testV4ProposalKeepsExactlyOnceDeliveryWhenEveryReadObservesTheNewestWrite()"))
    }

    func testATraceNamingAnUnknownMemoryModelIsRefused() throws {
        var trace = try committedTrace(v4Proposal)
        trace.configuration["memory-model"] = "tso"
        XCTAssertThrowsError(try GeneratedTest(trace: trace, invariant: "exactly-once-delivery", command: "make generate"))
    }

    func testASequentiallyConsistentTraceReplaysAsBefore() throws {
        let trace = try committedTrace("upstream-exactly-once-delivery.json")
        let asTraced = try replay(trace: trace, variant: .upstream)
        var newest = ReplayOptions.conformance
        newest.weakReads = .newest
        XCTAssertEqual(asTraced, try replay(trace: trace, variant: .upstream, options: newest))
        XCTAssertEqual(asTraced.record.firstViolation(of: "exactly-once-delivery"), 17)
    }
}
