import Foundation
@testable import SCMICheckCLI
import XCTest

/// `scmi-check litmus`, driven through the CLI's entry point on the project's own litmus files and
/// on temporary ones.
final class LitmusCommandTests: XCTestCase {
    private func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
        let captured = CapturedConsole()
        let status = SCMICheck.run(arguments, console: captured.console)
        return (status, captured.out, captured.err)
    }

    private static var litmusDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Spec/Litmus")
    }

    private func temporaryFile(_ text: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("scmi-litmus-\(UUID().uuidString).litmus")
        try text.write(to: file, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: file) }
        return file
    }

    private var stale: String { Self.litmusDirectory.appendingPathComponent("poll-done-rx-len-once.litmus").path }
    private var ordered: String { Self.litmusDirectory.appendingPathComponent("poll-done-rx-len-release-acquire.litmus").path }

    func testLitmusPrintsTheAnswerTheModelAndAWitness() {
        let result = run(["litmus", stale])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.hasPrefix("scmi-poll-done-rx-len-once: Sometimes (lkmm); 1 of 3 allowed executions"), result.out)
        XCTAssertTrue(result.out.contains("Result: Sometimes DATARACE, agrees"), result.out)
        XCTAssertTrue(result.out.contains("P1 line 28 READ_ONCE(*poll_status) reads 1 from P0 line 20 WRITE_ONCE(*poll_status, 1)"), result.out)
        XCTAssertTrue(result.out.contains("P1 line 30 *rx_len reads 0 from the initial value"), result.out)
        XCTAssertTrue(result.out.contains("final: 1:r0=1 1:r1=0 poll_status=1 rx_len=8"), result.out)
    }

    func testLitmusJSONPrintsOneObjectPerFile() throws {
        let result = run(["litmus", "--format", "json", stale, ordered])
        XCTAssertEqual(result.status, 0, result.err)
        let lines = result.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let first = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(Set(first.keys), ["file", "name", "model", "answer", "condition", "allowed", "satisfying", "expected",
                                         "expectsDataRace", "agrees", "flags", "witness"])
        XCTAssertEqual(first["model"] as? String, "lkmm")
        XCTAssertEqual(first["answer"] as? String, "Sometimes")
        XCTAssertEqual(first["agrees"] as? Bool, true)
        XCTAssertEqual(first["flags"] as? [String], ["data-race"])
        let witness = try XCTUnwrap(first["witness"] as? [String: Any])
        XCTAssertEqual((witness["final"] as? [String: String])?["1:r1"], "0")
        XCTAssertEqual((witness["reads"] as? [Any])?.count, 2)
        let second = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        XCTAssertEqual(second["answer"] as? String, "Never")
        XCTAssertTrue(second["witness"] is NSNull)
    }

    func testAnUnsupportedFileExitsTwoNamingFileLineAndConstructWhileTheOthersAreAnswered() throws {
        let rcu = try temporaryFile("C rcu\n{}\nP0(int *x)\n{\n\trcu_read_lock();\n\tWRITE_ONCE(*x, 1);\n}\nexists (x=1)\n")
        let result = run(["litmus", "--format", "json", rcu.path, ordered])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("\(rcu.path): line 5: unsupported construct 'rcu_read_lock'"), result.err)
        let lines = result.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, "a line for the refused file and one for the answered file")
        let refused = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(refused["error"] as? String, "unsupported")
        XCTAssertEqual(refused["line"] as? Int, 5)
        XCTAssertEqual(refused["construct"] as? String, "rcu_read_lock")
        XCTAssertTrue(lines[1].contains("\"answer\":\"Never\""), String(lines[1]))
    }

    func testMarkdownPrintsATableRowPerFileIncludingRefusedOnes() throws {
        let rcu = try temporaryFile("C rcu\n(* Result: Never *)\n{}\nP0(int *x)\n{\n\trcu_read_lock();\n}\nexists (x=1)\n")
        let result = run(["litmus", "--format", "markdown", stale, rcu.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.out.split(separator: "\n").map(String.init), [
            "| test | expected (`Result:`) | answer (lkmm) | agrees? |",
            "|---|---|---|---|",
            "| `poll-done-rx-len-once.litmus` | Sometimes DATARACE | Sometimes DATARACE | yes |",
            "| `\(rcu.lastPathComponent)` | Never | unsupported: `rcu_read_lock` (line 6) | — |",
        ])
    }

    func testAMissingFileExitsTwo() {
        let result = run(["litmus", "/nonexistent/none.litmus"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("/nonexistent/none.litmus"), result.err)
    }

    func testExpectExitsOneWhenAnAnswerDisagreesWithTheResultLine() throws {
        let wrong = try temporaryFile("C wrong\n(* Result: Never *)\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n}\nexists (x=1)\n")
        let plain = run(["litmus", wrong.path])
        XCTAssertEqual(plain.status, 0, "without --expect a disagreement is reported, not an error")
        XCTAssertTrue(plain.out.contains("Always (lkmm)"), plain.out)
        XCTAssertTrue(plain.out.contains("Result: Never, DISAGREES"), plain.out)
        XCTAssertEqual(run(["litmus", "--expect", wrong.path]).status, 1)
        XCTAssertEqual(run(["litmus", "--expect", stale, ordered]).status, 0)
    }
}
