import ArgumentParser
import Checking
import Foundation
import TransitionSystems

/// `scmi-check certify FILE`: re-checks a proof's certificate (an inductive invariant) with a fresh solver.
struct CertifyCommand: ParsableCommand, RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certify",
        abstract: "Re-check a proof certificate (written by 'check --engine kind --mine-lemmas --certificate FILE') with a fresh solver.",
        discussion: """
            Loads the spec, variant and configuration the certificate names, rebuilds each lemma from its slot \
            and value names and each property from the spec, and checks initiation (no initial state breaks a \
            conjunct) and consecution (no step from a state satisfying every conjunct breaks one). Exit status 0 \
            when both hold (every property listed holds in every reachable state, after any number of steps), \
            1 when a conjunct fails (each one named, with the state that breaks it), 2 when the file is \
            malformed or names what the spec does not have, 3 when the solver cannot decide.
            """
    )

    @Argument(help: "The certificate (JSON).")
    var file: String

    @Option(name: .long, help: "Seconds allowed per solver query.")
    var timeout: Double?

    func execute(_ console: Console) throws -> ExitStatus {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw UsageError("\(file): cannot read: \(error.localizedDescription)")
        }
        let certificate: ProofCertificate
        let system: TransitionSystem
        let invariant: InductiveInvariant
        do {
            certificate = try ProofCertificate.decode(data)
            let family = try SpecCatalog.family(named: certificate.spec)
            let settings = try SpecCatalog.settings(recordedIn: certificate.configuration, of: family, file: file)
            let instances = try SpecCatalog.instances(of: family, variant: certificate.variant, settings: settings)
            guard instances.count == 1 else {
                throw UsageError("\(file): names \(instances.count) instances of spec '\(certificate.spec)'; a certificate is about one (give its variant)")
            }
            system = try TransitionSystem(instances[0].spec)
            invariant = try certificate.invariant(in: system)
        } catch let error as ProofCertificate.Malformed {
            throw UsageError("\(file): malformed certificate: \(error.message)")
        } catch let error as UsageError {
            throw UsageError(error.message.hasPrefix(file) ? error.message : "\(file): \(error.message)")
        }
        let subject = ([certificate.spec] + (certificate.variant.map { [$0] } ?? [])
            + certificate.configuration.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }).joined(separator: ", ")
        let start = Date()
        let verdict = try CertificateChecker(system: system, timeout: timeout).check(invariant)
        let seconds = String(format: "%.1f", Date().timeIntervalSince(start))
        let size = "\(invariant.lemmas.count) lemmas, \(invariant.k == 1 ? "inductive" : "\(invariant.k)-inductive"), properties \(invariant.properties.isEmpty ? "none" : invariant.properties.joined(separator: ", "))"
        switch verdict {
        case .valid:
            console.print("certificate valid (\(subject)): \(size); initiation and consecution re-checked by a fresh solver in \(seconds) s")
            console.print("proved for any number of steps: \(invariant.properties.joined(separator: ", "))")
            // The symbolic engines refuse weak memory models, so a certificate is about sc only.
            console.print("memory model: sc (sequential consistency); a certificate says nothing about lkmm-nolb")
            return .success
        case .rejected(let failures):
            console.print("certificate rejected (\(subject)): \(failures.count) conjunct\(failures.count == 1 ? "" : "s") not inductive (\(seconds) s)")
            for failure in failures { console.print("  " + failure.line) }
            return .violated
        case .unknown(let reason):
            console.print("certificate undecided (\(subject)): the solver gave up (\(reason)); nothing is proved")
            return .unknown
        }
    }
}
