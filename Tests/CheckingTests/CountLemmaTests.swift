@testable import Checking
import Foundation
import TransitionSystems
import XCTest

/// Counts (``CountMiner``, ``Lemma/count(_:equals:)``): on a small spec of shared, refcounted
/// buffers, a refcount equal to the number of holders is proposed, needed and proved, and a
/// certificate whose count is changed or dropped is rejected.
final class CountLemmaTests: XCTestCase {
    /// Two users share two buffers: `take` borrows a reference to a buffer (the refcount goes up
    /// and the user's pointer names it), `release` drops the reference while the pointer still
    /// names the buffer, `forget` clears the pointer. A release at refcount zero is an underflow.
    /// Whether a pointer is a reference depends on where its user is, and the refcount is a sum
    /// over users: no pair or triple template states it, a count does.
    private func sharedBuffers() throws -> TransitionSystem {
        let buffers = Domain.instances("Msg", count: 2, prefix: "msg")
        let users = Domain.instances("User", count: 2, prefix: "u")
        let refs = Variable("refs", Domain.range("Refcount", 0...2), indexedBy: buffers, initial: 0, doc: "The buffer's refcount.")
        let pointer = Variable("ptr", buffers.optional, indexedBy: users, initial: buffers.none, doc: "The buffer the user took.")
        let underflow = Variable("underflow", .boolean, initial: false, doc: "A release found the refcount at zero (ghost).")
        let user = Process("user", over: users, named: "u", labels: ["idle", "holding", "released"]) { u in
            for name in buffers.valueNames {
                Step("take_\(name)", from: "idle", to: "holding", doc: "Take a reference to \(name).") {
                    Guard(refs[buffers[name]] < 2)
                    refs[buffers[name]] <- refs[buffers[name]] + 1
                    pointer[u] <- buffers[name]
                }
            }
            Step("release", from: "holding", to: "released", doc: "Drop the reference; the pointer still names the buffer.") {
                If(refs[pointer[u]] == 0) { underflow.value <- true } else: { refs[pointer[u]] <- refs[pointer[u]] - 1 }
            }
            Step("forget", from: "released", to: "idle", doc: "Clear the pointer.") {
                pointer[u] <- buffers.none
            }
        }
        return try TransitionSystem(Spec("shared-buffers", doc: "Refcounted buffers shared by two users.", symmetric: [buffers, users]) {
            refs
            pointer
            underflow
            user
            Invariant("no-underflow", "A release never finds the refcount at zero.") { !underflow.value }
        })
    }

    private func synthesize(_ system: TransitionSystem, counts: Bool) throws -> (InductiveInvariant?, LemmaSynthesis.Report) {
        var options = LemmaSynthesis.Options()
        options.counts = counts
        options.inductionDepths = [1]
        return try LemmaSynthesis(encoding: TransitionEncoding(system: system), options: options, timeout: nil, cancellation: nil)
            .run(properties: [0])
    }

    func testTheCountMinerProposesTheRefcountAsTheNumberOfUsersHoldingTheBuffer() throws {
        let system = try sharedBuffers()
        let sample = try ReachableStateSample(system: system)
        XCTAssertTrue(sample.isExhaustive)
        let counts = CountMiner(sample: sample, controls: LemmaMiner.programCounters(of: system), maximumSum: 255).candidates()
        let texts = counts.map { $0.text(in: system.layout) }
        XCTAssertTrue(texts.contains { text in
            text.contains("refs[msg0]") && text.contains("user_pc[u0] = holding ∧ ptr[u0] = msg0")
                && text.contains("user_pc[u1] = holding ∧ ptr[u1] = msg0") && !text.contains("released")
        }, texts.joined(separator: "\n"))
        sample.forEachState { state in
            for count in counts { XCTAssertTrue(count.holds(in: state, system.layout), count.text(in: system.layout)) }
        }
    }

    func testCountsProveARefcountPropertyThatPairAndTripleTemplatesCannot() throws {
        let system = try sharedBuffers()
        let (without, _) = try synthesize(system, counts: false)
        XCTAssertEqual(without?.properties ?? [], [], "without counts, no-underflow is not inductive with the mined lemmas")
        let (with, report) = try synthesize(system, counts: true)
        let found = try XCTUnwrap(with)
        XCTAssertEqual(found.properties, ["no-underflow"])
        XCTAssertGreaterThan(report.countCandidates, 0)
        XCTAssertTrue(found.lemmas.contains { if case .lemma(.count) = $0.kind { return true } else { return false } }, found.text())
        guard case .valid = try CertificateChecker(system: system).check(found) else { return XCTFail("the invariant found is not inductive") }
    }

    func testACertificateWithACountChangedOrDroppedIsRejectedNamingTheConjunctThatFails() throws {
        let system = try sharedBuffers()
        let found = try XCTUnwrap(synthesize(system, counts: true).0)
        let certificate = ProofCertificate(found, variant: nil, configuration: [:], report: nil)
        let decoded = try ProofCertificate.decode(certificate.encoded())
        XCTAssertEqual(decoded, certificate)
        guard case .valid = try CertificateChecker(system: system).check(decoded.invariant(in: system)) else {
            return XCTFail("the certificate with its counts, re-read from JSON, is rejected")
        }
        let countPositions = certificate.lemmas.indices.filter { certificate.lemmas[$0].count != nil }
        XCTAssertFalse(countPositions.isEmpty)
        var rejectedDropped = 0
        for position in countPositions {
            // Off by one: false in the initial state, and named.
            var changed = certificate
            changed.lemmas[position].count!.equals += 1
            guard case .rejected(let failures) = try CertificateChecker(system: system).check(changed.invariant(in: system)) else {
                return XCTFail("a count with the wrong total must be rejected")
            }
            XCTAssertTrue(failures.contains { $0.name == certificate.lemmas[position].name && $0.phase == .initiation },
                          failures.map(\.line).joined(separator: "\n"))
            // Without the count, what it supported is no longer kept by every step.
            var dropped = certificate
            dropped.lemmas.remove(at: position)
            if case .rejected(let failures) = try CertificateChecker(system: system).check(dropped.invariant(in: system)) {
                XCTAssertTrue(failures.allSatisfy { $0.phase == .consecution }, failures.map(\.line).joined(separator: "\n"))
                rejectedDropped += 1
            }
        }
        XCTAssertGreaterThan(rejectedDropped, 0, "some count is needed: dropping it must break the certificate")
    }

    func testACountWhoseNumberIsNotNumericIsMalformed() throws {
        let system = try sharedBuffers()
        let found = try XCTUnwrap(synthesize(system, counts: true).0)
        var certificate = ProofCertificate(found, variant: nil, configuration: [:], report: nil)
        let position = try XCTUnwrap(certificate.lemmas.firstIndex { $0.count != nil })
        certificate.lemmas[position].count!.sum[0].times = "ptr[u0]"
        XCTAssertThrowsError(try certificate.invariant(in: system)) { XCTAssertTrue("\($0)".contains("not a number"), "\($0)") }
    }

    func testTheNullSpaceOfSampledVectorsIsEveryLinearEqualityTheyShare() {
        // x + y = z and 2x = w + 1 on three independent points.
        let rows = [[0, 1, 1, -1, 1], [1, 0, 1, 1, 1], [1, 1, 2, 1, 1], [2, 1, 3, 3, 1]]
        let basis = CountMiner.nullSpace(rows, columns: 5)
        XCTAssertEqual(basis.count, 2)
        for vector in basis {
            for row in rows { XCTAssertEqual(zip(row, vector).reduce(0) { $0 + $1.0 * $1.1 }, 0) }
        }
        XCTAssertEqual(CountMiner.reconstruct(CountMiner.prime - 1, CountMiner.prime).map { [$0.0, $0.1] }, [-1, 1])
    }
}
