import Checking
import Foundation
@testable import SCMICheckCLI
import TransitionSystems
import XCTest

/// The spec review in CI: `check --format github` annotations, `check --baseline`, and the
/// workflow file, whose run steps must be make targets that `.ci/run` runs too.
final class SpecReviewTests: XCTestCase {
    private let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    private var root: URL { here.deletingLastPathComponent().deletingLastPathComponent() }

    private func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
        let captured = CapturedConsole()
        let status = SCMICheck.run(arguments, console: captured.console)
        return (status, captured.out, captured.err)
    }

    private func row(_ invariant: String, _ verdict: Verdict, depth: Int?, expected: Expectation?) -> Report.Row {
        Report.Row(spec: "scmi-virtio", variant: "upstream", configuration: ["core": "current", "cpus": "2", "buffers": "2"],
                   result: CheckResult(invariant: invariant, verdict: verdict, engine: .explicit, depth: depth, detail: ""),
                   trace: nil, expectation: expected)
    }

    // MARK: - Annotations

    func testAnnotationsOfTheTransportMatchTheirGoldenFile() throws {
        let source = try String(contentsOf: root.appendingPathComponent("Spec/Invariants.swift"), encoding: .utf8)
        let report = Report(rows: [
            row("no-double-free", .violated, depth: 20, expected: .violated(depth: 20)),
            row("no-leak-at-quiescence", .proved, depth: 40, expected: .violated(depth: 57)),
            row("conservation", .violated, depth: 28, expected: .holds),
            row("no-lost-wakeup", .proved, depth: 40, expected: .holds),
        ], compareWithExpectations: true)
        let lines = GitHubAnnotations(report: report, source: source).lines()
        let expected = try String(contentsOf: here.appendingPathComponent("Golden/check-github-transport.txt"), encoding: .utf8)
        XCTAssertEqual(lines.joined(separator: "\n") + "\n", expected)
    }

    func testEachInvariantsAnnotationPointsAtItsDeclaration() throws {
        let source = try String(contentsOf: root.appendingPathComponent("Spec/Invariants.swift"), encoding: .utf8)
        let lines = source.components(separatedBy: "\n")
        for name in ["conservation", "no-double-free", "no-use-after-release", "exactly-once-delivery", "no-leak-at-quiescence", "no-lost-wakeup"] {
            let line = try XCTUnwrap(GitHubAnnotations.declarationLine(of: name, in: source), name)
            XCTAssertTrue(lines[line - 1].contains("case ."), name)
            // The Invariant it declares follows with the property's name.
            XCTAssertTrue(lines[line].contains("Invariant(property.rawValue"), "\(name): \(lines[line])")
        }
        XCTAssertNil(GitHubAnnotations.declarationLine(of: "no-such-invariant", in: source))
    }

    func testAnnotationTextIsEscapedForTheRunner() {
        XCTAssertEqual(GitHubAnnotations.escapeData("50% done\nnext"), "50%25 done%0Anext")
        XCTAssertEqual(GitHubAnnotations.escapeProperty("a: b, c"), "a%3A b%2C c")
    }

    func testGitHubFormatOfAFixtureMatchesItsGoldenFile() throws {
        let result = run(["check", "--spec", "buffer-pool-double-release", "--format", "github", "--quiet"])
        XCTAssertEqual(result.status, 1)
        let expected = try String(contentsOf: here.appendingPathComponent("Golden/check-github-buffer-pool-double-release.txt"), encoding: .utf8)
        XCTAssertEqual(result.out, expected)
    }

    // MARK: - Baseline

    func testTheBaselineComparisonNamesNewAndLostViolationsAndDepthChanges() {
        let recorded = [
            BaselineComparison.Outcome(spec: "s", variant: "v", configuration: [:], invariant: "a", verdict: "violated", depth: 20),
            BaselineComparison.Outcome(spec: "s", variant: "v", configuration: [:], invariant: "b", verdict: "violated", depth: 17),
            BaselineComparison.Outcome(spec: "s", variant: "v", configuration: [:], invariant: "c", verdict: "proved", depth: 9),
            BaselineComparison.Outcome(spec: "s", variant: "v", configuration: [:], invariant: "d", verdict: "proved", depth: 9),
        ]
        let run = [
            BaselineComparison.Outcome(spec: "s", variant: "v", configuration: [:], invariant: "a", verdict: "violated", depth: 18),
            BaselineComparison.Outcome(spec: "s", variant: "v", configuration: [:], invariant: "b", verdict: "proved", depth: 9),
            BaselineComparison.Outcome(spec: "s", variant: "v", configuration: [:], invariant: "c", verdict: "violated", depth: 5),
            BaselineComparison.Outcome(spec: "s", variant: "v", configuration: [:], invariant: "d", verdict: "proved", depth: 9),
        ]
        let comparison = BaselineComparison(baseline: "base.jsonl", recorded: recorded, run: run)
        XCTAssertEqual(comparison.text(), """
            Against the baseline base.jsonl:
              depth changed: v a (was violated at depth 20), now violated at depth 18
              lost violation: v b (was violated at depth 17), now proved
              new violation: v c (was proved), now violated at depth 5
            """)
    }

    func testCheckAgainstItsOwnJSONShowsNoChangeAndAgainstAnotherSpecShowsWhatDiffers() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + ".jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        let recorded = run(["check", "--spec", "buffer-pool-double-release", "--format", "json", "--quiet", "--json-output", file.path])
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), recorded.out)
        let same = run(["check", "--spec", "buffer-pool-double-release", "--quiet", "--baseline", file.path])
        XCTAssertTrue(same.out.hasSuffix("Against the baseline \(file.path):\n  no change\n"), same.out)
        let other = run(["check", "--spec", "buffer-pool", "--quiet", "--baseline", file.path, "--format", "markdown"])
        XCTAssertTrue(other.out.contains("| only in the baseline | buffer-pool-double-release | `no-double-free` | violated at depth 6 |  |"), other.out)
    }

    func testAMalformedBaselineIsBadInput() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + ".jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("{\"spec\": 1}\n".utf8).write(to: file)
        let result = run(["check", "--spec", "buffer-pool", "--baseline", file.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("not a result line"), result.err)
        XCTAssertEqual(run(["check", "--spec", "buffer-pool", "--baseline", "/no/such/file"]).status, 2)
    }

    // MARK: - The workflow

    func testTheWorkflowsRunStepsAreMakeTargetsThatCIRunsToo() throws {
        let text = try String(contentsOf: root.appendingPathComponent(".github/workflows/spec-review.yml"), encoding: .utf8)
        let workflow = try MinimalYAML.parse(text)
        XCTAssertNotNil(workflow["on"]?["pull_request"])
        let ci = try String(contentsOf: root.appendingPathComponent(".ci/run"), encoding: .utf8)
        let makefile = try String(contentsOf: root.appendingPathComponent("Makefile"), encoding: .utf8)
        let ciTargets = Set(regexMatches("(?m)^make ([a-z-]+)", in: ci).map { $0[1] })
        var runs: [String] = []
        for (_, job) in try XCTUnwrap(workflow["jobs"]).entries {
            for step in try XCTUnwrap(job["steps"]).items {
                guard let command = step["run"]?.text else { continue }
                runs.append(command)
                let target = try XCTUnwrap(regexMatches("^make ([a-z-]+)$", in: command).first, "a run step that is not one make target: \(command)")[1]
                XCTAssertTrue(ciTargets.contains(String(target)), "make \(target) is not run by .ci/run")
                XCTAssertTrue(makefile.contains("\n\(target):"), "no make target \(target)")
            }
        }
        XCTAssertEqual(runs, ["make ci-setup", "make review"])
        let uses = try XCTUnwrap(workflow["jobs"]?["spec-review"]?["steps"]).items.compactMap { $0["uses"]?.text }
        XCTAssertTrue(uses.contains { $0.hasPrefix("marocchino/sticky-pull-request-comment") }, "one comment, updated")
        XCTAssertTrue(uses.contains { $0.hasPrefix("actions/upload-artifact") }, "traces as artifacts")
    }

    func testTheYAMLReaderReadsTheSubsetAndRefusesTheRest() throws {
        let node = try MinimalYAML.parse("""
            a: 1 # one
            b:
              - x
              - name: "y: z"
                run: |
                  line one
                  line two
            c: [p, q]
            """)
        XCTAssertEqual(node["a"]?.text, "1")
        XCTAssertEqual(node["b"]?.items.first?.text, "x")
        XCTAssertEqual(node["b"]?.items.last?["name"]?.text, "y: z")
        XCTAssertEqual(node["b"]?.items.last?["run"]?.text, "line one\nline two")
        XCTAssertEqual(node["c"]?.items.compactMap(\.text), ["p", "q"])
        XCTAssertThrowsError(try MinimalYAML.parse("a: &anchor 1"))
        XCTAssertThrowsError(try MinimalYAML.parse("a: 1\n   b: 2"))
    }
}
