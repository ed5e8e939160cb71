import Checking
import Traces
import TransitionSystems
import TransportSpec
import XCTest

/// The transport spec loads in every variant and configuration, and the explicit engine finds
/// the races the project reports, at their shortest depths.
final class TransportSpecTests: XCTestCase {
    private func check(_ configuration: TransportConfiguration, _ invariant: String,
                       behaviour: TransportBehaviour? = nil, maxStates: Int? = nil) throws -> CheckResult {
        let spec = TransportSpec.make(configuration, behaviour: behaviour ?? .of(configuration.variant))
        let system = try TransitionSystem(spec)
        let options = CheckOptions(maxStates: maxStates)
        return try ExplicitStateChecker(system: system, options: options).check([invariant])[0]
    }

    func testEveryVariantAndCoreLoadsAtSeveralSizes() throws {
        for variant in TransportVariant.allCases {
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
        for variant in TransportVariant.allCases {
            let spec = TransportSpec.make(TransportConfiguration(variant: variant))
            for action in spec.actions {
                XCTAssertFalse(action.source.isEmpty, "\(variant.rawValue): \(action.qualifiedName) has no source lines")
                XCTAssertFalse(action.doc.isEmpty, "\(variant.rawValue): \(action.qualifiedName) has no doc")
            }
        }
    }

    func testVariantsDeriveFromOneAnotherByTheirSwitches() {
        XCTAssertEqual(TransportVariant.fixed.base, .upstream)
        XCTAssertEqual(TransportVariant.upstream.base, .v4Proposal)
        XCTAssertEqual(TransportVariant.v4Proposal.base, .v4)
        let upstream = TransportBehaviour.of(.upstream), fixed = TransportBehaviour.of(.fixed)
        XCTAssertTrue(fixed.secondReleaseOnlyWhenPollDone && !upstream.secondReleaseOnlyWhenPollDone)
        XCTAssertTrue(upstream.markBeforeRxLen && !fixed.markBeforeRxLen)
    }

    func testUpstreamOwnerCanFetchBeforeThePollerWritesRxLen() throws {
        // Another CPU's poller marks the buffer POLL_DONE, the owner sees it unlocked and fetches
        // rx_len before the poller has written it: upstream's poll_done writes rx_len after poll_lock.
        let result = try check(TransportConfiguration(variant: .upstream), "exactly-once-delivery")
        XCTAssertEqual(result.verdict, .violated)
        XCTAssertEqual(result.depth, 17)
        let actions = try XCTUnwrap(result.counterexample).instances.map(\.action)
        XCTAssertTrue(actions.contains("poll_done_mark_done"))
        XCTAssertEqual(actions.last, "fetch_response")
    }

    func testFixedWithoutItsRxLenOrderIsViolatedAgain() throws {
        var behaviour = TransportBehaviour.of(.fixed)
        behaviour.markBeforeRxLen = true
        let result = try check(TransportConfiguration(variant: .fixed), "exactly-once-delivery", behaviour: behaviour)
        XCTAssertEqual(result.verdict, .violated)
        XCTAssertEqual(result.depth, 17)
    }

    func testFixedWithoutItsReleaseDecisionIsViolatedAgain() throws {
        var behaviour = TransportBehaviour.of(.fixed)
        behaviour.secondReleaseOnlyWhenPollDone = false
        let result = try check(TransportConfiguration(variant: .fixed), "no-use-after-release", behaviour: behaviour)
        XCTAssertEqual(result.verdict, .violated)
        XCTAssertEqual(result.depth, 20)
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
        for variant in TransportVariant.allCases {
            let configuration = TransportConfiguration(variant: variant)
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
        let system = try TransitionSystem(TransportSpec.make(TransportConfiguration(variant: .upstream)))
        let result = try ExplicitStateChecker(system: system).check(["no-double-free"])[0]
        let trace = try XCTUnwrap(result.trace(in: system))
        let replay = try trace.replay(in: system)
        XCTAssertNil(replay.divergence)
        XCTAssertEqual(replay.brokenInvariants.last?.contains("no-double-free"), true)
        XCTAssertEqual(replay.brokenInvariants.dropLast().filter { $0.contains("no-double-free") }.count, 0)
    }
}
