import XCTest
@testable import VirtioSCMI

final class VariantTests: XCTestCase {
    private func differences(_ a: ChannelBehaviour, _ b: ChannelBehaviour) -> Set<String> {
        let left = Mirror(reflecting: a).children
        let right = Dictionary(uniqueKeysWithValues: Mirror(reflecting: b).children.map { ($0.label!, "\($0.value)") })
        return Set(left.filter { right[$0.label!] != "\($0.value)" }.map { $0.label! })
    }

    func testV4ProposalIsV4PlusPollLockPollTimeoutAndFreeingPollDoneBuffers() {
        XCTAssertEqual(differences(.for(.v4), .for(.v4Proposal)), ["pollLock", "marksOwnBufferPollDone", "pollTimeoutState", "freesPollDoneBufferOnTimeout"])
    }

    func testUpstreamIsV4ProposalPlusRefcountsAndTheMergedOrdering() {
        XCTAssertEqual(differences(.for(.v4Proposal), .for(.upstream)), ["messageRefcount", "rxLenBeforePollDone", "coreClearsPrivAfterDelivery"])
    }

    func testFixedIsUpstreamPlusThreeCandidateFixes() {
        XCTAssertEqual(differences(.for(.upstream), .for(.fixed)), ["rxLenBeforePollDone", "secondReleaseOnlyWhenPollDone", "decidesBeforeReleasing"])
    }

    func testVariantAndCoreNamesAreTheProjectsNames() {
        XCTAssertEqual(Variant.allCases.map(\.rawValue), ["v4", "v4-proposal", "upstream", "fixed"])
        XCTAssertEqual(CoreVersion.allCases.map(\.rawValue), ["current", "2022"])
        XCTAssertEqual(Property.allCases.map(\.rawValue), ["conservation", "no-double-free", "no-use-after-release", "exactly-once-delivery", "no-leak-at-quiescence", "shutdown-safety"])
    }

    func testCoreVersionsDecideTimeoutsDifferently() {
        XCTAssertEqual(CoreBehaviour.for(.current).timeoutCheck, .finalPoll)
        XCTAssertEqual(CoreBehaviour.for(.y2022).timeoutCheck, .deadlineHasPassed)
        XCTAssertTrue(CoreBehaviour.for(.current).finalPollAfterPollSuccess)
    }
}
