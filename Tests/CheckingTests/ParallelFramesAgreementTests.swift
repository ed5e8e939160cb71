@testable import Checking
import Fixtures
import Foundation
import TransitionSystems
import XCTest

/// BMC with parallel frames against the explicit engine on the fixtures and random systems:
/// every violation the explicit engine finds within the depth is found within that many
/// frames, as a run (validated by the replay) of at least the explicit engine's shortest depth.
final class ParallelFramesAgreementTests: XCTestCase {
    private let depth = 8

    /// The frames a parallel BMC violation took, from its detail ("... in F frames ...").
    static func frames(_ result: CheckResult) -> Int? {
        guard let range = result.detail.range(of: #"in (\d+) frames"#, options: .regularExpression) else { return nil }
        return Int(result.detail[range].split(separator: " ")[1])
    }

    /// Checks `system` both ways and asserts the agreement; returns the explicit verdicts found violated.
    @discardableResult
    static func assertAgreement(_ system: TransitionSystem, depth: Int, _ label: String,
                                file: StaticString = #filePath, line: UInt = #line) throws -> [(String, Int, Int, Int)] {
        let names = system.spec.properties.map(\.name)
        let explicit = try ExplicitStateChecker(system: system, options: CheckOptions(maxDepth: depth)).check(names)
        var options = CheckOptions(maxDepth: depth)
        options.frames = .parallel
        let parallel = try BoundedModelChecker(system: system, options: options).check(names)
        var found: [(String, Int, Int, Int)] = []
        for (e, p) in zip(explicit, parallel) {
            let context = "\(label), \(e.invariant): explicit \(e.verdict) at \(e.depth ?? -1); parallel BMC \(p.verdict) at \(p.depth ?? -1) (\(p.detail))"
            if e.verdict == .violated, let d = e.depth {
                XCTAssertEqual(p.verdict, .violated, context, file: file, line: line)
                guard let frames = frames(p), let steps = p.counterexample?.depth else {
                    XCTFail("no frames or counterexample: \(context)", file: file, line: line)
                    continue
                }
                XCTAssertLessThanOrEqual(frames, d, context, file: file, line: line)
                XCTAssertGreaterThanOrEqual(steps, d, "no run is shorter than the explicit engine's shortest: \(context)", file: file, line: line)
                XCTAssertEqual(p.depth, steps, context, file: file, line: line)
                found.append((e.invariant, d, frames, steps))
            } else if p.verdict == .violated {
                // Frames reach further than steps: a violation beyond the explicit depth limit is fine, one within it is not.
                XCTAssertGreaterThan(p.counterexample?.depth ?? 0, depth, context, file: file, line: line)
            } else {
                XCTAssertEqual(p.verdict, .holdsUpToDepth, context, file: file, line: line)
            }
        }
        return found
    }

    func testParallelFramesFindEveryFixtureViolationTheExplicitEngineFinds() throws {
        var violations = 0
        for fixture in Fixtures.all {
            violations += try Self.assertAgreement(TransitionSystem(fixture.spec), depth: 12, fixture.name).count
        }
        XCTAssertGreaterThanOrEqual(violations, 3, "the broken fixtures' violations")
    }

    func testParallelFramesFindEveryRandomSystemViolationTheExplicitEngineFinds() throws {
        var violations = 0, shorter = 0
        for seed in UInt64(0)..<200 {
            let found = try Self.assertAgreement(TransitionSystem(RandomSystems.spec(seed: seed)), depth: depth, "seed \(seed)")
            violations += found.count
            shorter += found.filter { $0.2 < $0.1 }.count
        }
        XCTAssertGreaterThan(violations, 20, "too few random systems break an invariant to test anything")
        print("random systems: \(violations) violations found in parallel frames, \(shorter) in fewer frames than steps")
    }

    func testAFrameFiresOnlyIndependentInstancesThatAreEnabled() throws {
        // Every frame of every counterexample expands into enabled single steps (the unroller
        // checks each frame's end state against the interpreter's), and some frame fires two.
        let system = try TransitionSystem(Fixtures.named("mutex-naive")!.spec)
        var options = CheckOptions(maxDepth: 6)
        options.frames = .parallel
        let result = try BoundedModelChecker(system: system, options: options).check(["mutual-exclusion"])[0]
        XCTAssertEqual(result.verdict, .violated)
        let frames = try XCTUnwrap(Self.frames(result))
        XCTAssertLessThan(frames, try XCTUnwrap(result.counterexample).depth, result.detail)
        try CounterexampleValidator(system: system).validate(states: result.counterexample!.states,
                                                             instances: result.counterexample!.instances.map(\.id), invariant: 0)
    }
}
