@testable import Checking
import Fixtures
import Traces
import TransitionSystems
import XCTest

/// Every counterexample from Z3 is replayed on the interpreter; a broken encoding is caught, not reported.
final class CounterexampleValidatorTests: XCTestCase {
    private func system(_ name: String) throws -> TransitionSystem {
        try TransitionSystem(XCTUnwrap(Fixtures.named(name)).spec)
    }

    private func slot(_ name: String, in system: TransitionSystem) throws -> Int {
        try XCTUnwrap(system.layout.slots.firstIndex { $0.name == name })
    }

    func testValidatorAcceptsTheExplicitEnginesShortestCounterexample() throws {
        let system = try system("buffer-pool-double-release")
        let trace = try XCTUnwrap(ExplicitStateChecker(system: system).check(["no-double-free"])[0].trace(in: system))
        let index = try system.invariantIndices(["no-double-free"])[0]
        XCTAssertNoThrow(try CounterexampleValidator(system: system)
            .validate(states: trace.states(in: system), instances: trace.instances(in: system), invariant: index))
    }

    func testValidatorRejectsARunWhoseLastStateKeepsTheInvariant() throws {
        let system = try system("mutex-naive")
        let trace = try XCTUnwrap(ExplicitStateChecker(system: system).check(["mutual-exclusion"])[0].trace(in: system))
        let states = try trace.states(in: system), instances = try trace.instances(in: system)
        XCTAssertThrowsError(try CounterexampleValidator(system: system)
            .validate(states: Array(states.dropLast()), instances: Array(instances.dropLast()), invariant: 0)) { error in
            XCTAssertTrue("\(error)".contains("satisfies 'mutual-exclusion'"), "\(error)")
        }
    }

    func testValidatorNamesStepSlotAndValuesOfAStateTheModelGotWrong() throws {
        let system = try system("mutex-naive")
        let trace = try XCTUnwrap(ExplicitStateChecker(system: system).check(["mutual-exclusion"])[0].trace(in: system))
        var states = try trace.states(in: system)
        let locked = try slot("locked", in: system)
        states[3].slots[locked] = 0
        XCTAssertThrowsError(try CounterexampleValidator(system: system)
            .validate(states: states, instances: trace.instances(in: system), invariant: 0)) { error in
            XCTAssertTrue(error is InternalError, "\(error)")
            let message = "\(error)"
            XCTAssertTrue(message.contains("step 3") && message.contains("locked"), message)
            XCTAssertTrue(message.contains("should be true") && message.contains("has false"), message)
        }
    }

    func testBMCWithADroppedFrameConditionIsCaughtAsAnInternalError() throws {
        let system = try system("mutex-naive")
        let pc = try slot("proc_pc[p0]", in: system)
        let bmc = BoundedModelChecker(system: system, options: CheckOptions(maxDepth: 6), fault: .dropFrame(slot: pc))
        XCTAssertThrowsError(try bmc.check(["mutual-exclusion"])) { error in
            XCTAssertTrue(error is InternalError, "\(error)")
            XCTAssertTrue("\(error)".contains("proc_pc[p0]"), "\(error)")
        }
    }

    func testBMCWithAnIgnoredUpdateIsCaughtAsAnInternalError() throws {
        let system = try system("ring-buffer-overflow")
        let produce = try XCTUnwrap(system.instances.first { $0.action == "produce" }).id
        let count = try slot("count", in: system)
        let bmc = BoundedModelChecker(system: system, options: CheckOptions(maxDepth: 6), fault: .ignoreWrite(instance: produce, slot: count))
        XCTAssertThrowsError(try bmc.check(["no-overwrite"])) { error in
            XCTAssertTrue(error is InternalError, "\(error)")
            let message = "\(error)"
            XCTAssertTrue(message.contains("step 1") && message.contains("slot count should be 1") && message.contains("has 0"), message)
        }
    }

    func testKInductionBaseCaseValidatesItsCounterexamplesToo() throws {
        let system = try system("mutex-naive")
        let pc = try slot("proc_pc[p1]", in: system)
        let kind = KInductionChecker(system: system, options: CheckOptions(maxDepth: 6), fault: .dropFrame(slot: pc))
        XCTAssertThrowsError(try kind.check(["mutual-exclusion"])) { error in
            XCTAssertTrue(error is InternalError, "\(error)")
        }
    }
}
