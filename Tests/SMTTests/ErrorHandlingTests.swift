import SMT
import XCTest

final class ErrorHandlingTests: XCTestCase {
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

    /// Asserts that `body` throws a Z3 error whose message contains `fragment`.
    private func assertThrowsZ3Error<T>(
        _ body: @autoclosure () throws -> T, mentioning fragment: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard case let SMTError.z3(_, message) = error else {
                return XCTFail("expected a Z3 error, got \(error)", file: file, line: line)
            }
            XCTAssertTrue(message.contains(fragment), "message: \(message)", file: file, line: line)
            XCTAssertTrue("\(error)".hasPrefix("Z3 "), "\(error)", file: file, line: line)
        }
    }

    func testEqualityBetweenBoolAndBitVectorThrowsAndTheProcessKeepsRunning() throws {
        let flag = try context.constant("flag", sort: context.boolSort)
        let byte = try context.constant("byte", sort: context.bitVectorSort(width: 8))
        assertThrowsZ3Error(try flag == byte, mentioning: "(_ BitVec 8)")

        let solver = Solver(context: context)
        try solver.assert(byte == 7)
        XCTAssertEqual(try solver.check(), .satisfiable)
    }

    func testAddingBitVectorsOfDifferentWidthsThrows() throws {
        let narrow = try context.constant("narrow", sort: context.bitVectorSort(width: 8))
        let wide = try context.constant("wide", sort: context.bitVectorSort(width: 16))
        assertThrowsZ3Error(try narrow + wide, mentioning: "bvadd")
        assertThrowsZ3Error(try narrow < wide, mentioning: "bvult")
    }

    func testBooleanOperatorsOnBitVectorsThrow() throws {
        let byte = try context.constant("byte", sort: context.bitVectorSort(width: 8))
        assertThrowsZ3Error(try !byte, mentioning: "not")
        assertThrowsZ3Error(try context.and([byte]), mentioning: "Boolean")
        assertThrowsZ3Error(try context.int(1) + byte, mentioning: "(_ BitVec 8)")
    }

    func testInvalidExtractThrows() throws {
        let byte = try context.constant("byte", sort: context.bitVectorSort(width: 8))
        assertThrowsZ3Error(try byte.extracted(high: 8, low: 0), mentioning: "extract")
        assertThrowsZ3Error(try byte.extracted(high: 1, low: 2), mentioning: "extract")
    }

    func testNonPositiveWidthsAreRejectedBeforeReachingZ3() {
        XCTAssertThrowsError(try context.bitVectorSort(width: 0)) { error in
            XCTAssertEqual(
                error as? SMTError,
                .invalidArgument("bit-vector width must be a positive 32-bit number, got 0")
            )
        }
        XCTAssertThrowsError(try context.bitVector(1, width: -8))
    }

    func testMixingTermsOfTwoContextsThrowsInvalidArgument() throws {
        let other = Context()
        let mine = try context.constant("x", sort: context.intSort)
        let theirs = try other.constant("x", sort: other.intSort)
        XCTAssertThrowsError(try mine + theirs) { error in
            guard case SMTError.invalidArgument = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try Solver(context: other).assert(mine == 1))
        XCTAssertThrowsError(try context.constant("y", sort: other.boolSort))
    }

    func testAssertingANonBooleanTermThrowsAReadableError() throws {
        let byte = try context.constant("byte", sort: context.bitVectorSort(width: 8))
        let solver = Solver(context: context)
        assertThrowsZ3Error(try solver.assert(byte), mentioning: "expected a Boolean term, got byte")
        assertThrowsZ3Error(try solver.check(assuming: [byte]), mentioning: "expected a Boolean term")
    }

    func testEnumerationSortWithoutCasesThrows() {
        XCTAssertThrowsError(try context.enumerationSort(name: "Empty", cases: []))
        XCTAssertThrowsError(try context.enumerationSort(name: "Twice", cases: ["a", "a"]))
    }

    func testUnknownLogicThrows() {
        assertThrowsZ3Error(try Solver(context: context, logic: "QF_NOPE"), mentioning: "QF_NOPE")
    }

    func testUnknownSolverParameterThrowsAShortMessage() {
        let solver = Solver(context: context)
        assertThrowsZ3Error(try solver.setParameter("no_such_option", to: .bool(true)), mentioning: "no_such_option")
        XCTAssertThrowsError(try solver.setParameter("no_such_option", to: .bool(true))) { error in
            XCTAssertFalse("\(error)".contains("\n"), "\(error)")
        }
    }

    func testPoppingMoreScopesThanOpenThrows() throws {
        let solver = Solver(context: context)
        solver.push()
        XCTAssertThrowsError(try solver.pop(2))
        XCTAssertEqual(solver.scopeCount, 1)
        XCTAssertThrowsError(try solver.pop(-1))
        try solver.pop()
        XCTAssertEqual(solver.scopeCount, 0)
    }

    func testAskingForAModelBeforeAnyCheckThrows() {
        assertThrowsZ3Error(try Solver(context: context).model(), mentioning: "model")
    }

    func testNonPositiveTimeoutIsRejected() {
        XCTAssertThrowsError(try Solver(context: context).check(timeout: .zero))
    }
}
