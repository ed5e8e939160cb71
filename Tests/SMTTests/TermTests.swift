import SMT
import XCTest

final class TermTests: XCTestCase {
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

    // MARK: - Sorts

    func testSortKindsDescribeBoolIntAndBitVectorSorts() throws {
        XCTAssertEqual(context.boolSort.kind, .bool)
        XCTAssertEqual(context.intSort.kind, .int)
        XCTAssertEqual(try context.bitVectorSort(width: 8).kind, .bitVector(width: 8))
        XCTAssertEqual(try context.bitVectorSort(width: 8).description, "(_ BitVec 8)")
    }

    func testSortsWithTheSameShapeAreEqual() throws {
        XCTAssertEqual(try context.bitVectorSort(width: 4), try context.bitVectorSort(width: 4))
        XCTAssertNotEqual(try context.bitVectorSort(width: 4), try context.bitVectorSort(width: 5))
        XCTAssertNotEqual(context.boolSort, Context().boolSort)
    }

    func testEnumerationSortExposesItsCasesInOrder() throws {
        let color = try context.enumerationSort(name: "Color", cases: ["red", "green", "blue"])
        XCTAssertEqual(color.sort.kind, .datatype)
        XCTAssertEqual(color.cases.map(\.description), ["red", "green", "blue"])
        XCTAssertTrue(try XCTUnwrap(color.term(forCase: "green")).isIdentical(to: color.cases[1]))
        XCTAssertNil(color.term(forCase: "purple"))
        XCTAssertEqual(color.cases[0].sort, color.sort)
    }

    // MARK: - Constants and literals

    func testConstantsWithTheSameNameAndSortAreIdentical() throws {
        let first = try context.constant("x", sort: context.intSort)
        let second = try context.constant("x", sort: context.intSort)
        let other = try context.constant("y", sort: context.intSort)
        XCTAssertTrue(first.isIdentical(to: second))
        XCTAssertEqual(first.id, second.id)
        XCTAssertFalse(first.isIdentical(to: other))
        XCTAssertNotEqual(first.id, other.id)
    }

    func testFreshConstantsAreDistinctFromEachOther() throws {
        let first = try context.freshConstant(prefix: "t", sort: context.boolSort)
        let second = try context.freshConstant(prefix: "t", sort: context.boolSort)
        XCTAssertFalse(first.isIdentical(to: second))
        XCTAssertTrue(first.description.hasPrefix("t"))
    }

    func testBitVectorNumeralsWrapModuloTheirWidth() throws {
        XCTAssertEqual(try context.bitVector(5, width: 8).description, "#x05")
        XCTAssertEqual(try context.bitVector(-1, width: 8).description, "#xff")
        XCTAssertEqual(try context.bitVector(300, width: 8).description, "#x2c")
        XCTAssertEqual(try context.bitVector(1, width: 3).sort.kind, .bitVector(width: 3))
    }

    func testLiteralsPrintAsSMTLIB() {
        XCTAssertEqual(context.bool(true).description, "true")
        XCTAssertEqual(context.bool(false).description, "false")
        XCTAssertEqual(context.int(42).description, "42")
        XCTAssertEqual(context.int(-7).description, "(- 7)")
    }

    // MARK: - Operators

    func testOperatorsBuildTheExpectedSMTLIBTerms() throws {
        let bv8 = try context.bitVectorSort(width: 8)
        let x = try context.constant("x", sort: bv8)
        let y = try context.constant("y", sort: bv8)
        let p = try context.constant("p", sort: context.boolSort)
        let q = try context.constant("q", sort: context.boolSort)

        XCTAssertEqual(try (x + y == x).description, "(= (bvadd x y) x)")
        XCTAssertEqual(try (x - y != y).description, "(distinct (bvsub x y) y)")
        XCTAssertEqual(try (x < y).description, "(bvult x y)")
        XCTAssertEqual(try (x <= y).description, "(bvule x y)")
        XCTAssertEqual(try (x > y).description, "(bvugt x y)")
        XCTAssertEqual(try (x >= 3).description, "(bvuge x #x03)")
        XCTAssertEqual(try (x & ~y).description, "(bvand x (bvnot y))")
        XCTAssertEqual(try (!p || q && p).description, "(or (not p) (and q p))")
        XCTAssertEqual(try p.implies(q).description, "(=> p q)")
        XCTAssertEqual(try p.iff(q).description, "(= p q)")
        XCTAssertEqual(try context.ite(p, then: x, else: y).description, "(ite p x y)")
    }

    func testIntegerOperatorsUseArithmetic() throws {
        let a = try context.constant("a", sort: context.intSort)
        let b = try context.constant("b", sort: context.intSort)
        XCTAssertEqual(try (a + b * 2 < a - 1).description, "(< (+ a (* b 2)) (- a 1))")
        XCTAssertEqual(try (a >= b).description, "(>= a b)")
        XCTAssertEqual(try (a + b).sort.kind, .int)
    }

    func testNaryConnectivesHandleEmptyAndSingletonLists() throws {
        let p = try context.constant("p", sort: context.boolSort)
        let q = try context.constant("q", sort: context.boolSort)
        XCTAssertEqual(try context.and([]).description, "true")
        XCTAssertEqual(try context.or([]).description, "false")
        XCTAssertTrue(try context.and([p]).isIdentical(to: p))
        XCTAssertEqual(try context.or([p, q, p]).description, "(or p q p)")
        XCTAssertEqual(try context.distinct([p]).description, "true")
        XCTAssertEqual(try context.distinct([p, q]).description, "(distinct p q)")
    }

    func testBitVectorStructureOperationsChangeTheWidth() throws {
        let x = try context.constant("x", sort: context.bitVectorSort(width: 8))
        XCTAssertEqual(try x.extracted(high: 3, low: 0).sort.kind, .bitVector(width: 4))
        XCTAssertEqual(try x.zeroExtended(by: 8).sort.kind, .bitVector(width: 16))
        XCTAssertEqual(try x.concatenated(with: x).sort.kind, .bitVector(width: 16))
        XCTAssertEqual(try x.extracted(high: 7, low: 4).description, "((_ extract 7 4) x)")
    }

    func testSimplifiedFoldsConstantArithmetic() throws {
        let sum = try context.bitVector(250, width: 8) + context.bitVector(10, width: 8)
        XCTAssertTrue(try sum.simplified().isIdentical(to: context.bitVector(4, width: 8)))
        XCTAssertEqual(try (context.int(2) * 3 + 1).simplified().description, "7")
    }
}
