import Checking
import Foundation
import TestGeneration
import Traces
import TransitionSystems
import TransportSpec
import VirtioSCMI
import Vocabulary
import XCTest

/// Traces recorded with `--contexts on` replay with the implementation's CPUs as execution
/// contexts: the spec's `on` of a placing step is the runtime's placing choice, and `irq_cpu` and
/// `worker_cpu` are compared after every step.
final class ContextsReplayTests: XCTestCase {
    private func committedITF(_ name: String) throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Generated/Traces").appendingPathComponent(name)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as? [String: Any])
    }

    private func trace(_ document: [String: Any]) throws -> Trace {
        try Trace(itf: try JSONSerialization.data(withJSONObject: document))
    }

    /// v4 with the 2022 core: the IRQ path interrupts cpu1 at step 10 and returns at step 19;
    /// cpu1's sender takes the channel lock in poll_done at step 28, with a reply on the used ring.
    private let lostWakeup = "v4-no-lost-wakeup-contexts.json"

    /// The trace with `edit` applied to its states (the initial one is state 0).
    private func edited(_ name: String, _ edit: (inout [[String: Any]]) -> Void) throws -> Trace {
        var document = try committedITF(name)
        var states = try XCTUnwrap(document["states"] as? [[String: Any]])
        edit(&states)
        document["states"] = states
        return try trace(document)
    }

    /// State `index` as the step `irq get_buf(on=cpu)`.
    private func irqGetBuf(_ state: [String: Any], index: Int, on cpu: String) -> [String: Any] {
        var state = state
        state["#meta"] = ["index": index, "actor": "irq", "action": "get_buf", "param-order": ["on"], "params": ["on": cpu]] as [String: Any]
        return state
    }

    func testAContextsTraceReplaysWithTheIRQPathPlacedOnTheCPUTheTraceNames() throws {
        let trace = try trace(try committedITF(lostWakeup))
        let outcome = try replay(trace: trace, variant: .v4)
        guard case .followed(let record) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(record.firstViolation(of: "no-lost-wakeup"), trace.depth, "\(outcome)")
        let start = try XCTUnwrap(record.steps.first { $0.label == "irq get_buf(on=cpu1)" })
        XCTAssertEqual(start.implementationLabels.first, "irq: start complete_cb on cpu1")
    }

    func testAStepThatInterruptsASenderInsidePollDonesIrqsaveRegionIsRefused() throws {
        // After step 28 cpu1 holds vioch->lock with interrupts off; the spec offers no get_buf there.
        let crafted = try edited(lostWakeup) { states in
            states = Array(states.prefix(29)) + [irqGetBuf(states[28], index: 29, on: "cpu1")]
        }
        let outcome = try replay(trace: crafted, variant: .v4)
        guard case .cannotStep(29, "irq get_buf(on=cpu1)", let reason)? = outcome.divergence else {
            return XCTFail("\(outcome)")
        }
        XCTAssertTrue(reason.contains("irq@cpu1 is not enabled"), reason)
    }

    func testARoundOnAnotherCPUThanTheOneTheHandlerInterruptedIsRefused() throws {
        // Step 19 is the handler's last get_buf, on cpu1 where it started at step 10.
        let crafted = try edited(lostWakeup) { states in
            states[19] = irqGetBuf(states[19], index: 19, on: "cpu0")
        }
        let outcome = try replay(trace: crafted, variant: .v4)
        guard case .cannotStep(19, _, let reason)? = outcome.divergence else { return XCTFail("\(outcome)") }
        XCTAssertEqual(reason, "the trace runs irq on cpu0, where the implementation runs it on cpu1")
    }

    func testTheReplayComparesWhereTheIRQPathRuns() throws {
        let crafted = try edited(lostWakeup) { states in states[12]["irq_cpu"] = "cpu0" }
        let outcome = try replay(trace: crafted, variant: .v4)
        guard case .stateMismatch(12, _, let differences)? = outcome.divergence else { return XCTFail("\(outcome)") }
        XCTAssertEqual(differences.map(\.description), ["irq_cpu: expected cpu0, actual cpu1"])
    }

    func testTheWorkerIsPlacedWhereTheTraceRunsItAndItsCPUIsCompared() throws {
        // The shortest run at 2 x 2 with contexts in which the worker dequeues a buffer in its own complete_cb.
        let configuration = TransportConfiguration(variant: .upstream, contexts: ExecutionContexts())
        var spec = TransportSpec.make(configuration)
        let worker = spec.processes.first { $0.name == "worker" }!
        spec.invariants.append(Invariant("goal-unreached", "The worker never dequeues in its complete_cb.") { !worker.at("cb_rx_len") })
        let system = try TransitionSystem(spec)
        let result = try ExplicitStateChecker(system: system).check(["goal-unreached"])[0]
        let trace = try XCTUnwrap(result.trace(in: system, variant: "upstream", configuration: configuration.labels))
        let outcome = try replay(trace: trace, variant: .upstream)
        guard case .followed(let record) = outcome else { return XCTFail("\(outcome)") }
        let placed = record.steps.filter { $0.label.hasPrefix("worker ") && $0.label.contains("(on=") }
        XCTAssertEqual(placed.count, 2, "\(record.steps.map(\.label))")
        for step in placed {
            let cpu = String(step.label.split(separator: "=").last!.dropLast())
            XCTAssertTrue(step.implementationLabels.first?.hasSuffix(" on \(cpu)") ?? false, "\(step.implementationLabels)")
        }
    }

    func testFixedKeepsEveryInvariantOnAContextsSchedule() throws {
        let outcome = try replay(trace: try trace(try committedITF(lostWakeup)), variant: .fixed, options: .schedule)
        XCTAssertEqual(outcome.record.violations, [], "\(outcome)")
    }
}
