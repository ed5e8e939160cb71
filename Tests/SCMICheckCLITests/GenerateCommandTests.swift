import Foundation
@testable import SCMICheckCLI
import XCTest

/// `generate` writes the tests of the recorded findings from their traces, and refuses when a
/// trace and the findings disagree.
final class GenerateCommandTests: XCTestCase {
    private let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Generated/Traces")
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("generate-\(UUID())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("traces"), withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: committed.path) where name.hasSuffix(".json") {
            try FileManager.default.copyItem(at: committed.appendingPathComponent(name),
                                              to: folder.appendingPathComponent("traces").appendingPathComponent(name))
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func generate() -> (status: Int32, err: String) {
        let captured = CapturedConsole()
        let status = SCMICheck.run(["generate", "--quiet", "--traces", folder.appendingPathComponent("traces").path,
                                    "--output", folder.appendingPathComponent("out").path], console: captured.console)
        return (status, captured.err)
    }

    private var written: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out").path)) ?? []
    }

    func testAFindingWithoutItsRecordedTraceIsReportedAndNothingIsWritten() throws {
        try FileManager.default.removeItem(at: folder.appendingPathComponent("traces/upstream-no-double-free.json"))
        let result = generate()
        XCTAssertEqual(result.status, 1, result.err)
        XCTAssertTrue(result.err.contains("upstream with the current core, no-double-free: no trace recorded"), result.err)
        XCTAssertEqual(written, [])
    }

    func testAShutdownFindingWithoutItsRecordedTraceIsReportedWithItsConfiguration() throws {
        try FileManager.default.removeItem(at: folder.appendingPathComponent("traces/upstream-exactly-once-delivery-c1b1-shutdown.json"))
        let result = generate()
        XCTAssertEqual(result.status, 1, result.err)
        XCTAssertTrue(result.err.contains("upstream with the current core at 1 x 1 with shutdown, exactly-once-delivery: no trace recorded (the finding at depth 11)"), result.err)
        XCTAssertEqual(written, [])
    }

    func testEveryShutdownFindingIsSearchedUnderAStateCap() {
        let shutdown = GenerateCommand.findings.filter { $0.configuration.shutdown }
        XCTAssertEqual(Set(shutdown.map { "\($0.configuration.cpus)x\($0.configuration.buffers)" }), ["1x1", "2x1"])
        XCTAssertTrue(shutdown.allSatisfy { $0.maxStates == GenerateCommand.shutdownStateCap })
        XCTAssertFalse(shutdown.contains { $0.configuration.variant == .fixed }, "fixed has no finding with shutdown")
        // With contexts too, at 1 x 1 only, where every space is exhausted within a few thousand states.
        let both = shutdown.filter { $0.configuration.contexts != nil }
        XCTAssertEqual(both.map { "\($0.configuration.variant)/\($0.configuration.core)" }, ["v4/2022", "v4-proposal/2022", "upstream/current", "upstream/2022"])
        XCTAssertTrue(both.allSatisfy { ($0.configuration.cpus, $0.configuration.buffers) == (1, 1) })
    }

    func testTheContextsFindingsAreEveryRecordedOneButTheDeepLeaksWithTheDeepOnesSearchedExhaustively() {
        let contexts = GenerateCommand.findings.filter { $0.configuration.contexts != nil && !$0.configuration.shutdown }
        XCTAssertTrue(contexts.allSatisfy { $0.configuration.contexts?.irqCPU == nil })
        XCTAssertTrue(contexts.allSatisfy { ($0.configuration.cpus, $0.configuration.buffers) == (2, 2) })
        // Capped where every finding lies within the cap's reach, exhaustive where one does not.
        for finding in contexts {
            let deep = finding.violations.contains { $0.depth > GenerateCommand.contextsDepthReach }
            XCTAssertEqual(finding.maxStates, deep ? nil : GenerateCommand.contextsStateCap, "\(finding.configuration.variant)")
        }
        let names = contexts.flatMap { f in f.violations.map { "\(f.configuration.variant)/\(f.configuration.core)/\($0.property)/\($0.depth)" } }
        XCTAssertEqual(names, [
            "v4/2022/no-use-after-release/15", "v4/2022/no-leak-at-quiescence/14", "v4/2022/no-lost-wakeup/30",
            "v4-proposal/2022/conservation/52", "v4-proposal/2022/no-double-free/48", "v4-proposal/2022/no-use-after-release/15",
            "v4-proposal/2022/exactly-once-delivery/44", "v4-proposal/2022/no-lost-wakeup/57",
            "upstream/current/conservation/28", "upstream/current/no-double-free/20", "upstream/current/no-use-after-release/20",
            "upstream/current/exactly-once-delivery/17", "upstream/current/no-lost-wakeup/45",
            "upstream/2022/conservation/29", "upstream/2022/no-double-free/21", "upstream/2022/no-use-after-release/21",
            "upstream/2022/exactly-once-delivery/16", "upstream/2022/no-lost-wakeup/46",
        ])
    }

    func testAContextsFindingWithoutItsRecordedTraceIsReportedWithItsConfiguration() throws {
        try FileManager.default.removeItem(at: folder.appendingPathComponent("traces/upstream-exactly-once-delivery-contexts.json"))
        let result = generate()
        XCTAssertEqual(result.status, 1, result.err)
        XCTAssertTrue(result.err.contains("upstream with the current core with contexts (irq-cpu any), exactly-once-delivery: no trace recorded (the finding at depth 17)"), result.err)
        XCTAssertEqual(written, [])
    }

    func testATraceCutShortOfItsViolationIsRefused() throws {
        let url = folder.appendingPathComponent("traces/upstream-no-double-free.json")
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var states = try XCTUnwrap(object["states"] as? [Any])
        states.removeLast()
        object["states"] = states
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        let result = generate()
        XCTAssertEqual(result.status, 1, result.err)
        XCTAssertTrue(result.err.contains("upstream with the current core, no-double-free: the trace breaks no-double-free nowhere"), result.err)
        XCTAssertEqual(written, [])
    }

    func testAWeakFindingWithoutItsRecordedTraceIsReported() throws {
        try FileManager.default.removeItem(at: folder.appendingPathComponent("traces/v4-exactly-once-delivery-corecurrent-lkmm-nolb.json"))
        let result = generate()
        XCTAssertEqual(result.status, 1, result.err)
        XCTAssertTrue(result.err.contains("v4 with the current core, exactly-once-delivery under lkmm-nolb: no trace recorded (the finding at depth 19)"), result.err)
        XCTAssertEqual(written, [])
    }

    func testAWeakTraceThatNoLongerNamesItsMemoryModelIsRefused() throws {
        let url = folder.appendingPathComponent("traces/v4-exactly-once-delivery-corecurrent-lkmm-nolb.json")
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var meta = try XCTUnwrap(object["#meta"] as? [String: Any])
        var configuration = try XCTUnwrap(meta["configuration"] as? [String: Any])
        configuration["memory-model"] = nil
        meta["configuration"] = configuration
        object["#meta"] = meta
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        let result = generate()
        XCTAssertEqual(result.status, 1, result.err)
        XCTAssertTrue(result.err.contains("a trace of v4 exactly-once-delivery with the current core is not a recorded finding"), result.err)
        XCTAssertEqual(written, [])
    }

    func testTheWeakFindingsAreThoseTheWeakModelAddsOrShortens() {
        let weak = GenerateCommand.findings.filter { $0.model == .lkmmNoLB }
        let names = weak.flatMap { f in f.violations.map { "\(f.configuration.variant)/\(f.configuration.core)/\($0.property)/\($0.depth)" } }
        XCTAssertEqual(Set(names), [
            "v4/2022/exactly-once-delivery/18", "v4/current/exactly-once-delivery/19", "v4/described/exactly-once-delivery/17",
            "v4-proposal/2022/exactly-once-delivery/17", "v4-proposal/current/exactly-once-delivery/18",
        ])
    }
}
