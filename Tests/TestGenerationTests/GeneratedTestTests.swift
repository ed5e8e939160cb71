import Foundation
import TestGeneration
import Traces
import XCTest

final class GeneratedTestTests: XCTestCase {
    private func committedTrace(_ name: String) throws -> Trace {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Generated/Traces").appendingPathComponent(name)
        return try Trace(itf: try Data(contentsOf: url))
    }

    func testNamesDeriveFromVariantAndInvariant() throws {
        let test = try GeneratedTest(trace: try committedTrace("v4-proposal-no-use-after-release.json"),
                                     invariant: "no-use-after-release", command: "scmi-check generate")
        XCTAssertEqual(test.className, "V4ProposalNoUseAfterReleaseTests")
        XCTAssertEqual(test.fileName, "V4ProposalNoUseAfterReleaseTests.swift")
        XCTAssertEqual(test.traceFileName, "v4-proposal-no-use-after-release.json")
    }

    func testATraceWithShutdownAtOneByOneNamesItsConfiguration() throws {
        let test = try GeneratedTest(trace: try committedTrace("upstream-exactly-once-delivery-c1b1-core2022-shutdown.json"),
                                     invariant: "exactly-once-delivery", command: "scmi-check generate")
        XCTAssertEqual(test.className, "UpstreamExactlyOnceDeliveryC1B1Core2022ShutdownTests")
        XCTAssertEqual(test.traceFileName, "upstream-exactly-once-delivery-c1b1-core2022-shutdown.json")
        XCTAssertTrue(test.source.contains("/// - Configuration: 1 CPU, 1 buffer, 2022 core, shutdown on"), test.source)
        XCTAssertTrue(test.source.contains("func testUpstreamViolatesExactlyOnceDeliveryAtStep10()"), test.source)
        XCTAssertTrue(test.source.contains("func testFixedKeepsEveryInvariantOnTheSameSchedule()"), test.source)
    }

    func testRenderingTwiceGivesTheSameSource() throws {
        let trace = try committedTrace("upstream-no-double-free.json")
        let first = try GeneratedTest(trace: trace, invariant: "no-double-free", command: "scmi-check generate").source
        let second = try GeneratedTest(trace: trace, invariant: "no-double-free", command: "scmi-check generate").source
        XCTAssertEqual(first, second)
    }

    func testTheSourceTellsTheStoryOneStepALineWithItsHeader() throws {
        let trace = try committedTrace("upstream-no-double-free.json")
        let source = try GeneratedTest(trace: trace, invariant: "no-double-free", command: "make generate").source
        XCTAssertTrue(source.contains("/// - Depth: 20"))
        XCTAssertTrue(source.contains("/// - Regenerate: `make generate`"))
        XCTAssertTrue(source.contains("\"irq release_msg\", // 20."))
        XCTAssertTrue(source.contains("func testUpstreamViolatesNoDoubleFreeAtStep20()"))
        XCTAssertEqual(source.components(separatedBy: "\n").filter { $0.contains("\", // ") }.count, trace.depth)
    }

    func testTheCommittedFileMatchesTheSourceRenderedFromItsTrace() throws {
        let trace = try committedTrace("upstream-no-double-free.json")
        let source = try GeneratedTest(trace: trace, invariant: "no-double-free",
                                       command: "swift run -c release scmi-check generate").source
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Generated/UpstreamNoDoubleFreeTests.swift")
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), source)
    }
}
