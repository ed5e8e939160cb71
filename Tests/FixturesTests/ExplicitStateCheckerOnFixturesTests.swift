import Checking
import Fixtures
import TransitionSystems
import XCTest

/// The explicit engine against the fixtures' hand-worked answers (see each fixture's file).
final class ExplicitStateCheckerOnFixturesTests: XCTestCase {
    private func results(_ name: String) throws -> [String: CheckResult] {
        let fixture = try XCTUnwrap(Fixtures.named(name))
        let system = try TransitionSystem(fixture.spec)
        let names = system.invariants.map(\.name)
        let results = try ExplicitStateChecker(system: system).check(names)
        return Dictionary(uniqueKeysWithValues: zip(names, results))
    }

    func testNaiveMutexIsViolatedAtDepthFour() throws {
        let result = try XCTUnwrap(results("mutex-naive")["mutual-exclusion"])
        XCTAssertEqual(result.verdict, .violated)
        XCTAssertEqual(result.depth, 4)
        XCTAssertEqual(result.counterexample?.instances.map(\.action), ["test", "test", "set", "set"])
    }

    func testPetersonMutexIsProvedOnAllReachableStates() throws {
        let result = try XCTUnwrap(results("mutex-peterson")["mutual-exclusion"])
        XCTAssertEqual(result.verdict, .proved)
        XCTAssertNil(result.counterexample)
    }

    func testRingBufferKeepsAllInvariants() throws {
        let results = try results("ring-buffer")
        for name in ["no-overwrite", "count-bounded", "count-matches-slots"] {
            XCTAssertEqual(results[name]?.verdict, .proved, name)
        }
        // Reachable states by hand: count 0, 1 or 2 with head determined by tail and count,
        // tail 0 or 1, slots determined: 3 * 2 = 6.
        XCTAssertEqual(results["no-overwrite"]?.statistics.states, 6)
    }

    func testOverflowingRingBufferIsViolatedAtDepthThree() throws {
        let results = try results("ring-buffer-overflow")
        for name in ["no-overwrite", "count-bounded", "count-matches-slots"] {
            XCTAssertEqual(results[name]?.verdict, .violated, name)
            XCTAssertEqual(results[name]?.depth, 3, name)
        }
        XCTAssertEqual(results["no-overwrite"]?.counterexample?.instances.map(\.action), ["produce", "produce", "produce"])
    }

    func testBufferPoolWithAtomicReleaseNeverDoubleFrees() throws {
        let results = try results("buffer-pool")
        XCTAssertEqual(results["no-double-free"]?.verdict, .proved)
        XCTAssertEqual(results["refcount-matches-holders"]?.verdict, .proved)
    }

    func testBufferPoolWithSplitReleaseDoubleFreesAtDepthSix() throws {
        let results = try results("buffer-pool-double-release")
        XCTAssertEqual(results["no-double-free"]?.verdict, .violated)
        XCTAssertEqual(results["no-double-free"]?.depth, 6)
        XCTAssertEqual(results["refcount-matches-holders"]?.verdict, .proved)
    }

    func testEveryFixtureMeetsItsRecordedExpectations() throws {
        for fixture in Fixtures.all {
            let results = try results(fixture.name)
            for (name, expectation) in fixture.expectations {
                let result = try XCTUnwrap(results[name], "\(fixture.name): \(name)")
                switch expectation {
                case .holds: XCTAssertEqual(result.verdict, .proved, "\(fixture.name): \(name)")
                case .violated(let depth):
                    XCTAssertEqual(result.verdict, .violated, "\(fixture.name): \(name)")
                    XCTAssertEqual(result.depth, depth, "\(fixture.name): \(name)")
                }
            }
        }
    }

    func testDepthLimitGivesHoldsUpToDepthNotProved() throws {
        let fixture = try XCTUnwrap(Fixtures.named("buffer-pool-double-release"))
        let system = try TransitionSystem(fixture.spec)
        let result = try ExplicitStateChecker(system: system, options: CheckOptions(maxDepth: 5)).check(["no-double-free"])[0]
        XCTAssertEqual(result.verdict, .holdsUpToDepth)
        XCTAssertEqual(result.depth, 5)
    }
}

/// A spec that declares a symmetry it does not have is rejected, not silently mis-checked.
final class DeclaredSymmetryTests: XCTestCase {
    func testFalselyDeclaredSymmetryIsReportedAsASpecError() throws {
        let fixture = try XCTUnwrap(Fixtures.named("buffer-pool-double-release"))
        var spec = fixture.spec
        // Only u0 may take the buffer from the pool: users are not interchangeable.
        spec.symmetric = [Domain.instances("User", count: 2, prefix: "u")]
        let system = try TransitionSystem(spec)
        XCTAssertThrowsError(try ExplicitStateChecker(system: system).check(["no-double-free"])) { error in
            XCTAssertTrue("\(error)".contains("declares User symmetric"), "\(error)")
        }
    }

    func testTrulySymmetricProcessesKeepTheirVerdictsUnderSymmetry() throws {
        let fixture = try XCTUnwrap(Fixtures.named("mutex-naive"))
        var spec = fixture.spec
        spec.symmetric = [Domain.instances("Proc", count: 2, prefix: "p")]
        let result = try ExplicitStateChecker(system: try TransitionSystem(spec)).check(["mutual-exclusion"])[0]
        XCTAssertEqual(result.verdict, .violated)
        XCTAssertEqual(result.depth, 4)
    }
}
