@testable import Checking
import Fixtures
import SMT
import TransitionSystems
import XCTest

/// The encoding: one variable per slot per step, functional next-state terms, exact arithmetic.
final class UnrollerTests: XCTestCase {
    private func encoding(_ name: String) throws -> TransitionEncoding {
        try TransitionEncoding(system: TransitionSystem(XCTUnwrap(Fixtures.named(name)).spec))
    }

    func testEachSlotIsCreatedOncePerStepAndTranslationsAreShared() throws {
        let encoding = try encoding("buffer-pool")
        let unroller = try Unroller(encoding: encoding, context: Context(), prefix: "", timeout: nil)
        let first = try unroller.slot(0, at: 2)
        let count = unroller.termCount
        XCTAssertTrue(try unroller.slot(0, at: 2).isIdentical(to: first))
        XCTAssertFalse(try unroller.slot(0, at: 1).isIdentical(to: first))
        XCTAssertEqual(unroller.termCount, count)
        let invariant = encoding.system.invariants[0].term
        let translated = try unroller.formula(invariant, at: 1)
        let afterFirst = unroller.termCount
        XCTAssertTrue(try unroller.formula(invariant, at: 1).isIdentical(to: translated))
        XCTAssertEqual(unroller.termCount, afterFirst)
        XCTAssertEqual(unroller.stepCount, 3)
    }

    func testSlotsAreStoredAtTheWidthOfTheirDomain() throws {
        let encoding = try encoding("ring-buffer")
        let layout = encoding.system.layout
        for (slot, width) in zip(layout.slots, encoding.slotWidths) {
            XCTAssertEqual(width, slot.domain.size <= 2 ? 1 : 2, slot.name)
        }
        XCTAssertEqual(encoding.choiceWidth, 1)
    }

    func testNextStateListsOneWriterPerInstanceThatWritesTheSlot() throws {
        let encoding = try encoding("mutex-naive")
        let locked = try XCTUnwrap(encoding.system.layout.slots.firstIndex { $0.name == "locked" })
        let writers = encoding.writers[locked].map { encoding.system.instances[$0.instance] }
        XCTAssertEqual(writers.map(\.action).sorted(), ["leave", "leave", "set", "set"])
        XCTAssertEqual(Set(writers.map(\.actor)), ["proc[p0]", "proc[p1]"])
    }

    func testValueWidthHasHeadroomForIntermediatesBelowTheDomain() throws {
        let level = Domain.range("Level", 0...3)
        let n = Variable("n", level, initial: 0)
        let seen = Variable("seen", .boolean, initial: false)
        let spec = Spec("below-zero") {
            n
            seen
            Process("p") { _ in
                Step("look") {
                    Guard(n.value - 1 < 0)
                    seen.value <- true
                }
            }
            Invariant("never-seen", "n - 1 is never below zero") { seen.value == false }
        }
        let system = try TransitionSystem(spec)
        let encoding = TransitionEncoding(system: system)
        XCTAssertGreaterThanOrEqual(encoding.valueWidth, 3)
        let result = try BoundedModelChecker(system: system, options: CheckOptions(maxDepth: 3)).check(["never-seen"])[0]
        XCTAssertEqual(result.verdict, .violated)
        XCTAssertEqual(result.depth, 1)
    }

    func testNegativeRangesCompareSigned() throws {
        let level = Domain.range("Signed", -2...1)
        let n = Variable("n", level, initial: -2)
        let spec = Spec("signed") {
            n
            Process("p") { _ in
                Step("up") {
                    Guard(n.value < 1)
                    n.value <- n.value + 1
                }
            }
            Invariant("negative", "n stays below zero") { n.value < 0 }
            Invariant("sum", "n + n stays at least -4") { n.value + n.value >= -4 }
        }
        let system = try TransitionSystem(spec)
        let results = try BoundedModelChecker(system: system, options: CheckOptions(maxDepth: 4)).check(["negative", "sum"])
        XCTAssertEqual(results[0].verdict, .violated)
        XCTAssertEqual(results[0].depth, 2)
        XCTAssertEqual(results[1].verdict, .holdsUpToDepth)
        XCTAssertEqual(try KInductionChecker(system: system).check(["sum"])[0].verdict, .proved)
    }

    func testIndependentStepsAreFiredInOneOrderWithoutChangingShortestDepths() throws {
        let level = Domain.range("Level", 0...2)
        let a = Variable("a", level, initial: 0)
        let b = Variable("b", level, initial: 0)
        let spec = Spec("independent") {
            a
            b
            Process("left") { _ in Step("up") { Guard(a.value < 2); a.value <- a.value + 1 } }
            Process("right") { _ in Step("up") { Guard(b.value < 2); b.value <- b.value + 1 } }
            Invariant("not-both-full", "a and b are never both 2") { !(a.value == 2 && b.value == 2) }
        }
        let system = try TransitionSystem(spec)
        XCTAssertEqual(TransitionEncoding(system: system).commutingPredecessors, [[], [0]])
        XCTAssertEqual(TransitionEncoding(system: system, reducingInterleavings: false).commutingPredecessors, [[], []])
        let explicit = try ExplicitStateChecker(system: system).check(["not-both-full"])[0]
        let bmc = try BoundedModelChecker(system: system, options: CheckOptions(maxDepth: 6)).check(["not-both-full"])[0]
        XCTAssertEqual(bmc.depth, explicit.depth)
        XCTAssertEqual(bmc.depth, 4)
        XCTAssertEqual(bmc.counterexample?.instances.map(\.actor), ["left", "left", "right", "right"])
    }
}
