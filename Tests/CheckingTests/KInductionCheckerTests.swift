@testable import Checking
import Fixtures
import TransitionSystems
import XCTest

/// k-induction's lemmas, its guard against vacuous proofs, and what a proof reports.
final class KInductionCheckerTests: XCTestCase {
    private let process = Domain.instances("Proc", count: 2, prefix: "p")

    /// Peterson's algorithm (as the fixture) with the two lemmas that make mutual exclusion 1-inductive.
    private var petersonWithLemmas: Spec {
        let process = self.process
        let flag = Variable("flag", .boolean, indexedBy: process, initial: false)
        let turn = Variable("turn", process, initial: process["p0"])
        func other(_ p: Expr) -> Expr { .ite(p == process["p0"], then: process["p1"], else: process["p0"]) }
        let peterson = Process("proc", over: process, named: "p", labels: ["idle", "yield", "wait", "critical"]) { p in
            Step("raise_flag", from: "idle", to: "yield") { flag[p] <- true }
            Step("give_turn", from: "yield", to: "wait") { turn.value <- other(p) }
            Step("enter", from: "wait", to: "critical") { Guard(flag[other(p)] == false || turn.value == p) }
            Step("leave", from: "critical", to: "idle") { flag[p] <- false }
        }
        return Spec("peterson-with-lemmas") {
            flag
            turn
            peterson
            Invariant("mutual-exclusion", "At most one process is in its critical section.") {
                !(peterson.at("critical", process["p0"]) && peterson.at("critical", process["p1"]))
            }
            Invariant.lemma("flag-means-trying", "A process's flag is up exactly when it has left idle.") {
                .forAll("q", in: process) { q in flag[q] == !peterson.at("idle", q) }
            }
            Invariant.lemma("turn-favours-the-one-inside", "Inside, with the other waiting or inside, the turn is yours.") {
                .forAll("q", in: process) { q in
                    (peterson.at("critical", q) && (peterson.at("wait", other(q)) || peterson.at("critical", other(q))))
                        .implies(turn.value == q)
                }
            }
        }
    }

    func testLemmasLetKInductionProvePetersonAtKOneAndTheProofNamesThem() throws {
        let system = try TransitionSystem(petersonWithLemmas)
        let result = try KInductionChecker(system: system).check(["mutual-exclusion"])[0]
        XCTAssertEqual(result.verdict, .proved, result.detail)
        XCTAssertEqual(result.depth, 1)
        XCTAssertTrue(result.detail.contains("1-induction"), result.detail)
        XCTAssertTrue(result.detail.contains("turn-favours-the-one-inside"), result.detail)
    }

    func testWithoutLemmasPetersonNeedsALongerInduction() throws {
        let system = try TransitionSystem(XCTUnwrap(Fixtures.named("mutex-peterson")).spec)
        let result = try KInductionChecker(system: system).check(["mutual-exclusion"])[0]
        XCTAssertEqual(result.verdict, .proved, result.detail)
        XCTAssertGreaterThan(try XCTUnwrap(result.depth), 1)
        XCTAssertTrue(result.detail.contains("no lemmas"), result.detail)
    }

    func testLemmasAreCheckedThemselvesWhenAskedFor() throws {
        let system = try TransitionSystem(petersonWithLemmas)
        let results = try KInductionChecker(system: system).check(["flag-means-trying", "turn-favours-the-one-inside"])
        XCTAssertEqual(results.map(\.verdict), [.proved, .proved])
        XCTAssertEqual(results.map(\.invariant), ["flag-means-trying", "turn-favours-the-one-inside"])
    }

    func testAViolatedLemmaIsNeverAssumedAndIsReportedAsViolated() throws {
        let level = Domain.range("Level", 0...3)
        let n = Variable("n", level, initial: 0)
        let spec = Spec("false-lemma") {
            n
            Process("ticker") { _ in Step("tick") { Guard(n.value < 3); n.value <- n.value + 1 } }
            Invariant("at-most-two", "n stays at most 2") { n.value <= 2 }
            Invariant.lemma("at-most-one", "n stays at most 1") { n.value <= 1 }
        }
        let system = try TransitionSystem(spec)
        let results = try KInductionChecker(system: system).check(["at-most-two", "at-most-one"])
        XCTAssertEqual(results[0].verdict, .violated, results[0].detail)
        XCTAssertEqual(results[0].depth, 3)
        XCTAssertEqual(results[1].verdict, .violated)
        XCTAssertEqual(results[1].depth, 2)
    }

    func testStepDefinednessAndALemmaFailingAtTheSameStateNeverProveEachOther() throws {
        let level = Domain.range("Level", 0...3)
        let n = Variable("n", level, initial: 0)
        let spec = Spec("circular") {
            n
            Process("ticker") { _ in Step("tick") { n.value <- n.value + 1 } }
            Invariant("small", "n stays at most 2") { n.value <= 2 }
            Invariant.lemma("below-three", "n stays below 3") { n.value < 3 }
        }
        let system = try TransitionSystem(spec)
        let explicit = try ExplicitStateChecker(system: system).check(["small"])[0]
        let kind = try KInductionChecker(system: system).check(["small"])[0]
        XCTAssertEqual(explicit.verdict, .violated)
        XCTAssertEqual(kind.verdict, .violated, kind.detail)
        XCTAssertEqual(kind.depth, explicit.depth)
    }

    func testAProofNeedsARunOfKStepsOtherwiseItIsUnknown() throws {
        let level = Domain.range("Level", 0...2)
        let n = Variable("n", level, initial: 0)
        let spec = Spec("no-steps") {
            n
            Invariant("zero", "n stays 0") { n.value == 0 }
        }
        let system = try TransitionSystem(spec)
        let result = try KInductionChecker(system: system).check(["zero"])[0]
        XCTAssertEqual(result.verdict, .unknown)
        XCTAssertTrue(result.detail.contains("vacuous"), result.detail)
        XCTAssertEqual(try ExplicitStateChecker(system: system).check(["zero"])[0].verdict, .proved)
    }

    func testAtTheLimitAnOpenInvariantHoldsUpToTheDepthItsBaseCaseReached() throws {
        let system = try TransitionSystem(XCTUnwrap(Fixtures.named("mutex-peterson")).spec)
        let result = try KInductionChecker(system: system, options: CheckOptions(maxDepth: 4)).check(["mutual-exclusion"])[0]
        XCTAssertEqual(result.verdict, .holdsUpToDepth)
        XCTAssertEqual(result.depth, 4)
        XCTAssertTrue(result.detail.contains("not k-inductive for k <= 4"), result.detail)
    }

    func testKInductionFillsPerDepthStatistics() throws {
        let system = try TransitionSystem(XCTUnwrap(Fixtures.named("buffer-pool")).spec)
        let result = try KInductionChecker(system: system).check(["no-double-free"])[0]
        XCTAssertEqual(result.verdict, .proved)
        let perDepth = result.statistics.perDepth
        XCTAssertEqual(perDepth.map(\.depth), Array(0...(result.depth ?? 0)))
        XCTAssertTrue(perDepth.allSatisfy { $0.size > 0 && $0.seconds >= 0 })
    }
}
