import Foundation
@testable import SCMICheckCLI
import TransportSpec
import Vocabulary
import XCTest

/// `scmi-check report`: the upstream findings' reports against golden files, and what every
/// report must keep: kernel names only, a file:function on every diagram row, the fix with its
/// switches and evidence, widths for mail, clear errors for bad input.
final class RaceReportTests: XCTestCase {
    private let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    private var golden: URL { here.appendingPathComponent("Golden") }
    /// The package root, so that recorded traces are found as in a checkout.
    private var root: String { here.deletingLastPathComponent().deletingLastPathComponent().path }

    private func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
        let captured = CapturedConsole()
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(root)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let status = SCMICheck.run(arguments, console: captured.console)
        return (status, captured.out, captured.err)
    }

    /// The upstream findings a report is written for, by invariant, with their golden file's stem.
    private let findings = [("exactly-once-delivery", "stale-rx-len"), ("no-double-free", "three-releases"),
                            ("no-leak-at-quiescence", "poll-timeout-after-release")]

    private func report(_ invariant: String, markdown: Bool = false) -> String {
        let result = run(["report", "--variant", "upstream", "--invariant", invariant] + (markdown ? ["--format", "markdown"] : []))
        XCTAssertEqual(result.status, 0, result.err)
        return result.out
    }

    private func diagram(of text: String) -> [String] {
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("    CPU") }) else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.isEmpty && !$0.hasPrefix("```") })
    }

    // MARK: - Golden files

    func testEachUpstreamFindingsReportMatchesItsGoldenFile() throws {
        for (invariant, stem) in findings {
            let expected = try String(contentsOf: golden.appendingPathComponent("report-\(stem).txt"), encoding: .utf8)
            XCTAssertEqual(report(invariant), expected,
                           "scmi-check report --variant upstream --invariant \(invariant) differs from Golden/report-\(stem).txt")
        }
    }

    func testTheFindingsWriteUpsAreTheMarkdownReports() throws {
        let docs = URL(fileURLWithPath: root).appendingPathComponent("docs/findings")
        for (invariant, stem) in findings {
            let expected = try String(contentsOf: docs.appendingPathComponent("\(stem).md"), encoding: .utf8)
            XCTAssertEqual(report(invariant, markdown: true), expected, "docs/findings/\(stem).md is stale: make findings-docs")
        }
    }

    // MARK: - What every report keeps

    /// Spec step labels, variable names and program-counter values that are identifiers
    /// (contain an underscore) must never appear as whole words, except those that are the
    /// kernel's own identifiers (the spec names some variables after the kernel's fields).
    func testNoReportNamesASpecStepOrVariable() throws {
        let kernelIdentifiers: Set<String> = ["free_list", "poll_status", "rx_len", "next_msg", "pending_lock", "xfer_put",
                                              "pending_cmds_list", "any_prefetched", "next_msg_done"]
        var names = Set<String>()
        for variant in Variant.allCases {
            let spec = TransportSpec.make(TransportConfiguration(variant: variant))
            let trace = try String(contentsOfFile: "\(root)/Generated/Traces/upstream-no-leak-at-quiescence.json", encoding: .utf8)
            names.formUnion(spec.variables.map(\.name))
            for process in spec.processes { names.formUnion(process.actions.map(\.name)) }
            for match in regexMatches(#""([a-z]+(_[a-z0-9]+)+)""#, in: trace) { names.insert(match[1]) }
        }
        let forbidden = names.filter { $0.contains("_") && !kernelIdentifiers.contains($0) }
        XCTAssertTrue(forbidden.contains("sender_pc") && forbidden.contains("poll_done_get_buf"), "the list must hold what it is for")
        for (invariant, _) in findings + [("no-use-after-release", ""), ("conservation", ""), ("no-lost-wakeup", "")] {
            let text = report(invariant) + report(invariant, markdown: true)
            let words = Set(regexMatches("[A-Za-z0-9_]+", in: text).map { $0[0] })
            XCTAssertEqual(words.intersection(forbidden), [], "upstream \(invariant)")
        }
    }

    func testEveryDiagramRowNamesAKernelFunctionOrADeviceOrBugEvent() {
        let locations = KernelSource.allLocations
        for (invariant, _) in findings + [("no-use-after-release", ""), ("conservation", ""), ("no-lost-wakeup", "")] {
            let rows = diagram(of: report(invariant))
            XCTAssertGreaterThan(rows.count, 10, invariant)
            for row in rows {
                let names = locations.contains { row.contains($0) }
                XCTAssertTrue(names || row.contains("~~ device returns") || row.contains("deadline of"), "\(invariant): \(row)")
            }
        }
    }

    func testProseIsWrappedAtSeventyTwoAndTheDiagramAtAHundred() {
        for (invariant, _) in findings {
            let text = report(invariant)
            let rows = Set(diagram(of: text))
            for line in text.components(separatedBy: "\n") where !line.hasPrefix("Subject:") && !line.hasPrefix("  scmi-check") && !line.hasPrefix("  trace:") {
                XCTAssertLessThanOrEqual(line.count, rows.contains(line) || line.hasPrefix("    CPU") ? 100 : 72, "\(invariant): \(line)")
            }
        }
    }

    func testTheFixSectionNamesTheSwitchesAndTheEvidenceConfigurationsAndMemoryModel() {
        for story in FindingStories.upstream {
            let text = report(story.properties[0].rawValue)
            let fix = text.components(separatedBy: "\nFix:\n")[1].components(separatedBy: "\nReproduce:\n")[0]
            for s in story.switches { XCTAssertTrue(fix.contains(s.rawValue), "\(story.slug): \(s)") }
            XCTAssertTrue(fix.contains("2 CPUs x 2 buffers, current core"), story.slug)
            XCTAssertTrue(fix.contains("sequential consistency (sc)"), story.slug)
            XCTAssertTrue(fix.contains("keeps every property"), story.slug)
        }
    }

    func testTheSmallProofsTheReportsCiteHold() throws {
        let proof = try XCTUnwrap(FixEvidence.proofs.first { $0.cpus == 2 && $0.buffers == 1 })
        let result = run(["check", "--variant", "fixed", "--cpus", "2", "--buffers", "1", "--exhaustive", "--format", "json", "--quiet"])
        XCTAssertEqual(result.status, 0, result.err)
        for line in result.out.split(separator: "\n") {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertEqual(object["verdict"] as? String, "proved")
            XCTAssertEqual(object["states"] as? Int, proof.states)
        }
    }

    func testEachUpstreamMechanismNamesADifferentSwitchOfFixed() {
        let switches = FindingStories.upstream.flatMap(\.switches)
        // The one fix without a report answers a finding that needs --shutdown on (README, "How the channel ends").
        XCTAssertEqual(Set(switches), Set(Variant.fixed.differences).subtracting([.pollDoneNotYetAfterTeardown]))
        XCTAssertEqual(switches.count, Set(switches).count)
    }

    // MARK: - Input

    func testAReportOnATraceFileIsCutAtItsFirstViolation() {
        let result = run(["report", "--trace", "Generated/Traces/upstream-no-double-free.json"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("20 steps of the model"), result.out)
        XCTAssertTrue(result.out.contains("refcount_t: underflow"), result.out)
    }

    func testUnknownNamesAreBadInput() {
        let variant = run(["report", "--variant", "v9", "--invariant", "no-double-free"])
        XCTAssertEqual(variant.status, 2)
        XCTAssertTrue(variant.err.contains("unknown variant 'v9'"), variant.err)
        let invariant = run(["report", "--variant", "upstream", "--invariant", "no-such"])
        XCTAssertEqual(invariant.status, 2)
        XCTAssertTrue(invariant.err.contains("unknown invariant 'no-such'"), invariant.err)
        let none = run(["report"])
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.err.contains("give --variant and --invariant"), none.err)
    }

    func testAnInvariantTheVariantKeepsIsBadInput() {
        let result = run(["report", "--variant", "fixed", "--invariant", "no-double-free", "--cpus", "1", "--buffers", "1"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("no-double-free is not violated by fixed"), result.err)
        XCTAssertEqual(result.out, "")
    }

    func testAMalformedOrNonViolatingTraceIsBadInput() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("broken.json")
        try Data("{\"states\": [".utf8).write(to: broken)
        let malformed = run(["report", "--trace", broken.path])
        XCTAssertEqual(malformed.status, 2)
        XCTAssertTrue(malformed.err.contains("broken.json"), malformed.err)
        let other = run(["report", "--trace", "Generated/Traces/upstream-no-double-free.json", "--invariant", "no-leak-at-quiescence"])
        XCTAssertEqual(other.status, 2)
        XCTAssertTrue(other.err.contains("never breaks no-leak-at-quiescence"), other.err)
    }
}

/// The capture groups (group 0 first) of every match of `pattern` in `text`.
func regexMatches(_ pattern: String, in text: String) -> [[String]] {
    let regex = try! NSRegularExpression(pattern: pattern)
    return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
        (0..<match.numberOfRanges).map { i in Range(match.range(at: i), in: text).map { String(text[$0]) } ?? "" }
    }
}
