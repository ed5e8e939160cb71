import Foundation
@testable import SCMICheckCLI
import XCTest

/// `scmi-check check --mine-lemmas --certificate` and `scmi-check certify`: exit 0 for a valid
/// certificate, 1 naming the lemma that fails, 2 for a malformed file.
final class CertifyCommandTests: XCTestCase {
    private func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
        let captured = CapturedConsole()
        let status = SCMICheck.run(arguments, console: captured.console)
        return (status, captured.out, captured.err)
    }

    /// The values of the buffer pool's counters.
    private static let ranges = ["refs": ["0", "1", "2"], "in_pool": ["0", "1", "2"]]

    private func temporaryFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("certify-\(ProcessInfo.processInfo.processIdentifier)-\(name)").path
    }

    func testAProofWritesACertificateThatCertifyAccepts() throws {
        let file = temporaryFile("pool.json")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let check = run(["check", "--spec", "buffer-pool", "--engine", "kind", "--mine-lemmas", "--certificate", file, "--quiet"])
        XCTAssertEqual(check.status, 0, check.err)
        XCTAssertTrue(check.out.contains("inductive invariant of buffer-pool"), check.out)
        XCTAssertTrue(check.out.contains("refcount-matches-holders: refs =="), check.out)
        let certify = run(["certify", file])
        XCTAssertEqual(certify.status, 0, certify.out + certify.err)
        XCTAssertTrue(certify.out.contains("certificate valid"), certify.out)
        XCTAssertTrue(certify.out.contains("memory model: sc"), "a certificate says which memory model it is about: \(certify.out)")
    }

    func testCertifyRejectsAWeakenedLemmaWithExitOneNamingIt() throws {
        let file = temporaryFile("weakened.json")
        defer { try? FileManager.default.removeItem(atPath: file) }
        XCTAssertEqual(run(["check", "--spec", "buffer-pool", "--engine", "kind", "--mine-lemmas", "--certificate", file, "--quiet"]).status, 0)
        let original = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        let lemmas = try XCTUnwrap(original["lemmas"] as? [[String: Any]])
        XCTAssertFalse(lemmas.isEmpty)
        // Widen each lemma in turn to say nothing about its slot; the certificate keeps only the
        // lemmas its proof uses, so widening some of them must break it.
        var rejected = 0
        for position in lemmas.indices {
            var json = original, changed = lemmas
            var then = try XCTUnwrap(changed[position]["then"] as? [String: Any])
            let name = try XCTUnwrap(changed[position]["name"] as? String)
            let slot = try XCTUnwrap(then["slot"] as? String)
            then["in"] = slot.hasPrefix("holds") ? ["false", "true"] : slot.hasPrefix("user_pc") ? ["idle", "using", "test", "done"] : Self.ranges[slot]
            changed[position]["then"] = then
            json["lemmas"] = changed
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: file))
            let certify = run(["certify", file])
            guard certify.status == 1 else {
                XCTAssertEqual(certify.status, 0, certify.out + certify.err)
                continue
            }
            rejected += 1
            XCTAssertTrue(certify.out.contains("certificate rejected"), certify.out)
            XCTAssertTrue(certify.out.contains("is not kept by"), certify.out)
            XCTAssertTrue(certify.out.contains("  \(name) (") || certify.out.contains("  L") || certify.out.contains("  every-step-defined") || certify.out.contains("  no-") || certify.out.contains("  refcount"),
                          "names the conjunct that fails: \(certify.out)")
        }
        XCTAssertGreaterThan(rejected, 0, "widening some lemma of the certificate must be rejected")
    }

    func testCertifyRefusesAMalformedFileWithExitTwo() throws {
        let file = temporaryFile("malformed.json")
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Data("{\"format\": \"scmi-check inductive invariant\", \"version\": 1}".utf8).write(to: URL(fileURLWithPath: file))
        let certify = run(["certify", file])
        XCTAssertEqual(certify.status, 2, certify.out + certify.err)
        XCTAssertTrue(certify.err.contains("malformed certificate: missing field"), certify.err)
        let missing = run(["certify", temporaryFile("does-not-exist.json")])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.err.contains("cannot read"), missing.err)
    }

    func testMineLemmasNeedsKInduction() {
        let result = run(["check", "--spec", "buffer-pool", "--engine", "bmc", "--mine-lemmas"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("--mine-lemmas needs --engine kind"), result.err)
    }
}
