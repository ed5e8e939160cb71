import Foundation
@testable import SCMICheckCLI
import XCTest

/// Text, Markdown and JSON outputs compared with committed golden files (timings removed).
///
/// To accept a deliberate change, rerun the command shown in the failure and replace the file.
final class GoldenOutputTests: XCTestCase {
    private let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    private func output(_ arguments: [String]) -> String {
        let captured = CapturedConsole()
        _ = SCMICheck.run(arguments, console: captured.console)
        return captured.out
    }

    private func assertGolden(_ arguments: [String], _ file: String, transform: (String) -> String = { $0 },
                              line: UInt = #line) throws {
        let expected = try String(contentsOf: golden.appendingPathComponent(file), encoding: .utf8)
        let actual = transform(output(arguments))
        XCTAssertEqual(actual, expected, "scmi-check \(arguments.joined(separator: " ")) differs from Golden/\(file)", line: line)
    }

    func testDescribeMarkdownOfTheNaiveMutexMatchesItsGoldenFile() throws {
        try assertGolden(["describe", "--spec", "mutex-naive", "--format", "markdown"], "describe-mutex-naive.md")
    }

    func testDescribeTextOfTheBufferPoolMatchesItsGoldenFile() throws {
        try assertGolden(["describe", "--spec", "buffer-pool-double-release"], "describe-buffer-pool-double-release.txt")
    }

    func testCheckTextOfTheBufferPoolMatchesItsGoldenFile() throws {
        try assertGolden(["check", "--spec", "buffer-pool-double-release"], "check-buffer-pool-double-release.txt")
    }

    func testCheckJSONOfTheOverflowingRingBufferMatchesItsGoldenFileWithoutTimings() throws {
        let timing = try NSRegularExpression(pattern: "\"(solver-)?seconds\":[0-9.]+,")
        try assertGolden(["check", "--spec", "ring-buffer-overflow", "--format", "json"], "check-ring-buffer-overflow.jsonl") { text in
            timing.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
        }
    }

    func testCheckMarkdownOfTheNaiveMutexMatchesItsGoldenFile() throws {
        try assertGolden(["check", "--spec", "mutex-naive", "--format", "markdown"], "check-mutex-naive.md")
    }

    func testCheckMarkdownDrawsOneLifelinePerCPUAndOneNotePerStep() {
        let markdown = output(["check", "--spec", "buffer-pool-double-release", "--format", "markdown"])
        let diagram = markdown.components(separatedBy: "```mermaid\n")[1].components(separatedBy: "```")[0]
        let lines = diagram.split(separator: "\n")
        XCTAssertEqual(lines.first, "sequenceDiagram")
        XCTAssertEqual(lines.filter { $0.hasPrefix("    participant ") }, ["    participant u0", "    participant u1"])
        XCTAssertEqual(lines.filter { $0.hasPrefix("    Note over ") }.count, 6)
    }

    func testMarkdownMermaidBlocksAreClosedStateDiagrams() {
        let markdown = output(["describe", "--variant", "upstream", "--full", "--format", "markdown"])
        let fences = markdown.components(separatedBy: "```").count - 1
        XCTAssertEqual(fences % 2, 0, "unbalanced code fences")
        let blocks = markdown.components(separatedBy: "```mermaid\n").dropFirst()
        XCTAssertGreaterThanOrEqual(blocks.count, 4, "a diagram per process with labels, and poll_status")
        for block in blocks {
            let body = block.components(separatedBy: "```")[0]
            XCTAssertTrue(body.hasPrefix("stateDiagram-v2\n"), body)
            for line in body.split(separator: "\n").dropFirst() {
                XCTAssertTrue(line.hasPrefix("    ") && line.contains(" --> "), "not an edge: \(line)")
            }
        }
    }
}
