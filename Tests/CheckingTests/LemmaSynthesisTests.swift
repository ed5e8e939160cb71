@testable import Checking
import Fixtures
import Foundation
import TransitionSystems
import XCTest

/// Mined lemmas, Houdini and certificates: proofs on the fixtures, certificates that round-trip,
/// and certificates that are rejected when a lemma is weakened or dropped.
final class LemmaSynthesisTests: XCTestCase {
    private func system(_ name: String) throws -> TransitionSystem {
        try TransitionSystem(Fixtures.named(name)!.spec)
    }

    /// The invariant k-induction with mined lemmas finds for `system`, with the run's results.
    private func mine(_ system: TransitionSystem) throws -> (InductiveInvariant?, [CheckResult]) {
        let found = FoundInvariant()
        var options = CheckOptions(maxDepth: 12)
        options.lemmaSynthesis = LemmaSynthesis.Options(onInvariant: { invariant, _ in found.value = invariant })
        let results = try KInductionChecker(system: system, options: options).check(system.spec.properties.map(\.name))
        return (found.value, results)
    }

    func testMinedLemmasMakeTheBufferPoolsPropertiesOneInductive() throws {
        let system = try system("buffer-pool")
        XCTAssertEqual(try KInductionChecker(system: system, options: CheckOptions(maxDepth: 1)).check(["refcount-matches-holders"])[0].verdict,
                       .holdsUpToDepth, "not 1-inductive on its own")
        let (invariant, results) = try mine(system)
        let found = try XCTUnwrap(invariant)
        XCTAssertEqual(Set(found.properties), ["no-double-free", "refcount-matches-holders"])
        for result in results {
            XCTAssertEqual(result.verdict, .proved, result.detail)
            XCTAssertEqual(result.depth, 1)
        }
        XCTAssertTrue(found.text().contains("user_pc[u0]"), "rendered in the spec's names: \(found.text())")
        guard case .valid = try CertificateChecker(system: system).check(found) else { return XCTFail("the invariant found is not inductive") }
    }

    func testEveryMinedLemmaHoldsOnEveryReachableState() throws {
        for name in ["buffer-pool", "mutex-peterson", "ring-buffer"] {
            let system = try system(name)
            let (invariant, _) = try mine(system)
            let found = try XCTUnwrap(invariant, name)
            let sample = try ReachableStateSample(system: system)
            XCTAssertTrue(sample.isExhaustive, name)
            sample.forEachState { state in
                for lemma in found.lemmas {
                    guard case .lemma(let l) = lemma.kind else { continue }
                    XCTAssertTrue(l.holds(in: state, system.layout), "\(name): \(lemma.name) \(lemma.text(in: system))")
                }
            }
        }
    }

    func testACertificateRoundTripsThroughJSONAndIsValid() throws {
        let system = try system("buffer-pool")
        let found = try XCTUnwrap(mine(system).0)
        let certificate = ProofCertificate(found, variant: nil, configuration: [:], report: nil)
        let decoded = try ProofCertificate.decode(certificate.encoded())
        XCTAssertEqual(decoded, certificate)
        let reread = try decoded.invariant(in: system)
        XCTAssertEqual(reread.conjuncts.map(\.name), found.conjuncts.map(\.name))
        XCTAssertEqual(reread.term, found.term)
        guard case .valid = try CertificateChecker(system: system).check(reread) else { return XCTFail("the re-read certificate is rejected") }
    }

    func testACertificateWithOneLemmaWeakenedOrDroppedIsRejectedNamingTheLemmaThatFails() throws {
        let system = try system("buffer-pool")
        let certificate = ProofCertificate(try XCTUnwrap(mine(system).0), variant: nil, configuration: [:], report: nil)
        var rejectedWeakened = 0, rejectedDropped = 0
        for (position, lemma) in certificate.lemmas.enumerated() {
            guard let then = lemma.then else { continue }
            let domain = system.layout.slots.first { $0.name == then.slot }!.domain
            var weakened = certificate
            weakened.lemmas[position].then!.in = domain.valueNames
            var dropped = certificate
            dropped.lemmas.remove(at: position)
            for (variant, count) in [(weakened, 0), (dropped, 1)] {
                let verdict = try CertificateChecker(system: system).check(variant.invariant(in: system))
                guard case .rejected(let failures) = verdict else { continue }
                XCTAssertFalse(failures.isEmpty)
                let names = Set(variant.lemmas.map(\.name) + variant.properties.map(\.name) + [KInductionChecker.definedStepsName])
                for failure in failures {
                    XCTAssertTrue(names.contains(failure.name), "\(failure.name) is a conjunct of the certificate")
                    XCTAssertEqual(failure.phase, .consecution, failure.line)
                    XCTAssertNotNil(failure.step)
                }
                if count == 0 { rejectedWeakened += 1 } else { rejectedDropped += 1 }
            }
        }
        XCTAssertGreaterThan(rejectedWeakened, 0, "some lemma is needed: weakening it must break the certificate")
        XCTAssertGreaterThan(rejectedDropped, 0, "some lemma is needed: dropping it must break the certificate")
    }

    func testAWrongLemmaFailsInitiationOrConsecutionByName() throws {
        let system = try system("buffer-pool")
        var certificate = ProofCertificate(try XCTUnwrap(mine(system).0), variant: nil, configuration: [:], report: nil)
        // Claims refs is always 0: false initially? refs starts at 0, but the first acquire breaks it.
        certificate.lemmas.append(.init(name: "Lwrong", text: "refs = 0", if: nil, then: .init(slot: "refs", in: ["0"])))
        guard case .rejected(let failures) = try CertificateChecker(system: system).check(certificate.invariant(in: system)) else {
            return XCTFail("a false lemma must be rejected")
        }
        XCTAssertTrue(failures.contains { $0.name == "Lwrong" }, failures.map(\.line).joined(separator: "\n"))
    }

    func testMalformedCertificatesSayWhatIsWrong() throws {
        let system = try system("buffer-pool")
        XCTAssertThrowsError(try ProofCertificate.decode(Data("{".utf8))) { XCTAssertTrue("\($0)".contains("not valid JSON"), "\($0)") }
        XCTAssertThrowsError(try ProofCertificate.decode(Data("{\"format\": \"x\"}".utf8))) { XCTAssertTrue("\($0)".contains("missing field"), "\($0)") }
        var certificate = ProofCertificate(try XCTUnwrap(mine(system).0), variant: nil, configuration: [:], report: nil)
        var wrongFormat = certificate
        wrongFormat.format = "something else"
        XCTAssertThrowsError(try ProofCertificate.decode(wrongFormat.encoded())) { XCTAssertTrue("\($0)".contains("format"), "\($0)") }
        certificate.lemmas[0].then!.slot = "no_such_slot"
        XCTAssertThrowsError(try certificate.invariant(in: system)) { XCTAssertTrue("\($0)".contains("no_such_slot"), "\($0)") }
    }

    func testHoudiniNeverKeepsALemmaARunBreaks() throws {
        // The sample is cut to the initial states: most proposals are false, and Houdini must drop them.
        for name in ["buffer-pool", "mutex-peterson", "ring-buffer"] {
            let system = try system(name)
            let synthesis = LemmaSynthesis(encoding: TransitionEncoding(system: system),
                                           options: .init(sample: .init(breadthFirstStates: 1, walks: 0, walkLength: 0)),
                                           timeout: nil, cancellation: nil)
            let (found, report) = try synthesis.run(properties: [])
            let invariant = try XCTUnwrap(found, name)
            XCTAssertLessThan(report.lemmasKept, report.candidates, "\(name): some proposals from the initial state alone are false")
            let everything = try ReachableStateSample(system: system)
            everything.forEachState { state in
                for conjunct in invariant.lemmas {
                    guard case .lemma(let lemma) = conjunct.kind else { continue }
                    XCTAssertTrue(lemma.holds(in: state, system.layout), "\(name): \(conjunct.text(in: system))")
                }
            }
        }
    }
}

/// Where a test's `onInvariant` callback leaves the invariant.
private final class FoundInvariant: @unchecked Sendable {
    var value: InductiveInvariant?
}
