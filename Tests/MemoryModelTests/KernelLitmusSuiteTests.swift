import Foundation
import MemoryModel
import XCTest

/// The kernel's own litmus tests (tools/memory-model/litmus-tests), read from the shared third-party
/// folder at test time: every answer must equal the file's `Result:` line.
final class KernelLitmusSuiteTests: XCTestCase {
    /// The tests the checker refuses, and why: RCU and lock.cat's `spin_is_locked` are not modelled.
    static let unsupported: Set<String> = [
        "MP+onceassign+derefonce.litmus",
        "MP+polockmbonce+poacquiresilsil.litmus",
        "MP+polockonce+poacquiresilsil.litmus",
    ]

    /// `<root>/shared/third_party/lkmm-litmus-tests`, where the repository is `<root>/main`.
    static var suiteDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("shared/third_party/lkmm-litmus-tests")
    }

    private func suiteFiles() throws -> [URL] {
        let directory = Self.suiteDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            throw XCTSkip("the shared LKMM litmus suite is not at \(directory.path); conformance not checked")
        }
        return names.filter { $0.hasSuffix(".litmus") }.sorted().map { directory.appendingPathComponent($0) }
    }

    func testEverySupportedKernelLitmusTestAgreesWithItsResultLine() throws {
        let files = try suiteFiles()
        XCTAssertEqual(files.count, 35, "the suite's PROVENANCE.md lists 35 tests")
        var agreed: [String] = []
        var refused: Set<String> = []
        for file in files {
            let name = file.lastPathComponent
            let text = try String(contentsOf: file, encoding: .utf8)
            do {
                let outcome = try LitmusChecker().check(source: text)
                XCTAssertNotNil(outcome.test.expected, "\(name) has a Result: line")
                XCTAssertEqual(outcome.answer.rawValue, outcome.test.expected, "\(name): \(outcome.allowedExecutions) allowed")
                if outcome.agreesWithExpected == true { agreed.append(name) }
            } catch let error as LitmusError {
                XCTAssertEqual(error.kind, .unsupported, "\(name): \(error)")
                refused.insert(name)
            }
        }
        XCTAssertEqual(refused, Self.unsupported)
        XCTAssertEqual(agreed.count, 32)
    }
}
