import XCTest
import ArgumentParser
@testable import scmi_stress

final class StressOptionsTests: XCTestCase {
    /// Parses `arguments` and returns the message of the error it must raise.
    private func refusal(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try StressOptions.parse(arguments)
            XCTFail("\(arguments) was accepted", file: file, line: line)
            return ""
        } catch {
            XCTAssertNotEqual(StressOptions.exitCode(for: error), .success, file: file, line: line)
            return StressOptions.message(for: error)
        }
    }

    func testAnAddFailurePercentageOutsideZeroToAHundredIsRefused() {
        XCTAssertTrue(refusal(["--inject-add-sgs-failures", "101"]).contains("percentage from 0 to 100, not 101"))
        XCTAssertTrue(refusal(["--inject-add-sgs-failures=-5"]).contains("percentage from 0 to 100, not -5"))
    }

    func testTheBoundsOfAPercentageAreAccepted() throws {
        XCTAssertEqual(try StressOptions.parse(["--inject-add-sgs-failures", "0"]).addFailurePercent, 0)
        XCTAssertEqual(try StressOptions.parse(["--inject-add-sgs-failures", "100"]).addFailurePercent, 100)
    }

    func testInjectedAddFailuresAreForTheRealThreadStressOnly() {
        XCTAssertTrue(refusal(["--explore", "random", "--inject-add-sgs-failures", "5"]).contains("real-thread stress only"))
    }

    func testARoundLengthNeedsShutdownOnRealThreads() {
        XCTAssertTrue(refusal(["--round-ms", "50"]).contains("--round-ms needs --shutdown"))
        XCTAssertTrue(refusal(["--shutdown", "--explore", "random", "--round-ms", "50"]).contains("--round-ms needs --shutdown"))
        XCTAssertTrue(refusal(["--shutdown", "--round-ms", "0"]).contains("must be positive"))
    }

    func testContextsAreForAnExplorationAndAnIRQCPUNeedsThemAndACPU() throws {
        XCTAssertTrue(refusal(["--contexts"]).contains("--contexts needs --explore"))
        XCTAssertTrue(refusal(["--explore", "random", "--irq-cpu", "0"]).contains("--irq-cpu 0 needs --contexts"))
        XCTAssertTrue(refusal(["--explore", "random", "--contexts", "--threads", "2", "--irq-cpu", "2"]).contains("a CPU from 0 to 1"))
        XCTAssertEqual(try StressOptions.parse(["--explore", "random", "--contexts", "--threads", "2", "--irq-cpu", "1"]).irqCPU, 1)
    }

    func testShutdownRoundsLastTwoHundredMillisecondsUnlessToldOtherwise() throws {
        XCTAssertEqual(try StressOptions.parse(["--shutdown"]).roundLength, .milliseconds(200))
        XCTAssertEqual(try StressOptions.parse(["--shutdown", "--round-ms", "30"]).roundLength, .milliseconds(30))
    }
}
