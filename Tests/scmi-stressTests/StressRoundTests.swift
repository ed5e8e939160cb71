import XCTest
@testable import VirtioSCMI
import Vocabulary
@testable import scmi_stress

/// One channel lifetime on real threads, with a path that keeps a channel reference it
/// should have dropped (taken by the test itself): what the round's checks make of it.
final class StressRoundTests: XCTestCase {
    /// A run and its first round; the caller keeps the run alive (the round holds it unowned).
    private func round(_ arguments: [String] = []) throws -> (StressRun, StressRound) {
        let run = StressRun(options: try StressOptions.parse(["--variant", "fixed"] + arguments))
        return (run, StressRound(number: 1, run: run))
    }

    func testAQuiescenceCheckFailsTheRunWhenAPathKeptItsChannelReference() throws {
        let (run, round) = try round()
        round.start()
        XCTAssertTrue(round.channel.channelAcquire(.sendMessage))
        round.checkAtQuiescence()
        round.stop()
        XCTAssertEqual(run.failuresSeen.count, 1)
        XCTAssertTrue(run.failuresSeen.first?.contains("the channel refcount is 2 at quiescence") == true, "\(run.failuresSeen)")
        XCTAssertFalse(run.isClean)
    }

    func testAQuiescenceCheckOfAnUntouchedChannelFindsNothing() throws {
        let (run, round) = try round()
        round.start()
        round.checkAtQuiescence()
        round.stop()
        XCTAssertEqual(round.quiescenceChecks, 1)
        XCTAssertTrue(run.isClean, "\(run.recorder.violations.prefix(3)) \(run.failuresSeen)")
    }

    func testChanFreeReturnsOnceTheLastUserIsGone() throws {
        let (run, round) = try round(["--shutdown"])
        round.start()
        let freed = round.chanFree(within: .seconds(5))
        round.stop()
        XCTAssertNotNil(freed.duration)
        XCTAssertEqual(round.channel.channelUsers, 0)
        XCTAssertTrue(round.channel.ledger.isChannelTornDown)
        XCTAssertTrue(run.isClean, "\(run.recorder.violations.prefix(3)) \(run.failuresSeen)")
    }

    func testAChanFreeWaitingForAReferenceNoOneDropsIsGivenUpAndReleased() throws {
        let (run, round) = try round(["--shutdown"])
        round.start()
        XCTAssertTrue(round.channel.channelAcquire(.sendMessage))
        let freed = round.chanFree(within: .milliseconds(100))
        round.stop()
        XCTAssertNil(freed.duration, "chan_free cannot return while a reference is kept")
        XCTAssertGreaterThanOrEqual(freed.usersLeft, 1)
        XCTAssertEqual(round.channel.channelUsers, 1, "once every path has ended, only the kept reference is left")
        XCTAssertEqual(run.recorder.violations.filter { $0.property == .shutdownSafety }, [])
    }
}
