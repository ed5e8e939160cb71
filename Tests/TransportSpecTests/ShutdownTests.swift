import Checking
import TransitionSystems
import TransportSpec
import Vocabulary
import XCTest

/// With `--shutdown on`, `chan_free` races the traffic: the device breaks, `cleanup_sync` drops the
/// channel's first reference, and every path holds a reference for its operation.
final class ShutdownTests: XCTestCase {
    private func check(_ variant: Variant, _ invariant: Property, cpus: Int = 1, switches: Switches? = nil,
                       maxStates: Int? = nil) throws -> CheckResult {
        let configuration = TransportConfiguration(cpus: cpus, buffers: 1, variant: variant, shutdown: true)
        let system = try TransitionSystem(TransportSpec.build(configuration, switches: switches).spec)
        return try ExplicitStateChecker(system: system, options: CheckOptions(maxStates: maxStates)).check([invariant.rawValue])[0]
    }

    func testAPolledTransferInFlightAtChanFreeFetchesAReplyThatNeverCameOnEveryVariantWhosePollDoneSaysDone() throws {
        let fixedAsUpstream = Variant.fixed.switches.with(.pollDoneNotYetAfterTeardown, false)
        for (name, variant, switches) in [("v4", Variant.v4, nil), ("v4-proposal", .v4Proposal, nil), ("upstream", .upstream, nil),
                                          ("fixed without pollDoneNotYetAfterTeardown", .fixed, fixedAsUpstream)] {
            let result = try check(variant, .exactlyOnceDelivery, switches: switches)
            XCTAssertEqual(result.verdict, .violated, name)
            let steps = result.counterexample?.instances.map { "\($0.actor) \($0.action)" } ?? []
            // The last user's release tears the channel down; poll_done's acquire then fails and says "done".
            XCTAssertTrue(steps.contains("shutdown channel_release"), "\(name): \(steps)")
            XCTAssertEqual(steps.last, "sender[cpu0] fetch_response", "\(name): \(steps)")
        }
    }

    func testFixedsPollDoneSaysNotYetOnATornDownChannelSoTheTransferTimesOutInsteadOfFetching() throws {
        // At 1 x 1; `make prove-shutdown` proves every invariant at 2 x 2 with contexts on.
        XCTAssertEqual(try check(.fixed, .exactlyOnceDelivery).verdict, .proved)
        XCTAssertEqual(try check(.fixed, .noLostWakeup).verdict, .proved)
    }

    func testNoPathTouchesTheChannelAfterItsUsersReachZeroOnEveryVariant() throws {
        for variant in [Variant.v4, .v4Proposal, .fixed] {
            XCTAssertEqual(try check(variant, .shutdownSafety).verdict, .proved, "\(variant)")
        }
        // upstream's own violations (at 1 x 1 already) leave over ten million states after them:
        // a bounded look here, the whole space in the bench's time, not a unit test's.
        XCTAssertEqual(try check(.upstream, .shutdownSafety, maxStates: 20_000).verdict, .holdsUpToDepth)
    }

    func testABrokenDeviceFailsAddSgsAndTheUnwindingGivesTheBufferBack() throws {
        // The unwinding is reached, and no buffer leaks or is freed twice on its way back.
        for variant in [Variant.v4, .fixed] {
            let configuration = TransportConfiguration(cpus: 1, buffers: 1, variant: variant, shutdown: true)
            let graph = try ReachableStates(TransportSpec.make(configuration))
            XCTAssertTrue(graph.transitions.contains { graph.system.instances[$0.instance].action == "send_message_unbind" }, "\(variant): add_sgs never failed")
            // The unwinding's last step puts the buffer back on the free list and drops the channel reference.
            let interpreter = Interpreter(graph.system)
            var freed = 0
            for state in graph.states where graph.value("sender_pc[cpu0]", in: state) == "send_free" {
                for (id, next) in try interpreter.successors(of: state) where graph.system.instances[id].action == "send_message_free" {
                    XCTAssertEqual(graph.value("on_free_list[msg0]", in: next), "true", "\(variant)")
                    XCTAssertEqual(graph.value("chan_ref[cpu0]", in: next), "false", "\(variant)")
                    XCTAssertEqual(Int(graph.value("chan_users", in: next))! + 1, Int(graph.value("chan_users", in: state))!, "\(variant)")
                    freed += 1
                }
            }
            XCTAssertGreaterThan(freed, 0, "\(variant): the buffer of a failed add_sgs never went back")
            XCTAssertEqual(try check(variant, .noDoubleFree).verdict, .proved, "\(variant)")
        }
    }

    func testWithoutShutdownTheSpecStatesNoShutdownSafetyAndRecordsNoSetting() throws {
        let configuration = TransportConfiguration(variant: .fixed)
        XCTAssertFalse(TransportSpec.make(configuration).properties.contains { $0.name == Property.shutdownSafety.rawValue })
        XCTAssertNil(configuration.labels["shutdown"])
        var withShutdown = configuration
        withShutdown.shutdown = true
        XCTAssertEqual(TransportSpec.make(withShutdown).properties.last?.name, Property.shutdownSafety.rawValue)
        XCTAssertEqual(withShutdown.labels["shutdown"], "on")
    }
}
