@testable import SCMICheckCLI
import XCTest

/// `check --memory-model`: every verdict names the model; what cannot be checked under it is refused.
final class MemoryModelOptionTests: XCTestCase {
    private func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
        let captured = CapturedConsole()
        let status = SCMICheck.run(arguments, console: captured.console)
        return (status, captured.out, captured.err)
    }

    func testASymbolicEngineUnderLKMMNoLBIsRefusedWithExitTwo() {
        let result = run(["check", "--variant", "fixed", "--engine", "bmc", "--memory-model", "lkmm-nolb", "--quiet"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("explicit engine only"), result.err)
    }

    func testASpecWithoutWeakVariablesIsRefusedUnderLKMMNoLB() {
        let result = run(["check", "--spec", "mutex-naive", "--memory-model", "lkmm-nolb", "--quiet"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("declares no weak variables"), result.err)
    }

    func testEveryVerdictUnderLKMMNoLBNamesTheModelAndExplainsItsWeakReads() {
        let result = run(["check", "--variant", "upstream", "--core", "current", "--invariant", "exactly-once-delivery",
                          "--memory-model", "lkmm-nolb", "--max-states", "100000", "--quiet"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.out.contains("violated at depth 17  explicit  [lkmm-nolb]"), result.out)
        XCTAssertTrue(result.out.contains("weak reads: step 17 sender[cpu1].fetch_response: plain read rx_len_set[msg1]"), result.out)
        XCTAssertTrue(result.out.contains("memory model: lkmm-nolb"), result.out)
    }

    func testABoundedRunUnderLKMMNoLBIsNeverAProof() {
        let result = run(["check", "--variant", "fixed", "--invariant", "conservation", "--memory-model", "lkmm-nolb",
                          "--depth", "5", "--quiet"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.out.contains("no violation up to depth 5"), result.out)
        XCTAssertFalse(result.out.contains("proved"), result.out)
    }

    func testTheLitmusCommandComparesLKMMNoLBWithTheAxiomaticModel() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent("Spec/Litmus/poll-done-rx-len-once.litmus").path
        let result = run(["litmus", "--memory-model", "lkmm-nolb", file])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.out.contains("Sometimes (lkmm-nolb), Sometimes (lkmm)"), result.out)
    }
}
