import Checking
import TransitionSystems
import TransportSpec
import Vocabulary
import WeakMemory
import XCTest

/// The transport under `lkmm-nolb`: each of fixed's two ordering annotations is necessary (one
/// step weaker and the stale length is fetched again), and they are all it needs for that
/// property; the annotations change nothing under sequential consistency.
final class TransportUnderWeakMemoryTests: XCTestCase {
    private let configuration = TransportConfiguration(variant: .fixed, core: .current)

    private func weakSystem(_ switches: Switches) throws -> TransitionSystem {
        let spec = try TransportSpec.build(configuration, switches: switches).spec
        return try TransitionSystem(WeakMemoryTransformation(spec).transformed())
    }

    private func exactlyOnce(_ switches: Switches, maxDepth: Int? = nil) throws -> CheckResult {
        let system = try weakSystem(switches)
        return try ExplicitStateChecker(system: system, options: CheckOptions(maxDepth: maxDepth)).check(["exactly-once-delivery"])[0]
    }

    /// The last step fetches a length that a newer write had replaced: a stale weak read.
    private func assertFetchesAStaleLength(_ result: CheckResult, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(result.verdict, .violated, file: file, line: line)
        let counterexample = try XCTUnwrap(result.counterexample)
        XCTAssertEqual(counterexample.instances.last?.action, "fetch_response", file: file, line: line)
        XCTAssertTrue(counterexample.instances.map(\.action).contains("poll_done_mark_done"), file: file, line: line)
    }

    func testFixedWithAPlainPollDoneCheckFetchesAStaleLengthUnderLKMMNoLB() throws {
        // acquire -> plain on the owner's check (MP with a release but no acquire).
        let result = try exactlyOnce(Variant.fixed.switches.with(.acquireOnPollDoneCheck, false))
        try assertFetchesAStaleLength(result)
        XCTAssertEqual(result.depth, 18)
    }

    func testFixedWithAPlainPollDoneMarkFetchesAStaleLengthUnderLKMMNoLB() throws {
        // release -> plain on the poller's mark (MP with an acquire but no release).
        let result = try exactlyOnce(Variant.fixed.switches.with(.releaseOnPollDoneMark, false))
        try assertFetchesAStaleLength(result)
        XCTAssertEqual(result.depth, 18)
    }

    func testFixedWithBothAnnotationsHasNoStaleLengthWithinTheSameDepth() throws {
        let result = try exactlyOnce(Variant.fixed.switches, maxDepth: 22)
        XCTAssertNotEqual(result.verdict, .violated)
    }

    func testTheOrderingSwitchesChangeNothingUnderSequentialConsistency() throws {
        let plain = Variant.fixed.switches.with(.releaseOnPollDoneMark, false).with(.acquireOnPollDoneCheck, false)
        let a = try TransitionSystem(TransportSpec.build(configuration, switches: plain).spec)
        let b = try TransitionSystem(TransportSpec.build(configuration).spec)
        XCTAssertEqual(a.layout.count, b.layout.count)
        XCTAssertEqual(a.instances.map(\.label), b.instances.map(\.label))
        XCTAssertEqual(a.instances.map { $0.updates.map(\.text) }, b.instances.map { $0.updates.map(\.text) })
    }

    func testEveryWeakReadOfTheTransportIsExplainedInItsCounterexample() throws {
        let system = try TransportSpec.build(configuration, switches: Variant.fixed.switches.with(.acquireOnPollDoneCheck, false)).spec
        let (spec, reads) = try WeakMemoryTransformation(system).transformedWithReads()
        let weak = try TransitionSystem(spec)
        let result = try ExplicitStateChecker(system: weak).check(["exactly-once-delivery"])[0]
        let lines = WeakReadReport(system: weak, reads: reads).lines(try XCTUnwrap(result.counterexample))
        XCTAssertTrue(lines.last?.contains("stale: 1 newer write not yet visible") == true, "\(lines)")
    }
}
