import ArgumentParser
import Foundation
import Traces
import TransitionSystems

/// `scmi-check trace FILE`: runs an ITF trace through the spec it names and shows it step by step.
struct TraceCommand: ParsableCommand, RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Run an ITF trace file through its spec: check every step and show which invariants break.",
        discussion: """
            The spec, variant and configuration come from the trace's #meta unless given here. \
            Exit status 0 when the trace fits the spec and breaks no invariant, 1 when it fits and \
            breaks one (it demonstrates a violation), 2 when it is malformed or does not fit the spec.
            """
    )

    @Argument(help: "The ITF trace file (JSON).")
    var file: String

    @Option(name: .long, help: "The spec (default: the trace's #meta.spec).")
    var spec: String?

    @Option(name: .long, help: "The variant (default: the trace's #meta.variant).")
    var variant: String?

    func execute(_ console: Console) throws -> ExitStatus {
        let trace = try TraceFile.read(file)
        let specName = spec ?? trace.spec
        guard !specName.isEmpty else { throw UsageError("\(file): the trace names no spec in #meta.spec; give --spec") }
        let family = try SpecCatalog.family(named: specName)
        let variantName = variant ?? trace.variant
        let settings = try SpecCatalog.settings(recordedIn: trace.configuration, of: family, file: file)
        guard let instance = try SpecCatalog.instances(of: family, variant: variantName, settings: settings).first else {
            throw UsageError("spec '\(specName)' has no variant '\(variantName ?? "")'")
        }
        let system = try TraceSystem.of(trace, spec: instance.spec, file: file)
        let replay: TraceReplay
        do { replay = try trace.replay(in: system) } catch let error as TraceError { throw UsageError("\(file): \(error)") }

        console.print("trace \(file): spec \(specName)\(instance.variant.map { ", variant \($0)" } ?? ""), \(trace.depth) steps")
        console.print(trace.text())
        if let divergence = replay.divergence {
            throw UsageError("\(file) does not fit spec '\(specName)': \(divergence)")
        }
        let firstBreak = replay.brokenInvariants.enumerated().first { !$0.element.isEmpty }
        guard let firstBreak else {
            console.print("")
            console.print("Every step is enabled and every invariant holds along the trace.")
            return .success
        }
        console.print("")
        console.print("After step \(firstBreak.offset): \(firstBreak.element.joined(separator: ", ")) violated.")
        return .violated
    }
}
