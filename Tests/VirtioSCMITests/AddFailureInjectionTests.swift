import XCTest
import Scheduling
@testable import VirtioSCMI
import Vocabulary

final class AddFailureInjectionTests: XCTestCase {
    private func draws(_ injection: AddFailureInjection, _ count: Int) -> [Int32?] {
        (0..<count).map { _ in injection.nextError() }
    }

    func testNoCallFailsAtZeroPercentAndEveryCallFailsAtAHundred() {
        XCTAssertEqual(draws(AddFailureInjection(percent: 0, seed: 1), 200).compactMap { $0 }, [])
        XCTAssertEqual(draws(AddFailureInjection(percent: 100, seed: 1), 200).compactMap { $0 }.count, 200)
    }

    func testInjectedFailuresAlternateNoSpaceAndIOErrorStartingWithNoSpace() {
        let injection = AddFailureInjection(percent: 100, seed: 7)
        XCTAssertEqual(draws(injection, 4), [-Errno.ENOSPC, -Errno.EIO, -Errno.ENOSPC, -Errno.EIO])
        XCTAssertEqual(injection.tally, .init(calls: 4, noSpace: 2, ioError: 2))
    }

    func testAboutThePercentageOfCallsFailAndTheSameSeedFailsTheSameCalls() {
        let first = draws(AddFailureInjection(percent: 10, seed: 3), 10_000)
        XCTAssertEqual(first, draws(AddFailureInjection(percent: 10, seed: 3), 10_000))
        XCTAssertNotEqual(first, draws(AddFailureInjection(percent: 10, seed: 4), 10_000))
        XCTAssertEqual(Double(first.compactMap { $0 }.count), 1_000, accuracy: 150)
    }

    func testTheVirtqueueReturnsTheInjectedErrorAndKeepsNothing() {
        let bench = Bench(.upstream)
        bench.vqueue.injectedAddFailures = AddFailureInjection(percent: 100, seed: 1)
        XCTAssertEqual(bench.channel.sendMessage(bench.transfer(polled: true)), -Errno.ENOSPC)
        XCTAssertEqual(bench.channel.sendMessage(bench.transfer(polled: false)), -Errno.EIO)
        XCTAssertEqual(bench.vqueue.heldRequests.count, 0)
        XCTAssertFalse(bench.vqueue.isBroken, "an injected -EIO does not break the device")
    }

    func testABrokenDeviceFailsBeforeTheInjectionDraws() {
        let bench = Bench(.upstream)
        let injection = AddFailureInjection(percent: 100, seed: 1)
        bench.vqueue.injectedAddFailures = injection
        bench.vqueue.breakDevice("break")
        XCTAssertEqual(bench.channel.sendMessage(bench.transfer(polled: true)), -Errno.EIO)
        XCTAssertEqual(injection.tally.calls, 0)
    }
}
