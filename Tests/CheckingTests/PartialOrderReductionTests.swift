@testable import Checking
import Fixtures
import TransitionSystems
import XCTest

/// Partial-order reduction, alone and with symmetry, against the plain search: the same
/// verdicts everywhere, fewer states where steps are independent and invisible.
final class PartialOrderReductionTests: XCTestCase {
    private func run(_ system: TransitionSystem, symmetry: Bool, partialOrder: Bool, maxDepth: Int? = nil) throws -> [CheckResult] {
        var options = CheckOptions(maxDepth: maxDepth)
        options.useSymmetry = symmetry
        options.usePartialOrderReduction = partialOrder
        return try ExplicitStateChecker(system: system, options: options).check(system.invariants.map(\.name))
    }

    /// Every reduction gives the plain search's verdicts; a violation found under partial-order
    /// reduction is no shorter than the shortest, replays, and is marked as maybe not shortest.
    @discardableResult
    private func assertSameVerdicts(_ system: TransitionSystem, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> Bool {
        let plain = try run(system, symmetry: false, partialOrder: false)
        var reducedAnything = false
        for (symmetry, partialOrder) in [(false, true), (true, true)] {
            let reduced = try run(system, symmetry: symmetry, partialOrder: partialOrder)
            for (a, b) in zip(plain, reduced) {
                let context = "\(name), \(a.invariant), symmetry \(symmetry): plain \(a.verdict) at \(a.depth ?? -1), reduced \(b.verdict) at \(b.depth ?? -1)"
                XCTAssertEqual(a.verdict, b.verdict, context, file: file, line: line)
                if a.verdict == .violated, let counterexample = b.counterexample {
                    XCTAssertGreaterThanOrEqual(b.depth ?? 0, a.depth ?? 0, context, file: file, line: line)
                    XCTAssertFalse(b.isShortest, context, file: file, line: line)
                    let invariant = system.invariants.firstIndex { $0.name == b.invariant }
                    XCTAssertNoThrow(try CounterexampleValidator(system: system).validate(
                        states: counterexample.states, instances: counterexample.instances.map(\.id), invariant: invariant), context, file: file, line: line)
                }
            }
            // A search that ends by exhausting the states reaches no more of them reduced. (One
            // that ends at a violation may search deeper, and wider, for a longer counterexample.)
            if plain.allSatisfy({ $0.verdict == .proved }) {
                XCTAssertLessThanOrEqual(reduced.first?.statistics.states ?? 0, plain.first?.statistics.states ?? 0, name, file: file, line: line)
            }
            if (reduced.first?.statistics.reducedStates ?? 0) > 0 { reducedAnything = true }
        }
        return reducedAnything
    }

    func testEveryReductionKeepsTheVerdictsOfTheFixtures() throws {
        for fixture in Fixtures.all {
            try assertSameVerdicts(try TransitionSystem(fixture.spec), fixture.name)
        }
    }

    func testEveryReductionKeepsTheVerdictsOfRandomSystems() throws {
        var reduced = 0
        for seed in UInt64(0)..<40 {
            try assertSameVerdicts(try TransitionSystem(RandomSystems.spec(seed: seed)), "RandomSystems.spec(seed: \(seed))")
            let spec = RandomSystems.spec(seed: seed, localSteps: true)
            if try assertSameVerdicts(try TransitionSystem(spec), "RandomSystems.spec(seed: \(seed), localSteps: true)") { reduced += 1 }
        }
        print("partial-order reduction fired an ample set in \(reduced) of 40 random systems with local steps")
        XCTAssertGreaterThan(reduced, 15, "too few random systems exercise the reduction for the comparison to mean much")
    }

    func testIndependentInvisibleStepsAreExploredInOneOrderOnly() throws {
        let system = try TransitionSystem(Self.localCounters(processes: 3, steps: 3, badAt: nil))
        let plain = try run(system, symmetry: false, partialOrder: false)
        let reduced = try run(system, symmetry: false, partialOrder: true)
        XCTAssertEqual(plain.map(\.verdict), [Verdict.proved])
        XCTAssertEqual(reduced.map(\.verdict), [Verdict.proved])
        // Three processes counting to 3 independently: 4^3 states, of which one path and its last state's neighbours remain.
        XCTAssertEqual(plain[0].statistics.states, 64)
        XCTAssertLessThan(reduced[0].statistics.states ?? 64, 20)
        XCTAssertGreaterThan(reduced[0].statistics.reducedStates ?? 0, 0)
    }

    func testAVisibleStepIsNeverLeftOutOfTheSearch() throws {
        // The invariant reads the last process's counter: its steps are visible, the others' are not.
        let system = try TransitionSystem(Self.localCounters(processes: 3, steps: 3, badAt: 3))
        let plain = try run(system, symmetry: false, partialOrder: false)
        let reduced = try run(system, symmetry: false, partialOrder: true)
        XCTAssertEqual(plain[0].verdict, .violated)
        XCTAssertEqual(reduced[0].verdict, .violated)
        XCTAssertEqual(plain[0].depth, 3)
        XCTAssertGreaterThanOrEqual(reduced[0].depth ?? 0, 3)
    }

    func testStepsThatChangeAnInvariantsTruthAreNeverReducedAway() throws {
        // Process a raises x and lowers it again; b raises y. Only the interleaving a, b breaks
        // the invariant: firing a's independent steps first, as an ample set that ignored what
        // the invariant reads would, never passes through the bad state.
        let x = Variable("x", .boolean, initial: false)
        let y = Variable("y", .boolean, initial: false)
        let spec = Spec("visible") {
            x
            y
            Process("a", labels: ["start", "raised", "done"]) { _ in
                Step("raise", from: "start", to: "raised") { x.value <- true }
                Step("lower", from: "raised", to: "done") { x.value <- false }
            }
            Process("b", labels: ["start", "done"]) { _ in
                Step("raise", from: "start", to: "done") { y.value <- true }
            }
            Invariant("not-both", "x and y are never up together.") { !(x.value && y.value) }
        }
        let system = try TransitionSystem(spec)
        let reduced = try run(system, symmetry: false, partialOrder: true)
        XCTAssertEqual(reduced[0].verdict, .violated)
        XCTAssertEqual(reduced[0].depth, 2)
    }

    func testAStepAnotherProcessDependsOnIsNeverFiredAloneFirst() throws {
        // a's step is invisible but closes the window in which b can break the invariant: an
        // ample set of a alone, ignoring that b reads what a writes, would miss the violation.
        let closed = Variable("closed", .boolean, initial: false)
        let broken = Variable("broken", .boolean, initial: false)
        let spec = Spec("dependent") {
            closed
            broken
            Process("a", labels: ["open", "done"]) { _ in
                Step("close", from: "open", to: "done") { closed.value <- true }
            }
            Process("b", labels: ["start", "done"]) { _ in
                Step("try", from: "start", to: "done") {
                    If(!closed.value) { broken.value <- true }
                }
            }
            Invariant("intact", "b never gets through the window.") { !broken.value }
        }
        let system = try TransitionSystem(spec)
        let reduced = try run(system, symmetry: false, partialOrder: true)
        XCTAssertEqual(reduced[0].verdict, .violated)
    }

    func testASearchCutShortUnderTheReductionClaimsNoDepth() throws {
        // Under the reduction a state may be reached later than in the full graph, so a bounded
        // search of the reduced graph says nothing about a depth of the full one.
        let system = try TransitionSystem(Self.localCounters(processes: 3, steps: 3, badAt: nil))
        let reduced = try run(system, symmetry: false, partialOrder: true, maxDepth: 2)
        XCTAssertEqual(reduced[0].verdict, .unknown)
        XCTAssertNil(reduced[0].depth)
        XCTAssertEqual(try run(system, symmetry: false, partialOrder: false, maxDepth: 2)[0].verdict, .holdsUpToDepth)
    }

    func testTheCycleProvisoExpandsAStateWhoseReducedStepsCloseACycle() throws {
        // Process a spins between two labels forever; process b's only step breaks the invariant.
        // Firing only a's independent steps would ignore b for ever.
        let flag = Variable("broken", .boolean, initial: false)
        let spec = Spec("ignoring") {
            flag
            Process("a", labels: ["l0", "l1"]) { _ in
                Step("tick", from: "l0", to: "l1") {}
                Step("tock", from: "l1", to: "l0") {}
            }
            Process("b", labels: ["ready", "done"]) { _ in
                Step("break", from: "ready", to: "done") { flag.value <- true }
            }
            Invariant("intact", "The flag stays down.") { !flag.value }
        }
        let system = try TransitionSystem(spec)
        let reduced = try run(system, symmetry: false, partialOrder: true)
        XCTAssertEqual(reduced[0].verdict, .violated)
    }

    /// `processes` processes, each stepping a private counter from 0 to `steps`; with `badAt`,
    /// the invariant says the last one's counter never reaches it.
    static func localCounters(processes: Int, steps: Int, badAt: Int?) -> Spec {
        let values = Domain.range("Count", 0...steps)
        let counters = (0..<processes).map { Variable("n\($0)", values, initial: 0) }
        return Spec("local-counters") {
            for counter in counters { counter }
            for (k, counter) in counters.enumerated() {
                Process("p\(k)") { _ in
                    Step("step") {
                        Guard(counter.value < .number(steps))
                        counter.value <- counter.value + 1
                    }
                }
            }
            if let badAt {
                Invariant("below", "The last counter stays below \(badAt).") { counters[processes - 1].value < .number(badAt) }
            } else {
                Invariant("in-range", "Every counter stays in range.") { counters[0].value <= .number(steps) }
            }
        }
    }
}
