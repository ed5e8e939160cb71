import Checking
import Fixtures
import Foundation
import Traces
import TransitionSystems
import XCTest

final class TraceITFTests: XCTestCase {
    private func counterexample(_ fixture: String, _ invariant: String) throws -> (Trace, TransitionSystem) {
        let system = try TransitionSystem(try XCTUnwrap(Fixtures.named(fixture)).spec)
        let result = try ExplicitStateChecker(system: system).check([invariant])[0]
        return (try XCTUnwrap(result.trace(in: system, variant: "v", configuration: ["cpus": "2"])), system)
    }

    func testTraceRoundTripsThroughITFText() throws {
        let (trace, _) = try counterexample("buffer-pool-double-release", "no-double-free")
        let text = trace.itfText()
        let read = try Trace(itf: Data(text.utf8))
        XCTAssertEqual(read, trace)
        XCTAssertEqual(read.itfText(), text, "writing is deterministic")
    }

    func testITFCarriesStepLabelsAndTraceMeta() throws {
        let (trace, _) = try counterexample("ring-buffer-overflow", "no-overwrite")
        let document = trace.itf()
        XCTAssertEqual(document["#meta"]?["spec"], .string("ring-buffer-overflow"))
        XCTAssertEqual(document["#meta"]?["invariant"], .string("no-overwrite"))
        XCTAssertEqual(document["#meta"]?["variant"], .string("v"))
        XCTAssertEqual(document["#meta"]?["configuration"]?["cpus"], .string("2"))
        guard case .array(let states)? = document["states"] else { return XCTFail("no states") }
        XCTAssertEqual(states.count, 4)
        XCTAssertEqual(states[1]["#meta"]?["actor"], .string("producer"))
        XCTAssertEqual(states[1]["#meta"]?["action"], .string("produce"))
        XCTAssertEqual(states[1]["count"], .object(["#bigint": .string("1")]))
        XCTAssertEqual(states[1]["slot"], .object(["#map": .array([
            .array([.object(["#bigint": .string("0")]), .string("FULL")]),
            .array([.object(["#bigint": .string("1")]), .string("EMPTY")]),
        ])]))
    }

    func testTraceStatesConvertBackToTheSystemsStates() throws {
        let (trace, system) = try counterexample("mutex-naive", "mutual-exclusion")
        let replay = try trace.replay(in: system)
        XCTAssertNil(replay.divergence)
        XCTAssertEqual(replay.states, try trace.states(in: system))
        XCTAssertEqual(replay.brokenInvariants.last, ["mutual-exclusion"])
    }

    func testMalformedDocumentsAreRejectedWithTheReason() {
        let cases: [(String, String)] = [
            ("[1, 2]", "not a JSON object"),
            ("{\"vars\": [\"x\"]}", "'states' is missing"),
            ("{\"vars\": [\"x\"], \"states\": []}", "'states' is empty"),
            ("{\"vars\": [\"x\"], \"states\": [{}]}", "no value for variable 'x'"),
            ("{\"vars\": [\"x\"], \"states\": [{\"x\": 1}, {\"x\": 2}]}", "must name the step's 'actor' and 'action'"),
            ("{\"vars\": [\"x\"], \"states\": [{\"x\": {\"#bigint\": \"one\"}}]}", "'#bigint' must hold"),
            ("{\"vars\": ", "not valid JSON"),
        ]
        for (text, reason) in cases {
            XCTAssertThrowsError(try Trace(itf: Data(text.utf8)), text) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(text): \(error)")
            }
        }
    }

    func testTraceWithAValueOutsideItsDomainDoesNotFitTheSpec() throws {
        let (trace, system) = try counterexample("mutex-naive", "mutual-exclusion")
        var edited = trace
        edited.steps[2].values["proc_pc"] = .map([.init(key: .string("p0"), value: .string("flying")),
                                                  .init(key: .string("p1"), value: .string("idle"))])
        XCTAssertThrowsError(try edited.replay(in: system)) { error in
            XCTAssertTrue("\(error)".contains("flying"), "\(error)")
        }
    }

    func testEditedStateIsReportedAsADivergenceAtItsStep() throws {
        let (trace, system) = try counterexample("mutex-naive", "mutual-exclusion")
        var edited = trace
        edited.steps[3].values["locked"] = .bool(false)
        let replay = try edited.replay(in: system)
        guard case .stateMismatch(let step, _, _, let differences)? = replay.divergence else {
            return XCTFail("expected a mismatch, got \(String(describing: replay.divergence))")
        }
        XCTAssertEqual(step, 3)
        XCTAssertEqual(differences, ["locked = false, but the spec gives true"])
    }

    func testTextShowsOneLinePerStepWithWhatChanged() throws {
        let (trace, _) = try counterexample("mutex-naive", "mutual-exclusion")
        let lines = trace.text().split(separator: "\n")
        XCTAssertEqual(lines.count, 5)
        XCTAssertEqual(String(lines[3]), "  3  proc[p0]  set     locked: FALSE -> TRUE, proc_pc[p0]: set -> critical")
    }
}
