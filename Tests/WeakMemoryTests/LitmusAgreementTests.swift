import Foundation
import MemoryModel
import WeakMemory
import XCTest

/// The operational `lkmm-nolb` model against the axiomatic LKMM on the kernel's litmus suite (read
/// from the shared third-party folder at test time) and the project's own litmus tests.
final class LitmusAgreementTests: XCTestCase {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var suiteDirectory: URL {
        root.deletingLastPathComponent().appendingPathComponent("shared/third_party/lkmm-litmus-tests")
    }

    private var refused: [String] = []

    private func compare(_ directory: URL) throws -> [LitmusComparison] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            throw XCTSkip("no litmus tests at \(directory.path); agreement not checked")
        }
        var results: [LitmusComparison] = []
        for name in names.filter({ $0.hasSuffix(".litmus") }).sorted() {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            guard let test = try? LitmusParser.parse(text), (try? LitmusChecker().check(test)) != nil else { continue }
            let comparison: LitmusComparison
            do { comparison = try LitmusComparison.compare(test) } catch let error as WeakMemoryError where error.message.contains("not modelled") {
                refused.append(name)
                continue
            }
            XCTAssertTrue(comparison.spurious.isEmpty, "\(name): lkmm-nolb reaches outcomes LKMM forbids: \(comparison.spurious)")
            XCTAssertTrue(comparison.missing.isEmpty, "\(name): lkmm-nolb misses outcomes without load buffering: \(comparison.missing)")
            XCTAssertEqual(comparison.engineVerdict == .violated, comparison.operational != "Never", name)
            results.append(comparison)
        }
        return results
    }

    func testEveryInScopeKernelLitmusTestHasExactlyTheLKMMOutcomesWithoutLoadBuffering() throws {
        let results = try compare(Self.suiteDirectory)
        XCTAssertEqual(results.count, 32)
        XCTAssertEqual(refused, [])
        XCTAssertEqual(results.filter { !$0.loadBuffering.isEmpty }.map(\.name).sorted(),
                       ["LB+poonceonces"], "the only outcomes omitted are load buffering")
        let disagreeing = results.filter { $0.operational != $0.lkmm }.map(\.name).sorted()
        XCTAssertEqual(disagreeing, ["LB+poonceonces"], "only load buffering separates the answers")
    }

    func testTheProjectsLitmusTestsHaveExactlyTheLKMMOutcomes() throws {
        let results = try compare(Self.root.appendingPathComponent("Spec/Litmus"))
        XCTAssertEqual(results.count, 4)
        XCTAssertEqual(refused, ["refcount-release-acquire-then-list-add.litmus", "refcount-release-then-list-add.litmus"],
                       "atomic RMWs are not translated")
        for r in results { XCTAssertEqual(r.operational, r.lkmm, r.name) }
    }
}
