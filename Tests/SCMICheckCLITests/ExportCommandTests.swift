import Foundation
@testable import SCMICheckCLI
import XCTest

/// `scmi-check export` and `check --reduction`, driven through the CLI's entry point.
final class ExportCommandTests: XCTestCase {
    private func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
        let captured = CapturedConsole()
        let status = SCMICheck.run(arguments, console: captured.console)
        return (status, captured.out, captured.err)
    }

    func testExportWritesAPromelaModelToStandardOutput() {
        let result = run(["export", "--format", "promela", "--spec", "mutex-peterson"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("spec mutex-peterson"), result.out)
        XCTAssertTrue(result.out.contains("active proctype system()"), result.out)
        XCTAssertTrue(result.out.contains("/* invariant mutual-exclusion */"), result.out)
        XCTAssertEqual(result.out, run(["export", "--spec", "mutex-peterson"]).out, "deterministic, promela by default")
    }

    func testExportOfOneTransportVariantNamesItsConfiguration() {
        let result = run(["export", "--variant", "fixed", "--cpus", "1", "--buffers", "1", "--core", "current"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("variant fixed"), String(result.out.prefix(400)))
        XCTAssertTrue(result.out.contains("cpus 1"), String(result.out.prefix(400)))
    }

    func testExportWritesTheOutputFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("scmi-export-\(UUID().uuidString).pml")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = run(["export", "--spec", "ring-buffer", "--output", file.path])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "")
        XCTAssertTrue(try String(contentsOf: file, encoding: .utf8).contains("spec ring-buffer"))
    }

    func testExportRefusesBadInputWithStatusTwo() {
        let cases: [([String], String)] = [
            (["export", "--spec", "no-such-spec"], "unknown spec 'no-such-spec'"),
            (["export", "--format", "tla"], "tla"),
            (["export"], "choose one with --variant"),
            (["export", "--spec", "mutex-naive", "--variant", "fixed"], "has no variants"),
            (["export", "--spec", "mutex-naive", "--cpus", "2"], "does not take --cpus"),
            (["export", "--spec", "mutex-naive", "--output", "/nonexistent-directory/model.pml"], "cannot write"),
        ]
        for (arguments, message) in cases {
            let result = run(arguments)
            XCTAssertEqual(result.status, 2, arguments.joined(separator: " "))
            XCTAssertTrue(result.err.contains(message), "\(arguments.joined(separator: " ")): \(result.err)")
        }
    }

    func testCheckWithoutReductionCountsEveryConcreteState() {
        func states(_ extra: [String]) -> Int? {
            let result = run(["check", "--variant", "fixed", "--cpus", "2", "--buffers", "1", "--core", "current", "--engine", "explicit",
                              "--exhaustive", "--invariant", "no-double-free", "--format", "json", "--stats", "--quiet"] + extra)
            XCTAssertEqual(result.status, 0, result.err)
            guard let range = result.out.range(of: "\"states\":") else { return nil }
            return Int(result.out[range.upperBound...].prefix { $0.isNumber })
        }
        // 2 CPUs x 1 buffer of `fixed`: 37576 concrete states (as SPIN stores them), fewer up to renaming the CPUs.
        XCTAssertEqual(states(["--reduction", "none"]), 37576)
        XCTAssertLessThan(states([]) ?? .max, 37576)
        XCTAssertEqual(run(["check", "--spec", "buffer-pool", "--reduction", "some"]).status, 2)
    }
}
