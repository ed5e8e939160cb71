@testable import Checking
import Fixtures
import TransitionSystems
import XCTest

/// k-inductive certificates: the base case covers the first k - 1 steps, the step case k states.
final class KInductiveCertificateTests: XCTestCase {
    func testAnInductiveInvariantIsAlsoTwoInductiveAndItsDepthRoundTrips() throws {
        let system = try TransitionSystem(Fixtures.named("mutex-peterson")!.spec)
        let synthesis = LemmaSynthesis(encoding: TransitionEncoding(system: system), options: .init(), timeout: nil, cancellation: nil)
        let found = try XCTUnwrap(synthesis.run(properties: [0]).invariant)
        XCTAssertEqual(found.properties, ["mutual-exclusion"], "with the lemmas over both program counters, 1-inductive")
        var certificate = ProofCertificate(found, variant: nil, configuration: [:], report: nil)
        XCTAssertNil(certificate.k)
        certificate.k = 2
        let decoded = try ProofCertificate.decode(certificate.encoded())
        XCTAssertEqual(decoded.k, 2)
        let twoInductive = try decoded.invariant(in: system)
        XCTAssertEqual(twoInductive.k, 2)
        guard case .valid = try CertificateChecker(system: system).check(twoInductive) else { return XCTFail("1-inductive implies 2-inductive") }
    }

    func testTheBaseCaseOfAKInductiveCertificateCoversTheFirstSteps() throws {
        // "Nobody is critical" holds initially but not after 3 steps: a 4-inductive claim of it must fail its base case.
        let system = try TransitionSystem(Fixtures.named("mutex-peterson")!.spec)
        let pc = try XCTUnwrap(system.layout.slots.firstIndex { $0.name == "proc_pc[p0]" })
        let critical = UInt8(try XCTUnwrap(system.layout.slots[pc].domain.valueNames.firstIndex(of: "critical")))
        let values = (0..<system.layout.slots[pc].domain.size).map(UInt8.init).filter { $0 != critical }
        let claim = InductiveInvariant(system: system, conjuncts: [InductiveInvariant.lemma(.within(slot: pc, values: values), name: "L1", system.layout)], k: 4)
        guard case .rejected(let failures) = try CertificateChecker(system: system).check(claim) else { return XCTFail("p0 reaches critical in 3 steps") }
        XCTAssertEqual(failures.first?.phase, .initiation, failures.map(\.line).joined(separator: "\n"))
        XCTAssertTrue(failures.first?.state.contains("3 steps from an initial state") == true, failures.map(\.line).joined(separator: "\n"))
    }
}
