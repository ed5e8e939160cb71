import Vocabulary
import XCTest

final class VariantTests: XCTestCase {
    func testEveryVariantDerivesFromAnEarlierOneAndV4FromNone() {
        XCTAssertEqual(Variant.allCases.filter { $0.base == nil }, [.v4])
        for (index, variant) in Variant.allCases.enumerated() {
            guard let base = variant.base else { continue }
            XCTAssertLessThan(Variant.allCases.firstIndex(of: base)!, index, "\(variant) derives from a later variant")
        }
    }

    func testEveryDerivedVariantChangesSomeSwitch() {
        for variant in Variant.allCases where variant.base != nil {
            XCTAssertFalse(variant.differences.isEmpty, "\(variant) is its base under another name")
        }
    }

    func testTheSpecModelsEveryVariantsSwitches() {
        for variant in Variant.allCases {
            XCTAssertNil(variant.switches.unmodelledBySpec, "\(variant)")
        }
    }

    func testTheSpecRefusesASwitchItModelsOnlyTogetherWithAnother() {
        XCTAssertNotNil(Variant.v4.switches.with(.pollLock, true).unmodelledBySpec)
        XCTAssertNotNil(Variant.v4.switches.with(.rxLenBeforePollDone, false).unmodelledBySpec)
    }

    func testOnlyFixedAndUpstreamMetTheCurrentCore() {
        XCTAssertEqual(Variant.allCases.filter { $0.coresMet.contains(.current) }, [.upstream, .fixed])
        XCTAssertEqual(Variant.v4.pairingNote(for: .current),
                       "note: v4 was posted against the 2022 core; this run pairs it with the current core")
        XCTAssertNil(Variant.v4.pairingNote(for: .y2022))
    }

    func testAnUnknownNameIsAnErrorThatListsTheKnownOnes() {
        XCTAssertThrowsError(try Variant.named("v5")) { error in
            XCTAssertEqual("\(error)", "unknown variant 'v5'; known variants: v4, v4-proposal, upstream, fixed")
        }
        XCTAssertThrowsError(try CoreVersion.named("2030"))
        XCTAssertEqual(try Property.named("no-lost-wakeup"), .noLostWakeup)
    }
}
