@testable import Checking
import Fixtures
import TransitionSystems
import XCTest

/// The explicit engine, BMC and k-induction on a few hundred random systems
/// (``RandomSystems``): the same verdicts and the same shortest depths.
final class DifferentialTests: XCTestCase {
    private let seeds: Range<UInt64> = 0..<300
    private let depth = 8

    func testBMCAndKInductionAgreeWithTheExplicitEngineOnRandomSystems() throws {
        var tally: [String: Int] = [:]
        for seed in seeds {
            let system: TransitionSystem
            do {
                system = try TransitionSystem(RandomSystems.spec(seed: seed))
            } catch {
                XCTFail("seed \(seed): the random spec does not load: \(error)")
                continue
            }
            let names = system.invariants.map(\.name)
            let explicit = try ExplicitStateChecker(system: system).check(names)
            let bmc = try BoundedModelChecker(system: system, options: CheckOptions(maxDepth: depth)).check(names)
            let kind = try KInductionChecker(system: system, options: CheckOptions(maxDepth: depth)).check(names)
            for (position, name) in names.enumerated() {
                let (e, b, k) = (explicit[position], bmc[position], kind[position])
                let context = "seed \(seed) (RandomSystems.spec(seed: \(seed))), invariant \(name): explicit \(e.verdict) at \(e.depth ?? -1), "
                    + "bmc \(b.verdict) at \(b.depth ?? -1), k-induction \(k.verdict) at \(k.depth ?? -1) (\(k.detail))"
                XCTAssertNotEqual(e.verdict, .holdsUpToDepth, context)
                if e.verdict == .violated, let d = e.depth, d <= depth {
                    XCTAssertEqual(b.verdict, .violated, context)
                    XCTAssertEqual(b.depth, d, context)
                    XCTAssertEqual(b.counterexample?.depth, d, context)
                } else {
                    XCTAssertEqual(b.verdict, .holdsUpToDepth, context)
                    XCTAssertEqual(b.depth, depth, context)
                }
                switch k.verdict {
                case .proved:
                    XCTAssertEqual(e.verdict, .proved, context)
                case .violated:
                    XCTAssertEqual(e.verdict, .violated, context)
                    XCTAssertEqual(k.depth, e.depth, context)
                case .holdsUpToDepth:
                    XCTAssertFalse(e.verdict == .violated && (e.depth ?? 0) <= (k.depth ?? 0), context)
                case .unknown:
                    break
                }
                tally["explicit \(e.verdict), k-induction \(k.verdict)", default: 0] += 1
            }
        }
        print("random systems:", tally.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "))
    }

    func testEveryEngineMeetsTheSameRuntimeErrorsOnRandomSystemsWithUnguardedArithmetic() throws {
        var errors = 0
        for seed in seeds.prefix(150) {
            var spec = RandomSystems.spec(seed: seed, unguardedArithmetic: true)
            spec.invariants = [Invariant("in-domain", "Always true.") { Expr.variable("n") >= -1 }]
            let system = try TransitionSystem(spec)
            let options = CheckOptions(maxDepth: depth)
            let explicit = outcome { try ExplicitStateChecker(system: system, options: options).check(["in-domain"])[0] }
            let complete = outcome { try ExplicitStateChecker(system: system).check(["in-domain"])[0] }
            let bmc = outcome { try BoundedModelChecker(system: system, options: options).check(["in-domain"])[0] }
            let kind = outcome { try KInductionChecker(system: system, options: options).check(["in-domain"])[0] }
            let context = "seed \(seed) (RandomSystems.spec(seed: \(seed), unguardedArithmetic: true)): explicit \(explicit) "
                + "(unbounded: \(complete)), bmc \(bmc), k-induction \(kind)"
            XCTAssertEqual(explicit == "spec error", bmc == "spec error", context)
            if kind == "proved" { XCTAssertEqual(complete, "proved", context) }
            if kind == "spec error" { XCTAssertEqual(explicit, "spec error", context) }
            if explicit == "spec error" { XCTAssertTrue(kind == "spec error" || kind == "unknown", context) }
            if explicit == "spec error" { errors += 1 }
        }
        XCTAssertGreaterThan(errors, 10, "too few random systems meet a runtime error to test anything")
    }

    /// The verdict, or "spec error" when the check throws the interpreter's runtime error.
    private func outcome(_ check: () throws -> CheckResult) -> String {
        do {
            return try check().verdict.rawValue
        } catch SpecError.runtime {
            return "spec error"
        } catch {
            return "unexpected \(error)"
        }
    }
}
