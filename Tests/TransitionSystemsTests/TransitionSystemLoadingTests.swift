import TransitionSystems
import XCTest

/// Mistakes a compiler cannot catch are reported when a spec is loaded, in the spec's own names.
final class TransitionSystemLoadingTests: XCTestCase {
    private let cpu = Domain.instances("CPU", count: 2, prefix: "cpu")
    private let status = Domain.enumeration("PollStatus", ["NOT_POLLED", "POLLING", "POLL_DONE"])
    private let count = Domain.range("Count", 0...2)

    private func problems(_ spec: Spec) -> [String] {
        do {
            _ = try TransitionSystem(spec)
            return []
        } catch let SpecError.invalid(_, problems) {
            return problems
        } catch {
            XCTFail("unexpected error \(error)")
            return []
        }
    }

    func testUnknownValueNameIsReportedWithItsDomain() {
        let s = Variable("poll_status", status, indexedBy: cpu, initial: status["POLLIN"])
        let found = problems(Spec("typo") { s })
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found[0].contains("unknown value 'POLLIN' of domain PollStatus"), found[0])
        XCTAssertTrue(found[0].contains("poll_status"), found[0])
    }

    func testInitialValueOutsideItsDomainIsReported() {
        let users = Variable("users", count, initial: 5)
        let found = problems(Spec("range") { users })
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found[0].contains("users") && found[0].contains("outside its domain"), found[0])
    }

    func testConstantAssignmentOutsideItsDomainIsReportedWithTheAction() {
        let users = Variable("users", count, initial: 0)
        let spec = Spec("assign") {
            users
            Process("p") { _ in Step("grow") { users.value <- 3 } }
        }
        let found = problems(spec)
        XCTAssertTrue(found.contains { $0.contains("action 'p.grow'") && $0.contains("outside its domain") }, "\(found)")
    }

    func testWritingOneVariableTwiceInAnActionIsReported() {
        let users = Variable("users", count, initial: 0)
        let spec = Spec("twice") {
            users
            Process("p") { _ in
                Step("bump") {
                    users.value <- 1
                    users.value <- 2
                }
            }
        }
        let found = problems(spec)
        XCTAssertTrue(found.contains { $0.contains("action 'p.bump'") && $0.contains("writes 'users' twice") }, "\(found)")
    }

    func testWritingOneVariableInBothBranchesOfAnIfIsAllowed() throws {
        let users = Variable("users", count, initial: 0)
        let flag = Variable("flag", .boolean, initial: false)
        let spec = Spec("branches") {
            users
            flag
            Process("p") { _ in
                Step("set") {
                    If(flag.value) { users.value <- 1 } else: { users.value <- 2 }
                }
            }
        }
        XCTAssertEqual(problems(spec), [])
    }

    func testUnknownVariableAndTypeMismatchAreBothReported() {
        let users = Variable("users", count, initial: 0)
        let s = Variable("poll_status", status, initial: status["POLLING"])
        let spec = Spec("names") {
            users
            s
            Process("p") { _ in
                Step("bad") {
                    Guard(Expr.variable("userz") > 0)
                    users.value <- s.value
                }
            }
            Invariant("typed", "A status is not a CPU.") { s.value == cpu["cpu0"] }
        }
        let found = problems(spec)
        XCTAssertTrue(found.contains { $0.contains("unknown variable 'userz'") }, "\(found)")
        XCTAssertTrue(found.contains { $0.contains("invariant 'typed'") && $0.contains("cannot compare") }, "\(found)")
    }

    func testGotoOutsideALabelledProcessIsReported() {
        let spec = Spec("goto") {
            Process("p") { _ in Step("jump") { Goto("nowhere") } }
        }
        XCTAssertTrue(problems(spec).contains { $0.contains("Goto(\"nowhere\")") })
    }

    func testDuplicateInvariantNamesAreReported() {
        let users = Variable("users", count, initial: 0)
        let spec = Spec("dup") {
            users
            Invariant("same", "One.") { users.value <= 2 }
            Invariant("same", "Two.") { users.value >= 0 }
        }
        XCTAssertTrue(problems(spec).contains { $0.contains("invariant 'same' is declared twice") })
    }

    func testRuntimeValueOutsideItsDomainIsAnErrorNamingTheSlot() throws {
        let users = Variable("users", count, initial: 0)
        let spec = Spec("overflow") {
            users
            Process("p") { _ in Step("inc") { users.value <- users.value + 1 } }
        }
        let system = try TransitionSystem(spec)
        let interpreter = Interpreter(system)
        var state = try interpreter.initialStates()[0]
        state = try XCTUnwrap(try interpreter.successor(of: state, by: 0))
        state = try XCTUnwrap(try interpreter.successor(of: state, by: 0))
        XCTAssertThrowsError(try interpreter.successor(of: state, by: 0)) { error in
            XCTAssertTrue("\(error)".contains("sets users to 3, outside its domain"), "\(error)")
        }
    }
}
