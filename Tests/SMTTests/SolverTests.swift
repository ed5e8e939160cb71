@testable import SMT
import XCTest

final class SolverTests: XCTestCase {
    // XCTest keeps every test case instance until the run ends, so release the context
    // (Z3 allocates megabytes per context) as soon as each test finishes.
    private var context: Context!

    override func setUp() {
        super.setUp()
        context = Context()
    }

    override func tearDown() {
        context = nil
        super.tearDown()
    }

    private func byte(_ name: String) throws -> Term {
        try context.constant(name, sort: context.bitVectorSort(width: 8))
    }

    /// Asserts that `pigeons + 1` distinct bytes all lie below `pigeons` (unsatisfiable, and
    /// hard for a SAT solver once `pigeons` is around ten).
    private func assertPigeonhole(_ pigeons: Int, in solver: Solver) throws {
        let positions = try (0...pigeons).map { try byte("pigeon\($0)") }
        for position in positions {
            try solver.assert(position < pigeons)
        }
        try solver.assert(context.distinct(positions))
    }

    // MARK: - Satisfiability

    func testCheckIsSatisfiableForConsistentConstraints() throws {
        let x = try byte("x")
        let solver = Solver(context: context)
        try solver.assert(x > 10 && x < 12)
        XCTAssertEqual(try solver.check(), .satisfiable)
    }

    func testCheckIsUnsatisfiableForContradiction() throws {
        let p = try context.constant("p", sort: context.boolSort)
        let solver = Solver(context: context)
        try solver.assert(p)
        try solver.assert(!p)
        XCTAssertEqual(try solver.check(), .unsatisfiable)
    }

    func testSolverForLogicAndSimpleSolverAgree() throws {
        for solver in [try Solver(context: context, logic: "QF_BV"), Solver.simple(context: context)] {
            try assertPigeonhole(4, in: solver)
            XCTAssertEqual(try solver.check(), .unsatisfiable)
        }
    }

    // MARK: - Scopes

    func testPopRestoresSatisfiability() throws {
        let x = try byte("x")
        let solver = Solver(context: context)
        try solver.assert(x == 1)
        solver.push()
        try solver.assert(x == 2)
        XCTAssertEqual(try solver.check(), .unsatisfiable)
        try solver.pop()
        XCTAssertEqual(try solver.check(), .satisfiable)
    }

    func testScopeCountTracksPushAndPop() throws {
        let solver = Solver(context: context)
        XCTAssertEqual(solver.scopeCount, 0)
        solver.push()
        solver.push()
        solver.push()
        XCTAssertEqual(solver.scopeCount, 3)
        try solver.pop(2)
        XCTAssertEqual(solver.scopeCount, 1)
        try solver.pop()
        XCTAssertEqual(solver.scopeCount, 0)
    }

    func testResetRemovesAssertionsAndScopes() throws {
        let solver = Solver(context: context)
        try solver.assert(context.bool(false))
        solver.push()
        solver.reset()
        XCTAssertEqual(solver.scopeCount, 0)
        XCTAssertEqual(try solver.check(), .satisfiable)
    }

    // MARK: - Assumptions

    func testCheckUnderAssumptionsDependsOnTheAssumptions() throws {
        let x = try byte("x")
        let small = try context.constant("small", sort: context.boolSort)
        let large = try context.constant("large", sort: context.boolSort)
        let solver = Solver(context: context)
        try solver.assert(small.implies(x < 10))
        try solver.assert(large.implies(x > 200))

        XCTAssertEqual(try solver.check(assuming: [small]), .satisfiable)
        XCTAssertEqual(try solver.check(assuming: [large]), .satisfiable)
        XCTAssertEqual(try solver.check(assuming: [small, large]), .unsatisfiable)
        XCTAssertEqual(try solver.check(), .satisfiable)
    }

    func testUnsatCoreContainsTheConflictingAssumptions() throws {
        let x = try byte("x")
        let small = try context.constant("small", sort: context.boolSort)
        let large = try context.constant("large", sort: context.boolSort)
        let irrelevant = try context.constant("irrelevant", sort: context.boolSort)
        let solver = Solver(context: context)
        try solver.assert(small.implies(x < 10))
        try solver.assert(large.implies(x > 200))

        XCTAssertEqual(try solver.check(assuming: [irrelevant, small, large]), .unsatisfiable)
        let core = try solver.unsatCore()
        XCTAssertTrue(core.contains { $0.isIdentical(to: small) }, "\(core)")
        XCTAssertTrue(core.contains { $0.isIdentical(to: large) }, "\(core)")
        XCTAssertFalse(core.contains { $0.isIdentical(to: irrelevant) }, "\(core)")
    }

    func testUnsatCoreCanContainNegatedAssumptionLiterals() throws {
        let p = try context.constant("p", sort: context.boolSort)
        let solver = Solver(context: context)
        try solver.assert(p)
        let notP = try !p
        XCTAssertEqual(try solver.check(assuming: [notP]), .unsatisfiable)
        XCTAssertEqual(try solver.unsatCore().map(\.description), ["(not p)"])
    }

    // MARK: - Timeouts

    func testTimeoutIsReportedAsUnknownWithItsReason() throws {
        let solver = Solver(context: context)
        try assertPigeonhole(12, in: solver)
        let start = ContinuousClock.now
        let result = try solver.check(timeout: .milliseconds(1))
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(1))
        guard case let .unknown(reason) = result else { return XCTFail("expected unknown, got \(result)") }
        XCTAssertTrue(reason.contains("timeout") || reason.contains("canceled"), reason)
    }

    func testPerCheckTimeoutDoesNotApplyToLaterChecks() throws {
        let solver = Solver(context: context)
        solver.push()
        try assertPigeonhole(12, in: solver)
        guard case .unknown = try solver.check(timeout: .milliseconds(1)) else { return XCTFail("expected unknown") }
        try solver.pop()
        try assertPigeonhole(7, in: solver)
        XCTAssertEqual(try solver.check(), .unsatisfiable)
    }

    func testTheWatchdogEndsACheckWhoseOwnTimerNeverFires() throws {
        // No timeout parameter at all: only the watchdog's interrupts can end this check.
        let solver = Solver(context: context)
        try assertPigeonhole(12, in: solver)
        let watchdog = CheckWatchdog(context: context, timeout: .milliseconds(1))
        let result = try solver.check()
        watchdog.stop()
        guard case let .unknown(reason) = result else { return XCTFail("expected unknown, got \(result)") }
        XCTAssertTrue(reason.contains("canceled") || reason.contains("interrupted"), reason)
        // Stopped, it interrupts nothing more: the next check runs to its answer.
        solver.reset()
        try assertPigeonhole(5, in: solver)
        XCTAssertEqual(try solver.check(), .unsatisfiable)
    }

    func testTimeoutParameterAppliesToEveryCheck() throws {
        let solver = Solver(context: context)
        try solver.setParameter("timeout", to: .uint(1))
        try assertPigeonhole(12, in: solver)
        guard case .unknown = try solver.check() else { return XCTFail("expected unknown") }
        guard case .unknown = try solver.check(timeout: .milliseconds(2)) else { return XCTFail("expected unknown") }
        guard case .unknown = try solver.check() else { return XCTFail("expected unknown") }
    }

    // MARK: - Parameters, statistics and text

    func testSolverAcceptsParametersOfEveryKind() throws {
        let solver = Solver(context: context)
        try solver.setParameter("random_seed", to: .uint(7))
        try solver.setParameter("unsat_core", to: .bool(true))
        try solver.setParameter("smt.restart_factor", to: .double(1.5))
        try solver.setParameter("smt.logic", to: .symbol("QF_BV"))
        try solver.assert(byte("x") == 1)
        XCTAssertEqual(try solver.check(), .satisfiable)
    }

    func testStatisticsAreNonEmptyAfterACheck() throws {
        let solver = Solver(context: context)
        try assertPigeonhole(4, in: solver)
        _ = try solver.check()
        let statistics = solver.statistics()
        XCTAssertFalse(statistics.isEmpty)
        let conflicts = statistics.first { $0.key.hasSuffix("conflicts") }?.value
        XCTAssertGreaterThan(try XCTUnwrap(conflicts, "\(statistics)"), 0)
        XCTAssertGreaterThan(try XCTUnwrap(statistics["memory"], "\(statistics)"), 0)
    }

    func testDescriptionListsTheAssertionsInSMTLIB() throws {
        let solver = Solver(context: context)
        try solver.assert(byte("x") == 1)
        XCTAssertTrue(solver.description.contains("(declare-fun x () (_ BitVec 8))"), solver.description)
        XCTAssertTrue(solver.description.contains("(assert (= x #x01))"), solver.description)
    }

    func testCheckResultsDescribeThemselves() {
        XCTAssertEqual(CheckResult.satisfiable.description, "sat")
        XCTAssertEqual(CheckResult.unsatisfiable.description, "unsat")
        XCTAssertEqual(CheckResult.unknown(reason: "timeout").description, "unknown (timeout)")
    }
}
