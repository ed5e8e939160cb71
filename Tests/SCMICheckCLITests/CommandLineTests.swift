import Fixtures
import Foundation
@testable import SCMICheckCLI
import TransitionSystems
import XCTest

/// The CLI driven through its entry point, as a user would: output, errors and exit statuses.
final class CommandLineTests: XCTestCase {
    private func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
        let captured = CapturedConsole()
        let status = SCMICheck.run(arguments, console: captured.console)
        return (status, captured.out, captured.err)
    }

    func testHelpListsTheCommands() {
        let result = run(["--help"])
        XCTAssertEqual(result.status, 0)
        for command in ["check", "trace", "list"] { XCTAssertTrue(result.out.contains(command), command) }
    }

    func testCheckPrintsTheShortestCounterexampleOneLinePerStepAndExitsOne() {
        let result = run(["check", "--spec", "mutex-naive"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.out.contains("mutual-exclusion  violated at depth 4"), result.out)
        XCTAssertTrue(result.out.contains("4  proc[p1]  set     proc_pc[p1]: set -> critical"), result.out)
    }

    func testCheckOfACorrectFixtureExitsZero() {
        let result = run(["check", "--spec", "mutex-peterson", "--engine", "explicit"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.out.contains("proved"), result.out)
    }

    func testDepthBoundGivesHoldsUpToDepthAndExitsZero() {
        let result = run(["check", "--spec", "buffer-pool-double-release", "--engine", "explicit", "--depth", "3"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.out.contains("no violation up to depth 3"), result.out)
    }

    func testJSONPrintsOneObjectPerInvariantWithTheTrace() throws {
        let result = run(["check", "--spec", "ring-buffer-overflow", "--format", "json"])
        XCTAssertEqual(result.status, 1)
        let lines = result.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(object["verdict"] as? String, "violated")
        XCTAssertEqual(object["depth"] as? Int, 3)
        XCTAssertEqual(object["engine"] as? String, "explicit")
        XCTAssertNotNil(object["seconds"] as? Double)
        XCTAssertNotNil((object["trace"] as? [String: Any])?["states"])
    }

    func testUnknownSpecNameIsBadInput() {
        let result = run(["check", "--spec", "no-such-spec"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("unknown spec 'no-such-spec'"), result.err)
        XCTAssertEqual(result.out, "")
    }

    func testUnknownOptionIsBadInputNotArgumentParsersSixtyFour() {
        let result = run(["check", "--no-such-option"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("--no-such-option"), result.err)
    }

    func testEngineIsOneOfTheEngineKindsWithKInductionAsAnAliasOfKind() {
        let unknown = run(["check", "--spec", "mutex-naive", "--engine", "magic"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.err.contains("'explicit', 'bmc', 'kind' or 'auto'"), unknown.err)
        let help = run(["check", "--help"]).out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(help.contains("(values: explicit, bmc, kind, auto)"), help)
        for name in ["kind", "k-induction"] {
            let result = run(["check", "--spec", "mutex-naive", "--engine", name])
            XCTAssertEqual(result.status, 1, name)
            XCTAssertTrue(result.out.contains("mutual-exclusion  violated at depth 4  k-induction  violated after 4 steps (base case)"), result.out)
        }
    }

    func testUnknownEngineAndInvariantAreBadInput() {
        XCTAssertEqual(run(["check", "--spec", "mutex-naive", "--engine", "magic"]).status, 2)
        let result = run(["check", "--spec", "mutex-naive", "--invariant", "liveness"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("unknown invariant 'liveness'"), result.err)
    }

    func testMalformedTraceFileIsBadInput() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("malformed-\(UUID()).json")
        try Data("{\"vars\": [\"x\"], \"states\": 7}".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = run(["trace", file.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("malformed trace: 'states' is missing or not an array"), result.err)
    }

    func testMissingTraceFileIsBadInput() {
        let result = run(["trace", "/nonexistent/trace.json"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("cannot read trace file"), result.err)
    }

    func testTraceWrittenByCheckReplaysAndShowsTheViolation() throws {
        let json = run(["check", "--spec", "mutex-naive", "--format", "json"]).out
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("trace-\(UUID()).json")
        try JSONSerialization.data(withJSONObject: try XCTUnwrap(object["trace"])).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = run(["trace", file.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.out.contains("After step 4: mutual-exclusion violated."), result.out)
    }

    func testSpecWithAnOutOfDomainValueIsBadInputNamingTheVariable() {
        let count = Domain.range("Count", 0...2)
        let users = Variable("users", count, initial: 7)
        let broken = Fixture(name: "broken-out-of-domain", summary: "A spec with an initial value outside its domain.",
                             spec: Spec("broken-out-of-domain") { users }, expectations: [:])
        SpecCatalog.register(broken)
        defer { SpecCatalog.registered.removeAll { $0.name == broken.name } }
        let result = run(["check", "--spec", "broken-out-of-domain"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("spec 'broken-out-of-domain' is not valid"), result.err)
        XCTAssertTrue(result.err.contains("'users' gets 7 = 7, which is outside its domain"), result.err)
    }
}

/// `replay` drives the channel implementation along a trace file.
final class ReplayCommandTests: XCTestCase {
    private let traces = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Generated/Traces")

    private func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
        let captured = CapturedConsole()
        let status = SCMICheck.run(arguments, console: captured.console)
        return (status, captured.out, captured.err)
    }

    func testReplayingUpstreamsDoubleFreeOnUpstreamReportsTheViolation() {
        let result = run(["replay", traces.appendingPathComponent("upstream-no-double-free.json").path])
        XCTAssertEqual(result.status, 1, result.out + result.err)
        XCTAssertTrue(result.out.contains("no-double-free"), result.out)
    }

    func testReplayingTheSameScheduleOnFixedKeepsEveryInvariant() {
        let result = run(["replay", traces.appendingPathComponent("upstream-no-double-free.json").path, "--variant", "fixed"])
        XCTAssertEqual(result.status, 0, result.out + result.err)
    }

    func testReplayingAWeakTraceShowsTheStaleReadAndTheViolationAtItsLastStep() {
        let result = run(["replay", traces.appendingPathComponent("v4-proposal-exactly-once-delivery-lkmm-nolb.json").path])
        XCTAssertEqual(result.status, 1, result.out + result.err)
        XCTAssertTrue(result.out.contains("fetch_response(weak.read=0)  [read buf1.rx_len: write 0, 1 newer write not visible]"), result.out)
        XCTAssertTrue(result.out.contains("Violation at step 17: exactly-once-delivery"), result.out)
    }

    func testReplayingAWeakTracesScheduleOnFixedShowsTheRefusedRead() {
        let result = run(["replay", traces.appendingPathComponent("v4-proposal-exactly-once-delivery-lkmm-nolb.json").path, "--variant", "fixed"])
        XCTAssertEqual(result.status, 0, result.out + result.err)
        XCTAssertTrue(result.out.contains("[read refused: cpu1's view of buf1.rx_len is at write 1 of 1"), result.out)
    }

    func testAWeakTraceNamingAnUnknownMemoryModelIsBadInput() throws {
        let file = try alteredTrace("v4-proposal-exactly-once-delivery-lkmm-nolb.json", replacing: "\"memory-model\": \"lkmm-nolb\"", with: "\"memory-model\": \"tso\"")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = run(["replay", file.path])
        XCTAssertEqual(result.status, 2, result.out + result.err)
        XCTAssertTrue(result.err.contains("#meta.configuration.memory-model is 'tso'"), result.err)
    }

    /// A copy of a committed trace with `from` replaced by `to` in its text.
    private func alteredTrace(_ name: String, replacing from: String, with to: String) throws -> URL {
        let text = try String(contentsOf: traces.appendingPathComponent(name), encoding: .utf8)
        XCTAssertTrue(text.contains(from))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID()).json")
        try Data(text.replacingOccurrences(of: from, with: to).utf8).write(to: file)
        return file
    }

    func testATraceWithAnUnknownCoreIsBadInputNotAFallback() throws {
        let file = try alteredTrace("upstream-no-double-free.json", replacing: "\"core\": \"current\"", with: "\"core\": \"2030\"")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = run(["replay", file.path])
        XCTAssertEqual(result.status, 2, result.out + result.err)
        XCTAssertTrue(result.err.contains("#meta.configuration.core is '2030'"), result.err)
    }

    func testATraceOfAnUnknownVariantIsBadInput() throws {
        let file = try alteredTrace("upstream-no-double-free.json", replacing: "\"variant\": \"upstream\"", with: "\"variant\": \"v9\"")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = run(["replay", file.path])
        XCTAssertEqual(result.status, 2, result.out + result.err)
        XCTAssertTrue(result.err.contains("'v9'"), result.err)
    }

    func testReplayOfAMalformedFileIsBadInput() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID()).json")
        try Data("{\"vars\": []".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = run(["replay", file.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("malformed trace"), result.err)
    }
}
