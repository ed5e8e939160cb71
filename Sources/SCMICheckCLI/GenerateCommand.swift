import ArgumentParser
import Checking
import Foundation
import TestGeneration
import Traces
import TransitionSystems
import TransportSpec
import Vocabulary

/// `scmi-check generate`: turns every counterexample of the transport spec into an XCTest file.
struct GenerateCommand: ParsableCommand, RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write an XCTest regression test and an ITF trace for every counterexample of the transport spec.",
        discussion: """
            Checks every variant with the explicit-state engine (capped by --max-states), and for each \
            violated invariant writes <Variant><Invariant>Tests.swift into the output directory and the \
            trace into its Traces/ folder. Files generated before are replaced; the output is byte-identical \
            as long as the spec does not change.
            """
    )

    /// The first line of every generated test file: how stale files are recognised and removed.
    static let marker = "import TestGeneration"

    @Option(name: .long, help: "The directory of the generated tests.")
    var output: String = "Generated"

    @Option(name: .long, help: "Number of CPUs.")
    var cpus: Int = 2

    @Option(name: .long, help: "Number of message buffers.")
    var buffers: Int = 2

    @Option(name: .long, help: "The SCMI core's result decision: current or 2022.")
    var core: String = "current"

    @Option(name: .customLong("max-states"), help: "The most states the explicit engine explores per variant.")
    var maxStates: Int = 4_000_000

    @Flag(name: .long, help: "No progress lines on standard error.")
    var quiet = false

    func validate() throws {
        if !(1...4).contains(cpus) { throw ValidationError("--cpus must be between 1 and 4, not \(cpus)") }
        if !(1...4).contains(buffers) { throw ValidationError("--buffers must be between 1 and 4, not \(buffers)") }
        if maxStates < 1 { throw ValidationError("--max-states must be positive") }
    }

    /// The command that regenerates what this run writes.
    var regenerationCommand: String {
        var words = ["swift run -c release scmi-check generate"]
        if cpus != 2 { words.append("--cpus \(cpus)") }
        if buffers != 2 { words.append("--buffers \(buffers)") }
        if core != "current" { words.append("--core \(core)") }
        if maxStates != 4_000_000 { words.append("--max-states \(maxStates)") }
        return words.joined(separator: " ")
    }

    func execute(_ console: Console) throws -> ExitStatus {
        guard let coreVersion = CoreVersion(rawValue: core) else {
            throw UsageError("unknown core '\(core)'; choose one of current, 2022")
        }
        var tests: [GeneratedTest] = []
        for variant in Variant.allCases {
            let configuration = TransportConfiguration(cpus: cpus, buffers: buffers, variant: variant, core: coreVersion)
            let system = try TransitionSystem(TransportSpec.make(configuration))
            let checker = ExplicitStateChecker(system: system, options: CheckOptions(maxStates: maxStates))
            let results = try checker.check(TransportSpec.invariantNames, listener: SilentListener()).results
            for result in results {
                guard case .violated = result.verdict,
                      let trace = result.trace(in: system, variant: variant.rawValue, configuration: configuration.labels)
                else { continue }
                tests.append(try GeneratedTest(trace: trace, invariant: result.invariant, command: regenerationCommand))
            }
            if !quiet && console.showsProgress {
                console.printError("\(variant.rawValue): \(results.filter { if case .violated = $0.verdict { return true } else { return false } }.count) counterexamples")
            }
        }
        try write(tests)
        for test in tests {
            let verdict: String
            if test.conforms {
                verdict = "reproduces at step \(test.trace.depth)"
            } else if let divergence = test.outcome.divergence {
                verdict = "DIVERGES: \(divergence)"
            } else {
                let seen = test.outcome.record.firstViolation(of: test.invariant).map { "at step \($0)" } ?? "nowhere"
                verdict = "FOLLOWED, but the implementation records \(test.invariant) \(seen) (it records \(test.outcome.record.violatedInvariants.joined(separator: ", ")))"
            }
            let fixed = test.fixedOutcome.record.violations.isEmpty ? "fixed holds" : "FIXED VIOLATES \(test.fixedOutcome.record.violatedInvariants.joined(separator: ", "))"
            console.print("\(test.fileName): \(test.variantName) \(test.invariant), \(test.trace.depth) steps: \(verdict); \(fixed) (\(test.fixedOutcome.record.skippedSteps.count) steps skipped)")
        }
        return .success
    }

    /// Replaces the generated files in the output directory with `tests`.
    private func write(_ tests: [GeneratedTest]) throws {
        let fileManager = FileManager.default
        let directory = URL(fileURLWithPath: output)
        let traces = directory.appendingPathComponent("Traces")
        try fileManager.createDirectory(at: traces, withIntermediateDirectories: true)
        for name in try fileManager.contentsOfDirectory(atPath: directory.path) where name.hasSuffix("Tests.swift") {
            let url = directory.appendingPathComponent(name)
            if let text = try? String(contentsOf: url, encoding: .utf8), text.hasPrefix(Self.marker) {
                try fileManager.removeItem(at: url)
            }
        }
        for name in try fileManager.contentsOfDirectory(atPath: traces.path) where name.hasSuffix(".json") {
            try fileManager.removeItem(at: traces.appendingPathComponent(name))
        }
        for test in tests {
            try Data((test.trace.itfText() + "\n").utf8).write(to: traces.appendingPathComponent(test.traceFileName))
            try Data(test.source.utf8).write(to: directory.appendingPathComponent(test.fileName))
        }
    }
}
