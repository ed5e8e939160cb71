@testable import Checking
import Fixtures
import TransitionSystems
import XCTest

/// Every engine against every fixture's hand-worked answers, and against each other.
final class EnginesAgreeOnFixturesTests: XCTestCase {
    private func check(_ engine: String, _ fixture: Fixture, _ options: CheckOptions = CheckOptions()) throws -> [String: CheckResult] {
        let system = try TransitionSystem(fixture.spec)
        let names = Array(fixture.expectations.keys).sorted()
        let results = try Engines.make(name: engine, system: system, options: options).check(names)
        return Dictionary(uniqueKeysWithValues: zip(names, results))
    }

    func testBMCFindsEachViolatedFixtureInvariantAtItsHandComputedDepth() throws {
        for fixture in Fixtures.all {
            let system = try TransitionSystem(fixture.spec)
            let results = try check("bmc", fixture, CheckOptions(maxDepth: 10))
            for (name, expectation) in fixture.expectations {
                let result = try XCTUnwrap(results[name])
                XCTAssertEqual(result.engine.name, "bmc")
                switch expectation {
                case .violated(let depth):
                    XCTAssertEqual(result.verdict, .violated, "\(fixture.name): \(name)")
                    XCTAssertEqual(result.depth, depth, "\(fixture.name): \(name)")
                    XCTAssertEqual(result.counterexample?.depth, depth, "\(fixture.name): \(name)")
                    XCTAssertEqual(result.trace(in: system)?.invariant, name)
                case .holds:
                    XCTAssertEqual(result.verdict, .holdsUpToDepth, "\(fixture.name): \(name)")
                    XCTAssertEqual(result.depth, 10, "\(fixture.name): \(name)")
                }
            }
        }
    }

    func testKInductionProvesEachHoldingFixtureInvariant() throws {
        for fixture in Fixtures.all {
            let results = try check("kind", fixture)
            for (name, expectation) in fixture.expectations {
                let result = try XCTUnwrap(results[name])
                XCTAssertEqual(result.engine.name, "k-induction")
                switch expectation {
                case .violated(let depth):
                    XCTAssertEqual(result.verdict, .violated, "\(fixture.name): \(name)")
                    XCTAssertEqual(result.depth, depth, "\(fixture.name): \(name)")
                case .holds:
                    XCTAssertEqual(result.verdict, .proved, "\(fixture.name): \(name): \(result.detail)")
                    XCTAssertTrue(result.detail.contains("\(result.depth ?? -1)-induction"), result.detail)
                }
            }
        }
    }

    func testExplicitBMCAndKInductionGiveTheSameVerdictsAndDepthsOnEveryFixture() throws {
        for fixture in Fixtures.all {
            let explicit = try check("explicit", fixture)
            let bmc = try check("bmc", fixture, CheckOptions(maxDepth: 10))
            let kind = try check("kind", fixture)
            for name in fixture.expectations.keys {
                let (e, b, k) = try (XCTUnwrap(explicit[name]), XCTUnwrap(bmc[name]), XCTUnwrap(kind[name]))
                let context = "\(fixture.name): \(name)"
                if e.verdict == .violated {
                    XCTAssertEqual([b.verdict, k.verdict], [.violated, .violated], context)
                    XCTAssertEqual([b.depth, k.depth], [e.depth, e.depth], context)
                    XCTAssertEqual(b.counterexample?.depth, e.counterexample?.depth, context)
                } else {
                    XCTAssertEqual(e.verdict, .proved, context)
                    XCTAssertEqual(b.verdict, .holdsUpToDepth, context)
                    XCTAssertEqual(k.verdict, .proved, context)
                }
            }
        }
    }

    func testBMCFindsDoubleReleaseAtHandComputedDepthSix() throws {
        let results = try check("bmc", XCTUnwrap(Fixtures.named("buffer-pool-double-release")), CheckOptions(maxDepth: 10))
        let result = try XCTUnwrap(results["no-double-free"])
        XCTAssertEqual(result.verdict, .violated)
        XCTAssertEqual(result.depth, 6)
        XCTAssertEqual(result.counterexample?.instances.map(\.action).sorted(),
                       ["borrow", "decrement", "decrement", "take", "test_zero", "test_zero"])
        XCTAssertEqual(results["refcount-matches-holders"]?.verdict, .holdsUpToDepth)
    }

    func testBMCTraceNamesActorActionAndParametersOfEachStep() throws {
        let fixture = try XCTUnwrap(Fixtures.named("mutex-naive"))
        let results = try check("bmc", fixture, CheckOptions(maxDepth: 6))
        let trace = try XCTUnwrap(results["mutual-exclusion"]?.trace(in: TransitionSystem(fixture.spec)))
        XCTAssertEqual(trace.steps.dropFirst().map(\.action), ["test", "test", "set", "set"])
        XCTAssertEqual(Set(trace.steps.dropFirst().compactMap(\.actor)), ["proc[p0]", "proc[p1]"])
        XCTAssertEqual(trace.steps.first?.label, "(initial state)")
    }

    func testBMCNeverClaimsAProofAndFillsPerDepthStatistics() throws {
        let result = try XCTUnwrap(check("bmc", XCTUnwrap(Fixtures.named("mutex-peterson")), CheckOptions(maxDepth: 7))["mutual-exclusion"])
        XCTAssertEqual(result.verdict, .holdsUpToDepth)
        XCTAssertEqual(result.depth, 7)
        XCTAssertEqual(result.statistics.perDepth.map(\.depth), Array(0...7))
        XCTAssertTrue(result.statistics.perDepth.allSatisfy { $0.size > 0 })
        XCTAssertNotNil(result.statistics.perDepth.last?.clauses)
    }

    func testAutoLetsTheExplicitEngineDecideSmallFixtures() throws {
        for fixture in Fixtures.all {
            for result in try check("auto", fixture).values {
                XCTAssertEqual(result.engine.name, "explicit", "\(fixture.name): \(result.invariant)")
                XCTAssertTrue([.violated, .proved].contains(result.verdict), "\(fixture.name): \(result.invariant)")
            }
        }
    }

    func testAutoHandsWhatTheExplicitEngineLeavesOpenToBMCAndKInduction() throws {
        let fixture = try XCTUnwrap(Fixtures.named("buffer-pool-double-release"))
        let system = try TransitionSystem(fixture.spec)
        let results = try AutoChecker(system: system, explicitStateLimit: 5).check(["no-double-free", "refcount-matches-holders"])
        XCTAssertEqual(results.map(\.engine.name), ["bmc", "k-induction"])
        XCTAssertEqual(results.map(\.verdict), [.violated, .proved])
        XCTAssertEqual(results[0].depth, 6)
        XCTAssertEqual(results[0].counterexample?.depth, 6)
    }

    func testEnginesAreMadeByName() throws {
        let system = try TransitionSystem(XCTUnwrap(Fixtures.named("mutex-naive")).spec)
        let engines = try (Engines.names + ["k-induction"]).map { try Engines.make(name: $0, system: system).engine.name }
        XCTAssertEqual(engines, ["explicit", "bmc", "k-induction", "auto", "k-induction"])
    }

    func testAnUnknownEngineNameIsRejectedWithTheList() throws {
        let system = try TransitionSystem(XCTUnwrap(Fixtures.named("mutex-naive")).spec)
        XCTAssertThrowsError(try Engines.make(name: "sat", system: system)) { error in
            XCTAssertEqual("\(error)", "unknown engine 'sat'; the engines are explicit, bmc, kind, auto")
        }
    }

    func testAnUnknownInvariantNameIsASpecError() throws {
        let system = try TransitionSystem(XCTUnwrap(Fixtures.named("mutex-naive")).spec)
        for engine in Engines.names {
            XCTAssertThrowsError(try Engines.make(name: engine, system: system).check(["no-such-thing"]), engine) { error in
                XCTAssertTrue(error is SpecError, "\(engine): \(error)")
            }
        }
    }
}
