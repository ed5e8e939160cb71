import Checking
@testable import SCMICheckCLI
import TransitionSystems
import WeakMemory
import XCTest

/// A weak history that overflows stops its run and forbids every proof.
final class HistoryBoundTests: XCTestCase {
    /// One writer stores 1, 2, 3 into a weak `x` with room for two writes; a reader that never
    /// runs keeps the first write readable, so the third overflows.
    private var spec: Spec {
        let x = Variable("x", .range("V", 0...3), initial: 0)
        let reader = Variable("r", .range("V", 0...3), initial: 0)
        return Spec("overflow") {
            WeakMemoryDeclaration(weak: [x], history: 2, defaultModel: .lkmmNoLB)
            x
            reader
            Process("writer", labels: ["w1", "w2", "w3", "done"]) { _ in
                Step("store1", from: "w1", to: "w2") { Writes(x, .once); x.value <- 1 }
                Step("store2", from: "w2", to: "w3") { Writes(x, .once); x.value <- 2 }
                Step("store3", from: "w3", to: "done") { Writes(x, .once); x.value <- 3 }
            }
            Process("observer", labels: ["read", "done"]) { _ in
                Step("load", from: "read", to: "done") { Reads(x, .once); reader.value <- x.value }
            }
            Invariant("small", "x stays below 4.") { x.value < 4 }
        }
    }

    func testAnOverflowingHistoryTurnsAProofIntoUnknown() throws {
        let run = try WeakMemoryRun(spec, requested: nil, engine: .explicit)
        XCTAssertEqual(run.model, .lkmmNoLB)
        let results = try ExplicitStateChecker(system: run.system).check(run.invariants(["small"]))
        XCTAssertEqual(results.first { $0.invariant == "small" }?.verdict, .proved, "the engine alone would call it proved")
        XCTAssertEqual(results.first { $0.invariant == WeakMemoryTransformation.historyBoundInvariant }?.verdict, .violated)
        let reported = run.reported(results)
        XCTAssertEqual(reported.map(\.invariant), ["small"])
        XCTAssertEqual(reported[0].verdict, .unknown)
        XCTAssertTrue(reported[0].detail.hasPrefix("[lkmm-nolb] a weak history needed more writes than its bound"), reported[0].detail)
    }

    func testABoundedRunClaimsNoDepthBeyondTheFirstOverflow() throws {
        let run = try WeakMemoryRun(spec, requested: nil, engine: .explicit)
        let results = try ExplicitStateChecker(system: run.system, options: CheckOptions(maxDepth: 3)).check(run.invariants(["small"]))
        let overflow = try XCTUnwrap(results.first { $0.invariant == WeakMemoryTransformation.historyBoundInvariant }?.depth)
        let reported = run.reported(results)
        XCTAssertEqual(reported[0].verdict, .holdsUpToDepth)
        XCTAssertEqual(reported[0].depth, overflow - 1, reported[0].detail)
    }

    func testARunUnderSequentialConsistencyIgnoresTheAnnotations() throws {
        let run = try WeakMemoryRun(spec, requested: .sc, engine: .bmc)
        let results = try ExplicitStateChecker(system: run.system).check(run.invariants(["small"]))
        XCTAssertEqual(run.reported(results).map(\.verdict), [.proved])
    }
}
