import SMT
import XCTest

final class ModelTests: XCTestCase {
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

    /// Asserts `formulas` in a fresh solver, expects them satisfiable and returns the model.
    private func model(_ formulas: Term...) throws -> Model {
        let solver = Solver(context: context)
        for formula in formulas {
            try solver.assert(formula)
        }
        XCTAssertEqual(try solver.check(), .satisfiable)
        return try solver.model()
    }

    func testModelGivesBooleanValues() throws {
        let p = try context.constant("p", sort: context.boolSort)
        let q = try context.constant("q", sort: context.boolSort)
        let model = try model(p, !q)
        XCTAssertTrue(try model.bool(p))
        XCTAssertFalse(try model.bool(q))
        XCTAssertTrue(try model.bool(p && !q))
    }

    func testModelReadsBitVectorsAsUnsigned() throws {
        let x = try context.constant("x", sort: context.bitVectorSort(width: 8))
        let y = try context.constant("y", sort: context.bitVectorSort(width: 8))
        let model = try model(x > 127, x < 129, y == x + x)
        XCTAssertEqual(try model.int(x), 128)
        XCTAssertEqual(try model.int(y), 0)
        XCTAssertEqual(try model.int(x.zeroExtended(by: 8) + x.zeroExtended(by: 8)), 256)
    }

    func testModelGivesIntegerValuesIncludingNegativeOnes() throws {
        let a = try context.constant("a", sort: context.intSort)
        let b = try context.constant("b", sort: context.intSort)
        let model = try model(a + b == 10, a - b == 4, context.int(-5) >= b * -2)
        XCTAssertEqual(try model.int(a), 7)
        XCTAssertEqual(try model.int(b), 3)
        XCTAssertEqual(try model.int(b - a), -4)
    }

    func testModelReportsTheEnumerationCase() throws {
        let color = try context.enumerationSort(name: "Color", cases: ["red", "green", "blue"])
        let light = try context.constant("light", sort: color.sort)
        let model = try model(light != color.cases[0], light != color.cases[1])
        XCTAssertEqual(try model.enumerationCase(light), 2)
        XCTAssertTrue(try model.evaluate(light).isIdentical(to: color.cases[2]))
        XCTAssertEqual(try model.enumerationCase(color.cases[0]), 0)
    }

    func testEvaluateWithoutCompletionLeavesUnconstrainedConstantsSymbolic() throws {
        let x = try context.constant("x", sort: context.intSort)
        let unconstrained = try context.constant("unconstrained", sort: context.intSort)
        let model = try model(x == 3)
        XCTAssertEqual(try model.evaluate(unconstrained, completion: false).description, "unconstrained")
        XCTAssertEqual(try model.evaluate(unconstrained + x, completion: false).description, "(+ 3 unconstrained)")
        XCTAssertEqual(try model.evaluate(unconstrained).description, "0")
    }

    func testReadingAValueOfTheWrongKindThrowsUnexpectedValue() throws {
        let x = try context.constant("x", sort: context.bitVectorSort(width: 8))
        let p = try context.constant("p", sort: context.boolSort)
        let model = try model(x == 1, p)
        for read in [{ _ = try model.bool(x) }, { _ = try model.int(p) }, { _ = try model.enumerationCase(x) }] {
            XCTAssertThrowsError(try read()) { error in
                guard case SMTError.unexpectedValue = error else { return XCTFail("\(error)") }
            }
        }
    }

    func testIntegersTooLargeForIntThrow() throws {
        let huge = try context.constant("huge", sort: context.intSort)
        let model = try model(huge == context.int(Int.max) * 4)
        XCTAssertThrowsError(try model.int(huge))
    }

    func testModelDescriptionListsTheAssignments() throws {
        let x = try context.constant("x", sort: context.bitVectorSort(width: 8))
        XCTAssertEqual(try model(x == 3).description.trimmingCharacters(in: .whitespacesAndNewlines), "x -> #x03")
    }
}
