import Synchronization
import TransitionSystems
import TransportSpec
import Vocabulary
import XCTest

/// With `--contexts on`, the IRQ handler interrupts a CPU and runs to its end, the worker is a
/// thread on a CPU, and locks taken with interrupts off keep the handler (and the other thread)
/// off that CPU; these only remove runs.
final class ExecutionContextsTests: XCTestCase {
    private let lockRegion = ["pd_get", "pd_mark", "pd_rx_len", "pd_classify", "pd_mark_other", "pd_append", "pd_end"]
    private let pendingRegion = ["next", "check", "p_acquire", "p_set_priv", "p_fetch", "p_clear_priv", "p_complete", "p_release", "p_reset", "p_free"]

    /// The reachable states of a small configuration, explored once for all tests.
    private func states(_ variant: Variant, cpus: Int = 2, buffers: Int = 1, contexts: ExecutionContexts?) throws -> ReachableStates {
        let configuration = TransportConfiguration(cpus: cpus, buffers: buffers, variant: variant, contexts: contexts)
        if let graph = Self.explored.withLock({ $0[configuration] }) { return graph }
        let graph = try ReachableStates(TransportSpec.make(configuration))
        Self.explored.withLock { $0[configuration] = graph }
        return graph
    }

    private static let explored = Mutex<[TransportConfiguration: ReachableStates]>([:])

    func testWhileTheHandlerRunsOnACPUNeitherItsSenderNorTheWorkerThereTakesAStep() throws {
        let graph = try states(.fixed, contexts: ExecutionContexts())
        var handlerRuns = 0, frozenSteps: [String] = []
        for (from, id) in graph.transitions {
            let state = graph.states[from]
            let k = graph.value("irq_cpu", in: state)
            guard k != "none" else { continue }
            handlerRuns += 1
            let instance = graph.system.instances[id]
            if instance.actor == "sender[\(k)]" || (instance.actor == "worker" && graph.value("worker_cpu", in: state) == k) {
                frozenSteps.append("\(instance.actor) \(instance.label)")
            }
        }
        XCTAssertGreaterThan(handlerRuns, 0, "the handler never ran")
        XCTAssertEqual(frozenSteps, [], "threads stepped on the CPU the handler interrupted")
    }

    func testTheHandlerNeverInterruptsACPUWhoseThreadHoldsALockWithInterruptsOff() throws {
        for (cpus, buffers) in [(2, 1), (1, 1)] {
            let graph = try states(.fixed, cpus: cpus, buffers: buffers, contexts: ExecutionContexts())
            var interruptedABusySender = false
            for state in graph.states {
                let k = graph.value("irq_cpu", in: state)
                guard k != "none" else { continue }
                let sender = graph.value("sender_pc[\(k)]", in: state)
                XCTAssertFalse(lockRegion.contains(sender), "the handler runs on \(k) inside poll_done's drain")
                XCTAssertFalse(graph.value("worker_cpu", in: state) == k && pendingRegion.contains(graph.value("worker_pc", in: state)),
                               "the handler runs on \(k) inside the worker's pending-list drain")
                if sender != "idle" { interruptedABusySender = true }
            }
            XCTAssertTrue(interruptedABusySender, "\(cpus) x \(buffers): the handler never interrupted a busy sender")
        }
    }

    func testASenderAndTheWorkerNeverBothHoldALockOnOneCPU() throws {
        // One CPU: the worker's thread always shares it with the sender (two buffers, so that a late
        // reply goes to the worker while a newer transfer is under way).
        let graph = try states(.fixed, cpus: 1, buffers: 2, contexts: ExecutionContexts())
        var workerRanBesideABusySender = false
        for state in graph.states {
            let k = graph.value("worker_cpu", in: state)
            guard k != "none" else { continue }
            let sender = graph.value("sender_pc[\(k)]", in: state)
            XCTAssertFalse(lockRegion.contains(sender) && pendingRegion.contains(graph.value("worker_pc", in: state)), "both hold a lock on \(k)")
            if sender != "idle" { workerRanBesideABusySender = true }
        }
        XCTAssertTrue(workerRanBesideABusySender, "the worker never shared the CPU with a busy sender")
    }

    func testTheIRQCPUOptionPinsTheHandlerToThatCPU() throws {
        let graph = try states(.fixed, contexts: ExecutionContexts(irqCPU: 1))
        XCTAssertEqual(Set(graph.states.map { graph.value("irq_cpu", in: $0) }), ["none", "cpu1"])
    }

    func testContextsOnlyRemoveRuns() throws {
        // Every state with contexts, but for where the paths run, is a state without contexts; on one
        // CPU some states without them (an interrupt inside poll_done's drain) are gone.
        // (fixed only: the other variants' own violations leave state spaces too large for a unit test.)
        for variant in [Variant.fixed] {
            let free = try states(variant, cpus: 1, buffers: 1, contexts: nil)
            let confined = try states(variant, cpus: 1, buffers: 1, contexts: ExecutionContexts())
            let freeStates = Set(free.states.map { free.values(of: $0) })
            let projected = Set(confined.states.map { confined.values(of: $0, excluding: ["irq_cpu", "worker_cpu"]) })
            XCTAssertTrue(projected.isSubset(of: freeStates), "\(variant): contexts reach \(projected.subtracting(freeStates).count) states that free contexts do not")
            XCTAssertLessThan(projected.count, freeStates.count, "\(variant): contexts removed no state")
        }
    }

    func testTheConfigurationRecordsContextsOnlyWhenOn() {
        XCTAssertNil(TransportConfiguration(variant: .fixed).labels["contexts"])
        let labels = TransportConfiguration(variant: .fixed, contexts: ExecutionContexts(irqCPU: 0)).labels
        XCTAssertEqual(labels["contexts"], "on")
        XCTAssertEqual(labels["irq-cpu"], "0")
    }

    func testTheFamilyRejectsAnIRQCPUWithoutContextsOrOutOfRange() {
        XCTAssertThrowsError(try TransportSpec.family.instances(variant: "fixed", settings: ["irq-cpu": "0"])) { error in
            XCTAssertTrue("\(error)".contains("needs --contexts on"), "\(error)")
        }
        XCTAssertThrowsError(try TransportSpec.family.instances(variant: "fixed", settings: ["contexts": "on", "irq-cpu": "2"])) { error in
            XCTAssertTrue("\(error)".contains("names no CPU of 2"), "\(error)")
        }
    }
}
