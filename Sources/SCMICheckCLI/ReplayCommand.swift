import ArgumentParser
import Foundation
import TestGeneration
import Traces
import TransitionSystems
import TransportSpec

/// `scmi-check replay FILE`: replays an ITF trace of the transport spec against the channel implementation.
struct ReplayCommand: ParsableCommand, RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay an ITF trace of the transport spec against the channel implementation.",
        discussion: """
            The trace must fit the transport spec (checked first). On the trace's own variant every step \
            must be taken and the implementation's state must match the trace's after each; on another \
            variant (--variant) the schedule runs as far as it applies, skipping steps an actor cannot take. \
            A weak trace (#meta.configuration.memory-model lkmm-nolb) fits the spec's weak-memory \
            transformation, and the implementation's weak reads observe the writes the trace's took \
            (each shown after its step). Exit status 0 when the implementation followed the trace and kept every invariant, 1 when it \
            violated one or could not follow the trace, 2 when the file is malformed or does not fit the spec.
            """
    )

    @Argument(help: "The ITF trace file (JSON).")
    var file: String

    @Option(name: .long, help: "The implementation's variant (default: the trace's #meta.variant).")
    var variant: String?

    @Flag(name: .long, help: "Also print the implementation's scheduling points under each step.")
    var points = false

    func execute(_ console: Console) throws -> ExitStatus {
        let trace = try TraceFile.read(file)
        let family = TransportSpec.family
        guard trace.spec == family.name else {
            throw UsageError("\(file): the trace is of spec '\(trace.spec)'; only '\(family.name)' traces replay against the implementation")
        }
        guard let traceVariant = trace.variant else { throw UsageError("\(file): the trace names no variant in #meta.variant") }
        let settings = try SpecCatalog.settings(recordedIn: trace.configuration, of: family, file: file)
        guard let instance = try SpecCatalog.instances(of: family, variant: traceVariant, settings: settings).first else {
            throw UsageError("\(file): the transport spec has no variant '\(traceVariant)'")
        }
        let system = try TraceSystem.of(trace, spec: instance.spec, file: file)
        do {
            if let divergence = try trace.replay(in: system).divergence {
                throw UsageError("\(file) does not fit spec '\(trace.spec)' (\(traceVariant)): \(divergence)")
            }
        } catch let error as TraceError {
            throw UsageError("\(file): \(error)")
        }

        let target = variant ?? traceVariant
        let options: ReplayOptions = target == traceVariant ? .conformance : .schedule
        let outcome: ReplayOutcome
        do { outcome = try replay(trace: trace, variantNamed: target, options: options) } catch let error as TraceError {
            throw UsageError("\(error)")
        }
        console.print("replay \(file): trace of \(traceVariant), \(trace.depth) steps, against the implementation of \(target)"
            + (options.comparesState ? " (state compared after every step)" : " (schedule only; steps that do not apply are skipped)"))
        for step in outcome.record.steps {
            let skipped = step.skipped.map { "  [skipped: \($0)]" } ?? ""
            let reads = step.weakReads.map { "  [read \($0)]" }.joined()
            let refused = step.refusedRead.map { "  [read refused: \($0)]" } ?? ""
            console.print("\(String(step.number).padding(toLength: 4, withPad: " ", startingAt: 0))\(step.label)\(skipped)\(reads)\(refused)")
            if points { for label in step.implementationLabels { console.print("      \(label)") } }
        }
        console.print("")
        if let divergence = outcome.divergence {
            console.print("The implementation diverges from the trace at \(divergence)")
            return .violated
        }
        guard outcome.record.violations.isEmpty else {
            for violation in outcome.record.violations { console.print("Violation at \(violation)") }
            return .violated
        }
        console.print("The implementation followed every step and kept every invariant.")
        return .success
    }
}
