import Foundation
import SMT
import XCTest

final class LifetimeTests: XCTestCase {
    /// The bytes Z3 has allocated, or failing that the resident set size of the process.
    private func allocatedBytes() throws -> Int {
        if let bytes = Z3.estimatedAllocatedBytes {
            return Int(bytes)
        }
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        let residentPages = try XCTUnwrap(Int(statm.split(separator: " ")[1]))
        return residentPages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    func testRepeatedSmallQueriesDoNotLeak() throws {
        let context = Context()
        let x = try context.constant("x", sort: context.bitVectorSort(width: 8))
        let y = try context.constant("y", sort: context.bitVectorSort(width: 8))
        let wide = try context.constant("wide", sort: context.bitVectorSort(width: 32))
        let solver = Solver.simple(context: context)

        // Each round builds terms that are new to Z3 (the 32-bit numerals), so a leaked
        // reference would keep memory alive; the solver only sees recurring 8-bit numerals,
        // whose bookkeeping inside Z3 stops growing after the warm-up.
        func round(_ index: Int) throws {
            let probe = try (wide + index == wide * index).simplified()
            XCTAssertEqual(probe.sort, context.boolSort)
            solver.push()
            try solver.assert(x + context.bitVector(index, width: 8) == y)
            try solver.assert(x > 3)
            XCTAssertEqual(try solver.check(), .satisfiable)
            let model = try solver.model()
            XCTAssertEqual((try model.int(y) - model.int(x)) & 0xff, index & 0xff)
            try solver.pop()
        }

        for index in 0..<1_000 {
            try round(index)
        }
        let before = try allocatedBytes()
        for index in 1_000..<11_000 {
            try round(index)
        }
        let growth = try allocatedBytes() - before
        XCTAssertLessThan(growth, 1_000_000, "grew by \(growth) bytes over 10,000 queries")
    }

    func testTermsOutliveTheSolverAndModelThatProducedThem() throws {
        let context = Context()
        let x = try context.constant("x", sort: context.bitVectorSort(width: 8))
        var value: Term?
        var core: [Term] = []
        do {
            let solver = Solver(context: context)
            let guardLiteral = try context.constant("guard", sort: context.boolSort)
            try solver.assert(x == 42)
            _ = try solver.check()
            value = try solver.model().evaluate(x + 1)
            try solver.assert(guardLiteral.implies(x == 41))
            _ = try solver.check(assuming: [guardLiteral])
            core = try solver.unsatCore()
        }
        XCTAssertEqual(value?.description, "#x2b")
        XCTAssertEqual(core.map(\.description), ["guard"])
        XCTAssertEqual(try (XCTUnwrap(value) == x).simplified().description, "(= x #x2b)")
    }

    func testTermsKeepTheirContextAlive() throws {
        func makeTerm() throws -> Term {
            let context = Context()
            return try context.constant("orphan", sort: context.intSort) + 1
        }
        let term = try makeTerm()
        XCTAssertEqual(term.description, "(+ orphan 1)")
        let solver = Solver(context: term.context)
        try solver.assert(term == 5)
        XCTAssertEqual(try solver.check(), .satisfiable)
        XCTAssertEqual(try solver.model().int(term), 5)
    }

    func testModelsStayValidAfterTheSolverChanges() throws {
        let context = Context()
        let x = try context.constant("x", sort: context.intSort)
        let solver = Solver(context: context)
        try solver.assert(x == 1)
        _ = try solver.check()
        let model = try solver.model()
        solver.reset()
        try solver.assert(x == 2)
        _ = try solver.check()
        XCTAssertEqual(try model.int(x), 1)
        XCTAssertEqual(try solver.model().int(x), 2)
    }

    func testZ3ReportsItsVersionAndAllocationEstimate() {
        XCTAssertTrue(Z3.version.contains("4."), Z3.version)
        XCTAssertGreaterThan(Z3.estimatedAllocatedBytes ?? 0, 0)
    }
}
