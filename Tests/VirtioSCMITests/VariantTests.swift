import XCTest
@testable import VirtioSCMI
import Vocabulary

final class VariantTests: XCTestCase {
    /// The switches `variant` changes from its base, by name.
    private func differences(_ variant: Variant) -> Set<String> {
        Set(variant.differences.map(\.rawValue))
    }

    func testV4ProposalIsV4PlusPollLockPollTimeoutAndFreeingPollDoneBuffers() {
        XCTAssertEqual(Variant.v4Proposal.base, .v4)
        XCTAssertEqual(differences(.v4Proposal), ["pollLock", "marksOwnBufferPollDone", "pollTimeoutState", "freesPollDoneBufferOnTimeout"])
    }

    func testUpstreamIsV4ProposalPlusRefcountsAndTheMergedOrdering() {
        XCTAssertEqual(Variant.upstream.base, .v4Proposal)
        XCTAssertEqual(differences(.upstream), ["messageRefcount", "rxLenBeforePollDone", "workerDeliversOnlyNotPolled", "coreClearsPrivAfterDelivery"])
    }

    func testFixedIsUpstreamPlusFourCandidateFixesAndTwoOrderings() {
        XCTAssertEqual(Variant.fixed.base, .upstream)
        XCTAssertEqual(differences(.fixed), ["rxLenBeforePollDone", "secondReleaseOnlyWhenPollDone", "decidesBeforeReleasing",
                                             "releaseOnPollDoneMark", "acquireOnPollDoneCheck", "pollDoneNotYetAfterTeardown"])
    }

    func testVariantAndCoreNamesAreTheProjectsNames() {
        XCTAssertEqual(Variant.allCases.map(\.rawValue), ["v4", "v4-proposal", "upstream", "fixed"])
        XCTAssertEqual(CoreVersion.allCases.map(\.rawValue), ["current", "2022", "described"])
        XCTAssertEqual(Property.allCases.map(\.rawValue), ["conservation", "no-double-free", "no-use-after-release", "exactly-once-delivery", "no-leak-at-quiescence", "no-lost-wakeup", "shutdown-safety"])
    }

    func testCoreVersionsDecideTimeoutsDifferently() {
        XCTAssertFalse(CoreVersion.current.decidesByDeadline)
        XCTAssertTrue(CoreVersion.y2022.decidesByDeadline)
        XCTAssertFalse(CoreVersion.described.decidesByDeadline)
        XCTAssertTrue(CoreVersion.current.finalPollAfterPollSuccess)
        XCTAssertFalse(CoreVersion.described.finalPollAfterPollSuccess)
    }

    func testTheConfigurationTakesTheVariantsSwitchesUnlessChanged() {
        for variant in Variant.allCases {
            XCTAssertEqual(SimulationConfiguration(variant: variant).switches, variant.switches, "\(variant)")
        }
    }
}
