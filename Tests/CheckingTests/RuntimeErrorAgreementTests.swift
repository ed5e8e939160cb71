@testable import Checking
import TransitionSystems
import XCTest

/// A spec that leaves a domain while running is a spec error in every engine, not a verdict.
final class RuntimeErrorAgreementTests: XCTestCase {
    private let level = Domain.range("Level", 0...2)
    private let slot = Domain.instances("Slot", count: 2, prefix: "s")

    /// `n` counts up by one per step without looking at its bound: the third step leaves 0...2.
    private var overflowingCounter: Spec {
        let n = Variable("n", level, initial: 0)
        return Spec("overflow") {
            n
            Process("ticker") { _ in Step("tick") { n.value <- n.value + 1 } }
            Invariant("small", "n stays within its domain") { n.value <= 2 }
        }
    }

    /// `a[i + 1]` is read after `i` has moved to the last slot: an index outside the array.
    private var overreadingArray: Spec {
        let position = Domain.range("Position", 0...1)
        let i = Variable("i", position, initial: 0)
        let a = Variable("a", .boolean, indexedBy: position, initial: false)
        return Spec("overread") {
            i
            a
            Process("walker") { _ in
                Step("walk") {
                    Guard(i.value < 1)
                    i.value <- i.value + 1
                }
                Step("peek") {
                    Guard(a[i.value + 1] == false)
                    a[i.value] <- true
                }
            }
            Invariant("anything", "never false") { i.value >= 0 }
        }
    }

    private func runtimeError(_ body: () throws -> [CheckResult], _ engine: String) -> String? {
        do {
            let results = try body()
            XCTFail("\(engine) gave \(results.map(\.verdict)) instead of a spec error")
            return nil
        } catch let error as SpecError {
            guard case .runtime(_, let message) = error else {
                XCTFail("\(engine): \(error)")
                return nil
            }
            return message
        } catch {
            XCTFail("\(engine): unexpected \(error)")
            return nil
        }
    }

    func testEveryEngineReportsAValueLeavingItsDomainAsASpecError() throws {
        let system = try TransitionSystem(overflowingCounter)
        let options = CheckOptions(maxDepth: 6)
        let explicit = runtimeError({ try ExplicitStateChecker(system: system, options: options).check(["small"]) }, "explicit")
        let bmc = runtimeError({ try BoundedModelChecker(system: system, options: options).check(["small"]) }, "bmc")
        let kind = runtimeError({ try KInductionChecker(system: system, options: options).check(["small"]) }, "k-induction")
        XCTAssertNotNil(explicit)
        for message in [bmc, kind] {
            let message = try XCTUnwrap(message)
            XCTAssertTrue(message.contains("sets n to 3, outside its domain"), message)
            XCTAssertTrue(message.contains("after ticker tick, ticker tick"), message)
        }
    }

    func testEveryEngineReportsAnIndexOutsideItsArrayAsASpecError() throws {
        let system = try TransitionSystem(overreadingArray)
        let options = CheckOptions(maxDepth: 6)
        XCTAssertNotNil(runtimeError({ try ExplicitStateChecker(system: system, options: options).check(["anything"]) }, "explicit"))
        let bmc = try XCTUnwrap(runtimeError({ try BoundedModelChecker(system: system, options: options).check(["anything"]) }, "bmc"))
        XCTAssertTrue(bmc.contains("outside the array"), bmc)
        XCTAssertNotNil(runtimeError({ try KInductionChecker(system: system, options: options).check(["anything"]) }, "k-induction"))
    }

    func testBMCStopsBeforeTheErrorWhenTheDepthLimitDoes() throws {
        let system = try TransitionSystem(overflowingCounter)
        let explicit = try ExplicitStateChecker(system: system, options: CheckOptions(maxDepth: 2)).check(["small"])[0]
        let bmc = try BoundedModelChecker(system: system, options: CheckOptions(maxDepth: 2)).check(["small"])[0]
        XCTAssertEqual(explicit.verdict, .holdsUpToDepth)
        XCTAssertEqual(bmc.verdict, .holdsUpToDepth)
        XCTAssertEqual(bmc.depth, 2)
    }

    func testAGuardedIncrementNeverLeavesItsDomainAndIsProved() throws {
        let n = Variable("n", level, initial: 0)
        let spec = Spec("guarded") {
            n
            Process("ticker") { _ in
                Step("tick") {
                    Guard(n.value < 2)
                    n.value <- n.value + 1
                }
                Step("reset") {
                    Guard(n.value - 1 >= 1)
                    n.value <- 0
                }
            }
            Invariant("small", "n stays within its domain") { n.value <= 2 }
        }
        let system = try TransitionSystem(spec)
        XCTAssertEqual(try ExplicitStateChecker(system: system).check(["small"])[0].verdict, .proved)
        let kind = try KInductionChecker(system: system).check(["small"])[0]
        XCTAssertEqual(kind.verdict, .proved, kind.detail)
        XCTAssertTrue(kind.detail.contains(KInductionChecker.definedStepsName) || kind.detail.contains("no lemmas"), kind.detail)
    }
}
