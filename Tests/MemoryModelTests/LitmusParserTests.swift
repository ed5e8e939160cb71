import MemoryModel
import XCTest

/// The herd7 C litmus format as the kernel writes it, and the errors for what is not modelled.
final class LitmusParserTests: XCTestCase {
    private let sample = """
        C sample+test

        (*
         * Result: Never
         *)

        {
        \tint x = 1;
        \tint *p = &x;
        \ty=2;
        \t1:r9=7;
        }

        P0(int *x, int **p) // comment
        {
        \tint r0;
        \tint *r1 = READ_ONCE(*p); /* pointer */
        \tr0 = READ_ONCE(*r1);
        \tif (r0 == 1)
        \t\tWRITE_ONCE(*x, 2);
        \telse {
        \t\tsmp_mb();
        \t}
        }

        P1(int *y, spinlock_t *l)
        {
        \tint r9;
        \tspin_lock(l);
        \t*y = 3;
        \tspin_unlock(l);
        }

        exists (0:r0=1 /\\ ~(y=2 \\/ x=2)) (* trailing *)
        """

    func testLitmusParserReadsInitialStateThreadsAndTheFinalClause() throws {
        let test = try LitmusParser.parse(sample)
        XCTAssertEqual(test.name, "sample+test")
        XCTAssertEqual(test.expected, "Never")
        XCTAssertFalse(test.expectsDataRace)
        XCTAssertEqual(test.initialMemory["x"], .int(1))
        XCTAssertEqual(test.initialMemory["p"], .address("x"))
        XCTAssertEqual(test.initialMemory["y"], .int(2))
        XCTAssertEqual(test.initialMemory["l"], .int(0), "a parameter is a location even when the initial state omits it")
        XCTAssertEqual(test.initialRegisters[1]?["r9"], .int(7))
        XCTAssertEqual(test.threads.map(\.parameters), [["x", "p"], ["y", "l"]])
        XCTAssertEqual(test.condition.quantifier, .exists)
        XCTAssertEqual(test.condition.description, "exists (0:r0=1 /\\ ~(y=2 \\/ x=2))")
        guard case let .branch(_, thenPart, elsePart) = test.threads[0].body[3].kind else {
            return XCTFail("the if statement: \(test.threads[0].body)")
        }
        XCTAssertEqual(thenPart.count, 1)
        XCTAssertEqual(elsePart.first?.kind, .fence(.mb, label: "smp_mb()"))
    }

    func testPointerChainsCarryAnAddressDependencyAndValuesFlowThroughThem() throws {
        XCTAssertEqual(try LitmusChecker().check(source: sample).answer, .never, "x=2 at the end, so the negation fails")
        let always = sample.replacingOccurrences(of: "exists (0:r0=1 /\\ ~(y=2 \\/ x=2))", with: "exists (0:r0=1 /\\ x=2 /\\ y=3)")
        let outcome = try LitmusChecker().check(source: always)
        XCTAssertEqual(outcome.answer, .always, "P0 reads x=1 through p and then writes x=2; P1 writes y=3")
        let witness = try XCTUnwrap(outcome.witness)
        let addr = witness.execution.addr.pairs
        XCTAssertEqual(addr.count, 1, "READ_ONCE(*p) to READ_ONCE(*r1)")
        XCTAssertEqual(witness.registers[1]?["r9"], .int(7))
    }

    func testUnsupportedConstructIsAnErrorNamingTheConstructAndLine() {
        let cases: [(String, String, Int)] = [
            ("P0(int *x)\n{\n\trcu_read_lock();\n}\nexists (x=0)", "rcu_read_lock", 7),
            ("P0(spinlock_t *l)\n{\n\tint r0;\n\tr0 = spin_is_locked(l);\n}\nexists (0:r0=0)", "spin_is_locked", 8),
            ("P0(int *x)\n{\n\twhile (1) WRITE_ONCE(*x, 1);\n}\nexists (x=0)", "while", 7),
            ("P0(int *x)\n{\n\tint r0 = cmpxchg(x, 0, 1);\n}\nexists (x=0)", "cmpxchg", 7),
            ("P0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n}\nfilter (x=1)\nexists (x=0)", "filter", 9),
        ]
        for (body, construct, line) in cases {
            XCTAssertThrowsError(try LitmusParser.parse("C t\n\n{}\n\n" + body), construct) { error in
                guard let error = error as? LitmusError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.kind, .unsupported, "\(error)")
                XCTAssertEqual(error.construct, construct)
                XCTAssertEqual(error.line, line, "\(error)")
                XCTAssertTrue(error.description.contains("line \(line)"), error.description)
            }
        }
    }

    func testMalformedExistsClauseIsASyntaxError() {
        let cases = ["exists (0:r0=)", "exists (0:r0=1 /\\)", "exists 0:r0=1 /\\ x", "exist (x=1)", "exists (x=1) junk"]
        for clause in cases {
            let text = "C t\n{}\nP0(int *x)\n{\n\tint r0;\n\tr0 = READ_ONCE(*x);\n}\n" + clause
            XCTAssertThrowsError(try LitmusParser.parse(text), clause) { error in
                XCTAssertEqual((error as? LitmusError)?.kind, .syntax, "\(clause): \(error)")
                XCTAssertEqual((error as? LitmusError)?.line, 8, "\(clause): \(error)")
            }
        }
    }

    func testAConditionOverAnUnknownRegisterOrLocationIsRefused() {
        let text = "C t\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n}\nexists (0:r5=1)"
        XCTAssertThrowsError(try LitmusChecker().check(source: text)) { error in
            XCTAssertEqual((error as? LitmusError)?.construct, "0:r5")
        }
        XCTAssertThrowsError(try LitmusChecker().check(source: text.replacingOccurrences(of: "0:r5=1", with: "z=1")))
    }

    func testNotExistsAndForallReportTheObservationOfTheirProposition() throws {
        let body = "C t\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n}\nP1(int *x)\n{\n\tint r0;\n\tr0 = READ_ONCE(*x);\n}\n"
        let never = try LitmusChecker().check(source: body + "~exists (1:r0=2)")
        XCTAssertEqual(never.answer, .never)
        XCTAssertTrue(never.conditionHolds, "~exists holds when no execution satisfies the proposition")
        let sometimes = try LitmusChecker().check(source: body + "forall (1:r0=1)")
        XCTAssertEqual(sometimes.answer, .sometimes)
        XCTAssertFalse(sometimes.conditionHolds)
        XCTAssertEqual(sometimes.counterexample?.registers[1]?["r0"], .int(0))
        let always = try LitmusChecker().check(source: body + "forall (1:r0=0 \\/ 1:r0=1)")
        XCTAssertEqual(always.answer, .always)
        XCTAssertTrue(always.conditionHolds)
    }
}
