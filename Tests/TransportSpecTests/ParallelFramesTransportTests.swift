import Checking
import TransitionSystems
import TransportSpec
import Vocabulary
import XCTest

/// BMC with parallel frames on every transport variant: every violation the explicit engine
/// finds within the depth, found within that many frames and replayed. At 2 CPUs × 2 buffers the
/// shallowest findings are 14-17 steps deep, so this test, which must stay fast, runs 1 CPU ×
/// 1 buffer to depth 12 and 2 × 2 to depth 6; `scmi-bench` runs 2 × 2 to depth 20.
final class ParallelFramesTransportTests: XCTestCase {
    private func check(cpus: Int, buffers: Int, depth: Int) throws -> Int {
        var violations = 0
        for variant in Variant.allCases {
            let configuration = TransportConfiguration(cpus: cpus, buffers: buffers, variant: variant)
            let system = try TransitionSystem(TransportSpec.make(configuration))
            let names = system.spec.properties.map(\.name)
            let explicit = try ExplicitStateChecker(system: system, options: CheckOptions(maxDepth: depth)).check(names)
            var options = CheckOptions(maxDepth: depth)
            options.frames = .parallel
            let parallel = try BoundedModelChecker(system: system, options: options).check(names)
            for (e, p) in zip(explicit, parallel) {
                let context = "\(variant) \(cpus)x\(buffers), \(e.invariant): explicit \(e.verdict) at \(e.depth ?? -1); parallel \(p.verdict) at \(p.depth ?? -1) (\(p.detail))"
                if e.verdict == .violated {
                    XCTAssertEqual(p.verdict, .violated, context)
                    XCTAssertGreaterThanOrEqual(p.counterexample?.depth ?? -1, e.depth ?? 0, context)
                    violations += 1
                } else if p.verdict == .violated {
                    XCTAssertGreaterThan(p.counterexample?.depth ?? 0, depth, context)
                }
            }
        }
        return violations
    }

    func testParallelFramesAgreeWithTheExplicitEngineOnEveryVariantAtOneCPUAndOneBuffer() throws {
        _ = try check(cpus: 1, buffers: 1, depth: 12)
    }

    func testParallelFramesAgreeWithTheExplicitEngineOnEveryVariantAtTwoByTwoToDepthSix() throws {
        _ = try check(cpus: 2, buffers: 2, depth: 6)
    }
}
