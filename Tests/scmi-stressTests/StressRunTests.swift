import XCTest
import VirtioSCMI
import Vocabulary
@testable import scmi_stress

/// Short real-thread runs (about half a second each, stopping early at the violation
/// sought). They check what a run does and reports, never how fast it goes.
final class StressRunTests: XCTestCase {
    private func stress(_ arguments: [String]) throws -> StressRun {
        let run = StressRun(options: try StressOptions.parse(arguments))
        _ = run.run()
        return run
    }

    private func properties(_ run: StressRun) -> Set<Property> {
        Set(run.recorder.violations.map(\.property))
    }

    func testFixedStaysCleanWhenEveryRoundEndsWithChanFreeAndAddSgsFails() throws {
        let run = try stress(["--variant", "fixed", "--shutdown", "--round-ms", "20", "--inject-add-sgs-failures", "5",
                              "--seconds", "0.5", "--check-interval-ms", "50"])
        XCTAssertTrue(run.isClean, "\(run.recorder.violations.prefix(3)) \(run.failuresSeen)")
        XCTAssertGreaterThan(run.summary.rounds, 3)
        XCTAssertEqual(run.summary.chanFrees, run.summary.rounds, "every round's chan_free returned")
        XCTAssertGreaterThan(run.summary.inFlightAtChanFree, 0, "chan_free raced transfers in flight")
        XCTAssertGreaterThan(run.summary.quiescenceChecks, 0, "leaks were looked for before chan_free")
        XCTAssertGreaterThan(try XCTUnwrap(run.injection).tally.failures, 0)
    }

    func testInjectedAddFailuresUnwindCleanlyOnFixed() throws {
        let run = try stress(["--variant", "fixed", "--mode", "mixed", "--inject-add-sgs-failures", "20", "--seconds", "0.5", "--check-interval-ms", "100"])
        XCTAssertTrue(run.isClean, "\(run.recorder.violations.prefix(3)) \(run.failuresSeen)")
        let injected = try XCTUnwrap(run.injection).tally
        XCTAssertGreaterThan(injected.noSpace, 0)
        XCTAssertGreaterThan(injected.ioError, 0)
        XCTAssertEqual(run.summary.tally.noSpace, injected.noSpace, "every injected -ENOSPC reached do_xfer's caller")
        XCTAssertEqual(run.summary.tally.ioError, injected.ioError, "without shutdown, every -EIO was injected")
        XCTAssertGreaterThan(run.summary.quiescenceChecks, 0, "leaks were looked for")
    }

    func testAShutdownStressFindsAPolledTransferFetchingAReplyThatNeverCameWhenPollDoneSaysDoneAfterTeardown() throws {
        let run = try stress(["--variant", "fixed", "--without", "pollDoneNotYetAfterTeardown", "--shutdown", "--round-ms", "20",
                              "--seconds", "3", "--until", "exactly-once-delivery"])
        let violation = try XCTUnwrap(run.recorder.violations.first { $0.property == .exactlyOnceDelivery })
        XCTAssertTrue(violation.message.contains("fetch_response"), violation.message)
        XCTAssertTrue(violation.message.contains("stale rx_len"), "the buffer still holds its previous life's reply: \(violation.message)")
    }

    func testAShutdownRunEndsOnceEverySenderHasSentItsTransfers() throws {
        let run = try stress(["--variant", "fixed", "--shutdown", "--transfers", "300", "--seconds", "20", "--keep-going"])
        XCTAssertEqual(run.summary.tally.sent, 600)
        XCTAssertLessThan(run.summary.elapsed, .seconds(10), "no rounds without traffic until the time limit")
        XCTAssertEqual(run.summary.chanFrees, run.summary.rounds, "the last round ends with chan_free too")
    }
}
