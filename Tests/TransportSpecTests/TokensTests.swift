import Checking
import TransitionSystems
import TransportSpec
import Vocabulary
import XCTest

/// With `--tokens N`, transfers take their tokens from a space of N, a released transfer's token
/// is free again although its reply may still come, and a reply reaches whichever pending
/// transfer holds its token.
final class TokensTests: XCTestCase {
    private func configuration(_ variant: Variant, tokens: Int?) -> TransportConfiguration {
        TransportConfiguration(cpus: 1, buffers: 1, variant: variant, tokens: tokens)
    }

    private func exactlyOnce(_ variant: Variant, tokens: Int?) throws -> CheckResult {
        let system = try TransitionSystem(TransportSpec.make(configuration(variant, tokens: tokens)))
        return try ExplicitStateChecker(system: system, options: CheckOptions()).check([Property.exactlyOnceDelivery.rawValue])[0]
    }

    func testALateReplyReachesTheNewerTransferThatReusedItsTokenOnEveryVariant() throws {
        for variant in Variant.allCases {
            let result = try exactlyOnce(variant, tokens: 1)
            XCTAssertEqual(result.verdict, .violated, "\(variant)")
            let steps = result.counterexample?.instances.map { "\($0.actor) \($0.action)" } ?? []
            // The request's transfer is released before the reply is delivered, by token, to a newer one.
            let put = try XCTUnwrap(steps.firstIndex(of: "sender[cpu0] xfer_put"), "\(variant): \(steps)")
            XCTAssertTrue(steps[put...].contains("sender[cpu0] start"), "\(variant): \(steps)")
            XCTAssertTrue(steps.last?.hasSuffix("fetch_response") ?? false, "\(variant): \(steps)")
            XCTAssertTrue(steps.contains { $0.hasSuffix("acquire_xfer") }, "delivered through the token lookup: \(steps)")
        }
    }

    func testWithUniqueTokensNoLateReplyMeetsANewerTransfer() throws {
        XCTAssertEqual(try exactlyOnce(.fixed, tokens: nil).verdict, .proved)
    }

    func testEachTokenMoreCostsOneMoreTransferBeforeTheReuse() throws {
        // Monotonic allocation: the token comes back only after every other one was given out.
        let depths = try (1...3).map { try XCTUnwrap(exactlyOnce(.fixed, tokens: $0).counterexample).instances.count }
        XCTAssertEqual(depths, [14, 17, 20], "a refused transfer (start, get_free_msg, xfer_put) per extra token")
    }

    func testATokenIsTheFirstFreeOnePastTheLastGiven() throws {
        // The first states breadth-first: enough for a start to find the next token held and skip it.
        let spec = TransportSpec.make(TransportConfiguration(cpus: 2, buffers: 1, variant: .fixed, tokens: 3))
        let graph = try ReachableStates(spec, upTo: 3_000)
        var starts = 0, skips = 0
        let interpreter = Interpreter(graph.system)
        for state in graph.states {
            for (id, next) in try interpreter.successors(of: state) where graph.system.instances[id].action == "start" {
                let c = graph.system.instances[id].actor.dropFirst("sender[".count).dropLast()
                let last = Int(graph.value("last_token", in: state).dropFirst())!
                let free = (1...3).map { (last + $0) % 3 }.first { graph.value("token_owner[t\($0)]", in: state) == "none" }!
                if free != (last + 1) % 3 { skips += 1 }
                XCTAssertEqual(graph.value("xfer_token[\(c)]", in: next), "t\(free)")
                XCTAssertEqual(graph.value("token_owner[t\(free)]", in: next), String(c))
                XCTAssertEqual(graph.value("last_token", in: next), "t\(free)")
                starts += 1
            }
        }
        XCTAssertGreaterThan(starts, 0)
        XCTAssertGreaterThan(skips, 0, "no start found the token past the last one held")
    }

    func testATokenSpaceSmallerThanTheCPUsIsBadInputAndUniqueIsTheDefault() throws {
        XCTAssertThrowsError(try TransportSpec.family.instances(variant: "fixed", settings: ["tokens": "1"])) { error in
            XCTAssertTrue("\(error)".contains("--tokens 1"), "\(error)")
        }
        let unique = try TransportSpec.family.instances(variant: "fixed", settings: ["tokens": "unique"])[0]
        XCTAssertNil(unique.configuration["tokens"])
        XCTAssertFalse(unique.spec.variables.contains { $0.name == "token_owner" })
        let three = try TransportSpec.family.instances(variant: "fixed", settings: ["tokens": "3"])[0]
        XCTAssertEqual(three.configuration["tokens"], "3")
    }
}
