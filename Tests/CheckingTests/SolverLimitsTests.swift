@testable import Checking
import TransitionSystems
import XCTest

/// When Z3 gives up, the verdict is `unknown` with Z3's reason, never a pass.
final class SolverLimitsTests: XCTestCase {
    /// Thirteen pigeons in twelve holes, all in different holes: no initial state, but one a SAT
    /// solver needs far longer than the timeout to refute.
    private var pigeonhole: TransitionSystem {
        get throws {
            let hole = Domain.instances("Hole", count: 12, prefix: "h")
            let pigeons = (0..<13).map { Variable("pigeon\($0)", hole, arbitraryInitialValue: ()) }
            var apart: [Expr] = []
            for i in pigeons.indices {
                for j in pigeons.indices where j > i { apart.append(pigeons[i].value != pigeons[j].value) }
            }
            let parts: [SpecPart] = pigeons.map { .variable($0) }
                + [Initially(.and(apart)), .invariant(Invariant("unreachable", "No state at all.") { .bool(false) })]
            return try TransitionSystem(Spec("pigeonhole") { for part in parts { part } })
        }
    }

    func testBMCReportsUnknownWithTheSolversReasonWhenAQueryTimesOut() throws {
        let options = CheckOptions(maxDepth: 3, timeoutSeconds: 0.1)
        let result = try BoundedModelChecker(system: pigeonhole, options: options).check(["unreachable"])[0]
        XCTAssertEqual(result.verdict, .unknown)
        XCTAssertNil(result.depth)
        XCTAssertTrue(result.detail.contains("timeout") || result.detail.contains("canceled"), result.detail)
        XCTAssertNotNil(result.stopReason?.solverReason, "\(String(describing: result.stopReason))")
    }

    func testKInductionReportsUnknownWhenItsBaseCaseTimesOut() throws {
        let options = CheckOptions(maxDepth: 3, timeoutSeconds: 0.1)
        let result = try KInductionChecker(system: pigeonhole, options: options).check(["unreachable"])[0]
        XCTAssertEqual(result.verdict, .unknown)
        XCTAssertTrue(result.detail.contains("solver answered unknown"), result.detail)
        XCTAssertNotNil(result.stopReason?.solverReason, "\(String(describing: result.stopReason))")
    }
}
