import Checking
import Foundation
import TestGeneration
import Traces
import TransitionSystems
import TransportSpec
import VirtioSCMI
import Vocabulary
import XCTest

/// Traces recorded with `--shutdown on` replay against the implementation's `chan_free` (the actor
/// "shutdown"), with the channel's lifecycle compared after every step.
final class ShutdownReplayTests: XCTestCase {
    private func committedTrace(_ name: String) throws -> Trace {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Generated/Traces").appendingPathComponent(name)
        return try Trace(itf: try Data(contentsOf: url))
    }

    private let neverCame = "upstream-exactly-once-delivery-c1b1-shutdown.json"

    /// The shortest run of `variant` at 1 x 1 with shutdown to a state where `goal` holds, as a trace.
    private func shortestRun(_ variant: Variant, to goal: (Spec) -> Expr) throws -> Trace {
        let configuration = TransportConfiguration(cpus: 1, buffers: 1, variant: variant, shutdown: true)
        var spec = TransportSpec.make(configuration)
        spec.invariants.append(Invariant("goal-unreached", "The goal is never reached.") { !goal(spec) })
        let system = try TransitionSystem(spec)
        let result = try ExplicitStateChecker(system: system).check(["goal-unreached"])[0]
        return try XCTUnwrap(result.trace(in: system, variant: variant.rawValue, configuration: configuration.labels))
    }

    /// A polled transfer whose `add_sgs` failed on the broken device is back at `xfer_put`, before `cleanup_sync`.
    private func addSgsFailed(_ spec: Spec) -> Expr {
        let sender = spec.processes.first { $0.name == "sender" }!
        let cpu0 = sender.instance!.domain["cpu0"]
        func variable(_ name: StateName) -> Variable { spec.variables.first { $0.name == name.rawValue }! }
        let polled = spec.variables.first { $0.name == "polled" }!
        return sender.at("put", cpu0) && variable(.deviceBroken).value && !variable(.shutdownBegun).value && polled[cpu0]
    }

    func testAPolledTransferInFlightAtChanFreeFetchesTheReplyThatNeverCameInTheImplementationToo() throws {
        let trace = try committedTrace(neverCame)
        let outcome = try replay(trace: trace, variant: .upstream)
        guard case .followed(let record) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(record.firstViolation(of: "exactly-once-delivery"), trace.depth, "\(outcome)")
        let shutdownSteps = record.steps.filter { $0.label.hasPrefix("shutdown ") }
        XCTAssertEqual(shutdownSteps.map(\.label), ["shutdown break_device", "shutdown cleanup_sync", "shutdown channel_release"])
        XCTAssertEqual(shutdownSteps.first?.implementationLabels, ["shutdown: chan_free virtio_break_device"])
    }

    func testFixedTimesOutOnTheSameScheduleWherePollDoneSaysNotYetAfterTeardown() throws {
        let outcome = try replay(trace: try committedTrace(neverCame), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
    }

    func testFixedFetchesTheReplyThatNeverCameOnTheSameScheduleWithoutItsNotYet() throws {
        var options = ReplayOptions.schedule
        options.switches = Variant.fixed.switches.with(.pollDoneNotYetAfterTeardown, false)
        let outcome = try replay(trace: try committedTrace(neverCame), variant: .fixed, options: options)
        XCTAssertEqual(outcome.record.firstViolation(of: "exactly-once-delivery"), 11, "\(outcome)")
    }

    func testTheChannelsLifecycleIsComparedAfterEveryStep() throws {
        var trace = try committedTrace(neverCame)
        let teardown = try XCTUnwrap(trace.steps.firstIndex { $0.actor == "shutdown" && $0.action == "channel_release" })
        trace.steps[teardown].values[StateName.channelUsers.rawValue] = .int(1)
        guard case .stateMismatch(let step, _, let differences)? = try replay(trace: trace, variant: .upstream).divergence else {
            return XCTFail("a count the implementation does not have must diverge")
        }
        XCTAssertEqual(step, teardown)
        XCTAssertEqual(differences, [StateDifference(variable: "chan_users", expected: "1", actual: "0")])
    }

    func testATraceWithoutTheLifecycleItsShutdownSettingNeedsDiverges() throws {
        var trace = try committedTrace(neverCame)
        trace.steps[1].values[StateName.deviceBroken.rawValue] = nil
        guard case .stateMismatch(1, _, let differences)? = try replay(trace: trace, variant: .upstream).divergence else {
            return XCTFail("a lifecycle variable missing from the trace must diverge")
        }
        XCTAssertEqual(differences, [StateDifference(variable: "vq_broken", expected: "(not in the trace)", actual: "FALSE")])
    }

    func testAMalformedShutdownSettingIsAnInconsistentTrace() throws {
        var trace = try committedTrace(neverCame)
        trace.configuration["shutdown"] = "soon"
        XCTAssertThrowsError(try replay(trace: trace, variant: .upstream)) { error in
            guard case TraceError.inconsistent(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("shutdown is 'soon'"), message)
        }
    }

    func testWithoutTheShutdownSettingTheImplementationHasNoShutdownToRun() throws {
        var trace = try committedTrace(neverCame)
        trace.configuration["shutdown"] = nil
        XCTAssertNotNil(try replay(trace: trace, variant: .upstream).divergence)
    }

    func testAFailedAddSgsUnwindsStepByStepInTheImplementation() throws {
        for variant in [Variant.v4, .upstream] {
            let trace = try shortestRun(variant, to: addSgsFailed)
            let outcome = try replay(trace: trace, variant: variant)
            guard case .followed(let record) = outcome else { return XCTFail("\(variant): \(outcome)") }
            let actions = record.steps.map(\.label)
            XCTAssertTrue(actions.contains("sender[cpu0] send_message_unbind"), "\(variant): \(actions)")
            XCTAssertEqual(actions.last, "sender[cpu0] send_message_free", "\(variant): \(actions)")
            XCTAssertEqual(actions.contains("sender[cpu0] send_message_release"), variant.switches.messageRefcount, "\(variant): \(actions)")
            XCTAssertEqual(record.violations, [], "\(variant): \(outcome)")
        }
    }
}
