import Checking
import Foundation
@testable import SCMICheckCLI
import XCTest

/// `check` tells of each verdict as it settles, streams JSON on request, and stops at
/// `--time-limit` or an interrupt with what it settled and exit status 3.
final class SettledAndStoppedTests: XCTestCase {
    private func run(_ arguments: [String], showsProgress: Bool = false) -> (status: Int32, out: String, err: String) {
        let captured = CapturedConsole()
        let console = captured.console
        let shown = Console(showsProgress: showsProgress, out: { text in console.print(String(text.dropLast())) },
                            err: { text in console.printError(String(text.dropLast())) })
        let status = SCMICheck.run(arguments, console: shown)
        return (status, captured.out, captured.err)
    }

    private func json(_ line: Substring) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    func testEachVerdictIsPrintedOnStandardErrorAsItSettlesUnlessQuiet() {
        let shown = run(["check", "--spec", "mutex-naive"], showsProgress: true)
        XCTAssertEqual(shown.status, 1)
        XCTAssertTrue(shown.err.contains("settled: mutex-naive mutual-exclusion violated at depth 4 (explicit, "), shown.err)
        XCTAssertFalse(shown.out.contains("settled:"), shown.out)
        XCTAssertEqual(shown.out, run(["check", "--spec", "mutex-naive"]).out, "the report on standard output is unchanged")
        XCTAssertFalse(run(["check", "--spec", "mutex-naive", "--quiet"], showsProgress: true).err.contains("settled:"))
        XCTAssertFalse(run(["check", "--spec", "mutex-naive"], showsProgress: false).err.contains("settled:"))
    }

    func testEveryJSONResultCarriesStatesAndSolverSeconds() throws {
        let explicit = try json(XCTUnwrap(run(["check", "--spec", "mutex-naive", "--engine", "explicit", "--format", "json"]).out.split(separator: "\n").first))
        XCTAssertNotNil(explicit["states"] as? Int)
        XCTAssertTrue(explicit["solver-seconds"] is NSNull)
        let bmc = try json(XCTUnwrap(run(["check", "--spec", "mutex-naive", "--engine", "bmc", "--format", "json"]).out.split(separator: "\n").first))
        XCTAssertTrue(bmc["states"] is NSNull)
        XCTAssertNotNil(bmc["solver-seconds"] as? Double)
        XCTAssertNotNil(bmc["seconds"] as? Double)
    }

    func testStreamPrintsEachJSONLineAsItSettlesAndOnlyThen() throws {
        let result = run(["check", "--spec", "ring-buffer-overflow", "--format", "json", "--stream"])
        XCTAssertEqual(result.status, 1)
        let lines = result.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, result.out)
        let invariants = try lines.map { try json($0)["invariant"] as? String }
        XCTAssertEqual(Set(invariants.compactMap { $0 }), ["no-overwrite", "count-bounded", "count-matches-slots"])
        XCTAssertEqual(run(["check", "--spec", "ring-buffer-overflow", "--stream"]).status, 2, "--stream needs --format json")
        XCTAssertEqual(run(["check", "--spec", "ring-buffer-overflow", "--time-limit", "0"]).status, 2)
    }

    func testATimeLimitStopsBMCWithOpenInvariantsAndExitsThree() throws {
        let start = Date()
        let result = run(["check", "--spec", "mutex-peterson", "--engine", "bmc", "--depth", "100000", "--time-limit", "1"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 3)
        XCTAssertEqual(result.status, 3, result.out)
        XCTAssertTrue(result.out.contains("no violation up to depth"), result.out)
        XCTAssertTrue(result.out.contains("stopped by the time limit of 1 s after depth"), result.out)
        XCTAssertTrue(result.out.contains("Stopped by the time limit of 1 s: 1 result(s) left open"), result.out)
        let line = try json(XCTUnwrap(run(["check", "--spec", "mutex-peterson", "--engine", "bmc", "--depth", "100000",
                                           "--time-limit", "1", "--format", "json"]).out.split(separator: "\n").first))
        XCTAssertEqual(line["verdict"] as? String, "holds-up-to-depth")
    }

    func testATimeLimitStopsTheExplicitEngineOnTheTransportSpecAndExitsThreeEvenWhenAsExpected() {
        let result = run(["check", "--time-limit", "0.5"])
        XCTAssertEqual(result.status, 3, result.out)
        XCTAssertTrue(result.out.contains("stopped by the time limit of 0.5 s after depth"), result.out)
        XCTAssertTrue(result.out.contains("explicit"), result.out)
        XCTAssertFalse(result.out.contains("proved"), result.out)
    }

    func testAnInterruptStopsTheRunWithOpenInvariantsAndExitsThree() throws {
        let command = try CheckCommand.parse(["--spec", "buffer-pool", "--engine", "explicit"])
        let cancellation = Cancellation()
        cancellation.interrupt()
        let captured = CapturedConsole()
        let status = try command.execute(captured.console, cancellation: cancellation)
        XCTAssertEqual(status, .unknown)
        XCTAssertTrue(captured.out.contains("stopped by the interrupt after depth 0 was checked completely"), captured.out)
        XCTAssertTrue(captured.out.contains("Stopped by the interrupt:"), captured.out)
        XCTAssertFalse(captured.out.contains("proved"), captured.out)
    }
}
