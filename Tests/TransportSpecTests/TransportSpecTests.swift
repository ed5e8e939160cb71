import Checking
import Traces
import TransitionSystems
import TransportSpec
import Vocabulary
import XCTest

/// The transport spec loads in every variant and configuration, and the explicit engine finds
/// the races the project reports, at their shortest depths.
final class TransportSpecTests: XCTestCase {
    private func check(_ configuration: TransportConfiguration, _ invariant: String,
                       switches: Switches? = nil, maxStates: Int? = nil) throws -> CheckResult {
        let spec = try TransportSpec.build(configuration, switches: switches).spec
        let system = try TransitionSystem(spec)
        let options = CheckOptions(maxStates: maxStates)
        return try ExplicitStateChecker(system: system, options: options).check([invariant])[0]
    }

    func testEveryVariantAndCoreLoadsAtSeveralSizes() throws {
        for variant in Variant.allCases {
            for core in CoreVersion.allCases {
                for (cpus, buffers) in [(1, 1), (2, 2), (3, 2), (2, 3)] {
                    let configuration = TransportConfiguration(cpus: cpus, buffers: buffers, variant: variant, core: core)
                    let system = try TransitionSystem(TransportSpec.make(configuration))
                    XCTAssertEqual(system.spec.properties.map(\.name), TransportSpec.invariantNames)
                    XCTAssertFalse(try Interpreter(system).initialStates().isEmpty)
                }
            }
        }
    }

    func testEveryStepNamesTheKernelLinesItStandsFor() throws {
        for variant in Variant.allCases {
            let spec = TransportSpec.make(TransportConfiguration(variant: variant))
            for action in spec.actions {
                XCTAssertFalse(action.source.isEmpty, "\(variant.rawValue): \(action.qualifiedName) has no source lines")
                XCTAssertFalse(action.doc.isEmpty, "\(variant.rawValue): \(action.qualifiedName) has no doc")
            }
        }
    }

    func testEveryStepOfEveryVariantAndCoreSaysWhatItStandsForInTheImplementation() throws {
        for variant in Variant.allCases {
            for core in CoreVersion.allCases {
                let instance = try TransportSpec.build(TransportConfiguration(variant: variant, core: core))
                for action in instance.spec.actions {
                    let entry = instance.counterparts.entry(process: action.actor, action: action.name)
                    XCTAssertNotNil(entry, "\(variant) with the \(core) core: \(action.qualifiedName) has no counterpart")
                    if case .code(let begins)? = entry?.counterpart {
                        XCTAssertFalse(begins.isEmpty, "\(variant), \(core): \(action.qualifiedName) begins at no operation")
                    }
                }
            }
        }
    }

    func testTheSpecDeclaresEveryStateNameTheOtherModulesRead() throws {
        for variant in Variant.allCases {
            for shutdown in [false, true] {
                for contexts in [nil, ExecutionContexts()] {
                    let spec = TransportSpec.make(TransportConfiguration(cpus: 1, buffers: 1, variant: variant, contexts: contexts, shutdown: shutdown))
                    let declared = Set(try TransitionSystem(spec).spec.variables.map(\.name) + spec.processes.compactMap(\.pc?.name))
                    for name in StateName.allCases where name.isInEveryVariant || (name == .users && variant.switches.messageRefcount) {
                        XCTAssertEqual(declared.contains(name.rawValue), (shutdown || !name.isShutdownState) && (contexts != nil || !name.isContextsState),
                                       "\(variant), shutdown \(shutdown), contexts \(contexts != nil): \(name)")
                    }
                }
            }
        }
    }

    func testTheSpecRefusesSwitchesItDoesNotModelOneByOne() {
        XCTAssertThrowsError(try TransportSpec.build(TransportConfiguration(variant: .v4), switches: Variant.v4.switches.with(.pollLock, true)))
    }

    func testUpstreamOwnerCanFetchBeforeThePollerWritesRxLen() throws {
        // Another CPU's poller marks the buffer POLL_DONE, the owner sees it unlocked and fetches
        // rx_len before the poller has written it: upstream's poll_done writes rx_len after poll_lock.
        let result = try check(TransportConfiguration(variant: .upstream, core: .current), "exactly-once-delivery")
        XCTAssertEqual(result.verdict, .violated)
        XCTAssertEqual(result.depth, 17)
        let actions = try XCTUnwrap(result.counterexample).instances.map(\.action)
        XCTAssertTrue(actions.contains("poll_done_mark_done"))
        XCTAssertEqual(actions.last, "fetch_response")
    }

    func testFixedWithoutItsRxLenOrderIsViolatedAgain() throws {
        let switches = Variant.fixed.switches.with(.rxLenBeforePollDone, false)
        let result = try check(TransportConfiguration(variant: .fixed, core: .current), "exactly-once-delivery", switches: switches)
        XCTAssertEqual(result.verdict, .violated)
        XCTAssertEqual(result.depth, 17)
    }

    func testFixedWithUpstreamsMarkTxdoneIsViolatedAgain() throws {
        let switches = Variant.fixed.switches.with(.secondReleaseOnlyWhenPollDone, false).with(.decidesBeforeReleasing, false)
        let result = try check(TransportConfiguration(variant: .fixed, core: .current), "no-use-after-release", switches: switches)
        XCTAssertEqual(result.verdict, .violated)
        XCTAssertEqual(result.depth, 20)
    }

    func testFixedDecidingFirstButWithUpstreamsReleaseRuleIsViolatedAgain() throws {
        // Deciding under poll_lock before releasing does not help if "not timed out" still
        // releases the poll path's reference: the IRQ path that dequeued the buffer releases it
        // too. One step deeper than upstream, for the decision that now comes first.
        let switches = Variant.fixed.switches.with(.secondReleaseOnlyWhenPollDone, false)
        let result = try check(TransportConfiguration(variant: .fixed, core: .current), "no-use-after-release", switches: switches)
        XCTAssertEqual(result.verdict, .violated)
        XCTAssertEqual(result.depth, 21)
    }

    func testFixedKeepsEveryInvariantOnOneCPU() throws {
        let configuration = TransportConfiguration(cpus: 1, buffers: 2, variant: .fixed)
        let system = try TransitionSystem(TransportSpec.make(configuration))
        let results = try ExplicitStateChecker(system: system).check(TransportSpec.invariantNames)
        for result in results { XCTAssertEqual(result.verdict, .proved, result.invariant) }
    }
}

/// The explicit engine's symmetry reduction gives the same answers as the plain search.
final class TransportSymmetryTests: XCTestCase {
    private func results(_ configuration: TransportConfiguration, symmetry: Bool, maxDepth: Int?) throws -> [CheckResult] {
        let system = try TransitionSystem(TransportSpec.make(configuration))
        var options = CheckOptions(maxDepth: maxDepth)
        options.useSymmetry = symmetry
        return try ExplicitStateChecker(system: system, options: options).check(TransportSpec.invariantNames)
    }

    func testSymmetryKeepsEveryVerdictAndShortestDepthOnEveryVariant() throws {
        for variant in Variant.allCases {
            let configuration = TransportConfiguration(variant: variant, core: .current)
            let plain = try results(configuration, symmetry: false, maxDepth: 15)
            let reduced = try results(configuration, symmetry: true, maxDepth: 15)
            for (a, b) in zip(plain, reduced) {
                XCTAssertEqual(a.verdict, b.verdict, "\(variant.rawValue) \(a.invariant)")
                XCTAssertEqual(a.depth, b.depth, "\(variant.rawValue) \(a.invariant)")
            }
            XCTAssertLessThan(reduced[0].statistics.states ?? 0, plain[0].statistics.states ?? 0, variant.rawValue)
        }
    }

    func testSymmetryProvesFixedOnTheSameReachableClassesAsThePlainSearch() throws {
        let configuration = TransportConfiguration(cpus: 2, buffers: 1, variant: .fixed)
        let plain = try results(configuration, symmetry: false, maxDepth: nil)
        let reduced = try results(configuration, symmetry: true, maxDepth: nil)
        XCTAssertEqual(plain.map(\.verdict), Array(repeating: .proved, count: plain.count))
        XCTAssertEqual(reduced.map(\.verdict), plain.map(\.verdict))
        XCTAssertLessThan(reduced[0].statistics.states ?? 0, plain[0].statistics.states ?? 0)
    }

    func testCounterexampleFoundUnderSymmetryIsARealRunOfTheSpec() throws {
        let system = try TransitionSystem(TransportSpec.make(TransportConfiguration(variant: .upstream, core: .current)))
        let result = try ExplicitStateChecker(system: system).check(["no-double-free"])[0]
        let trace = try XCTUnwrap(result.trace(in: system))
        let replay = try trace.replay(in: system)
        XCTAssertNil(replay.divergence)
        XCTAssertEqual(replay.brokenInvariants.last?.contains("no-double-free"), true)
        XCTAssertEqual(replay.brokenInvariants.dropLast().filter { $0.contains("no-double-free") }.count, 0)
    }
}

/// Partial-order reduction, alone and with symmetry, gives the plain search's answers on the transport.
final class TransportPartialOrderTests: XCTestCase {
    private func results(_ configuration: TransportConfiguration, symmetry: Bool, partialOrder: Bool, maxDepth: Int?) throws -> [CheckResult] {
        let system = try TransitionSystem(TransportSpec.make(configuration))
        var options = CheckOptions(maxDepth: maxDepth)
        options.useSymmetry = symmetry
        options.usePartialOrderReduction = partialOrder
        return try ExplicitStateChecker(system: system, options: options).check(TransportSpec.invariantNames)
    }

    func testEveryReductionKeepsEveryVerdictOnEveryVariant() throws {
        for variant in Variant.allCases {
            let configuration = TransportConfiguration(variant: variant, core: .current)
            let plain = try results(configuration, symmetry: false, partialOrder: false, maxDepth: 15)
            for symmetry in [false, true] {
                let reduced = try results(configuration, symmetry: symmetry, partialOrder: true, maxDepth: 15)
                for (a, b) in zip(plain, reduced) {
                    let context = "\(variant.rawValue) \(a.invariant), symmetry \(symmetry)"
                    if a.verdict == .violated {
                        XCTAssertEqual(b.verdict, .violated, context)
                        XCTAssertGreaterThanOrEqual(b.depth ?? 0, a.depth ?? 0, context)
                    } else {
                        // A reduced search cut at a depth decides nothing: it never claims a depth.
                        XCTAssertEqual(a.verdict, .holdsUpToDepth, context)
                        XCTAssertEqual(b.verdict, .unknown, context)
                    }
                }
            }
        }
    }
}
