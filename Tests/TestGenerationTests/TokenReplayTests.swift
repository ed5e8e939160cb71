import Checking
import TestGeneration
import Traces
import TransitionSystems
import TransportSpec
import VirtioSCMI
import Vocabulary
import XCTest

/// Traces recorded with `--tokens N` replay against the implementation's core with the same token
/// space (`SCMICore.tokenSpace`), with who holds each token compared after every step.
final class TokenReplayTests: XCTestCase {
    /// The shortest `exactly-once-delivery` violation of `variant` at 1 x 1 with `tokens` tokens, as a trace.
    private func lateReplyTrace(_ variant: Variant, tokens: Int) throws -> Trace {
        let configuration = TransportConfiguration(cpus: 1, buffers: 1, variant: variant, tokens: tokens)
        let system = try TransitionSystem(TransportSpec.make(configuration))
        let result = try ExplicitStateChecker(system: system).check([Property.exactlyOnceDelivery.rawValue])[0]
        XCTAssertEqual(result.verdict, .violated)
        return try XCTUnwrap(result.trace(in: system, variant: variant.rawValue, configuration: configuration.labels))
    }

    func testALateReplyReachesTheNewerTransferWithItsTokenInTheImplementationToo() throws {
        for variant in [Variant.upstream, .fixed] {
            let trace = try lateReplyTrace(variant, tokens: 2)
            let outcome = try replay(trace: trace, variant: variant)
            guard case .followed(let record) = outcome else { return XCTFail("\(variant): \(outcome)") }
            XCTAssertEqual(record.firstViolation(of: "exactly-once-delivery"), trace.depth, "\(variant): \(outcome)")
        }
    }

    func testAReplayWhoseTokensDisagreeWithTheTraceDiverges() throws {
        var trace = try lateReplyTrace(.fixed, tokens: 2)
        // Claim that the first transfer took t1, where the implementation, as the spec, gives t0.
        let start = try XCTUnwrap(trace.steps.firstIndex { $0.action == "start" })
        for i in start..<trace.steps.count where trace.steps[i].values["last_token"] == .string("t0") {
            trace.steps[i].values["last_token"] = .string("t1")
        }
        let outcome = try replay(trace: trace, variant: .fixed)
        guard case .diverged(.stateMismatch(_, _, let differences), _) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(differences.map(\.variable), ["last_token"], "\(outcome)")
    }
}
