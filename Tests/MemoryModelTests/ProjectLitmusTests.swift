import Foundation
import MemoryModel
import XCTest

/// The project's own litmus tests for the transport's patterns (Spec/Litmus): each file's `Result:`
/// line is its golden answer.
final class ProjectLitmusTests: XCTestCase {
    static var litmusDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Spec/Litmus")
    }

    private func outcome(_ name: String) throws -> LitmusOutcome {
        let text = try String(contentsOf: Self.litmusDirectory.appendingPathComponent(name), encoding: .utf8)
        return try LitmusChecker().check(source: text)
    }

    func testEveryTransportLitmusTestAgreesWithItsResultLine() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.litmusDirectory.path)
            .filter { $0.hasSuffix(".litmus") }.sorted()
        XCTAssertEqual(names.count, 6)
        for name in names {
            let result = try outcome(name)
            XCTAssertEqual(result.agreesWithExpected, true,
                           "\(name): \(result.answer.rawValue), flags \(result.flags), expected \(result.test.expected ?? "none")")
        }
    }

    func testRxLenPublishedWithOnceAccessesCanBeSeenStaleAndRaces() throws {
        let result = try outcome("poll-done-rx-len-once.litmus")
        XCTAssertEqual(result.answer, .sometimes)
        XCTAssertEqual(result.flags, [.dataRace])
        let witness = try XCTUnwrap(result.witness)
        XCTAssertEqual(witness.registers[1]?["r0"], .int(1))
        XCTAssertEqual(witness.registers[1]?["r1"], .int(0))
        let stale = try XCTUnwrap(witness.readsFrom.first { $0.read.location == "rx_len" })
        XCTAssertTrue(stale.write.isInitial, "the owner's length read takes the initial value")
    }

    func testRxLenPublishedByReleaseAndCheckedByAcquireIsNeverStale() throws {
        let result = try outcome("poll-done-rx-len-release-acquire.litmus")
        XCTAssertEqual(result.answer, .never)
        XCTAssertTrue(result.flags.isEmpty)
        XCTAssertGreaterThan(result.allowedExecutions, 0, "not vacuous")
    }

    func testStoreMbOfPrivNeedsAFullBarrierOnTheReaderToo() throws {
        XCTAssertEqual(try outcome("priv-store-mb.litmus").answer, .never)
        XCTAssertEqual(try outcome("priv-store-mb-reader-once.litmus").answer, .sometimes)
    }

    func testRefcountReleaseThenListAddKeepsTheOldUserFromSeeingTheNewOwner() throws {
        XCTAssertEqual(try outcome("refcount-release-then-list-add.litmus").answer, .never)
        XCTAssertEqual(try outcome("refcount-release-acquire-then-list-add.litmus").answer, .never)
    }

    func testRefcountPatternWithRelaxedDecrementsLetsTheOldUserSeeTheNewOwner() throws {
        let text = try String(contentsOf: Self.litmusDirectory.appendingPathComponent("refcount-release-acquire-then-list-add.litmus"),
                              encoding: .utf8)
            .replacingOccurrences(of: "atomic_fetch_sub_release", with: "atomic_fetch_sub_relaxed")
        XCTAssertEqual(try LitmusChecker().check(source: text).answer, .sometimes, "the release ordering is what forbids it")
    }
}
