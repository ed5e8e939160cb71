import ArgumentParser
import Checking
import Foundation
import TestGeneration
import Traces
import TransitionSystems
import TransportSpec

/// `scmi-check generate`: turns every counterexample of the transport spec into an XCTest file.
struct GenerateCommand: ParsableCommand, RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write an XCTest regression test and an ITF trace for every counterexample of the transport spec.",
        discussion: """
            Checks every variant with each core it met (or with --core) with the explicit-state engine \
            (capped by --max-states), and for each violated invariant writes <Variant><Invariant>Tests.swift \
            (with the core in the name when it is not the variant's first) into the output directory and the \
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

    @Option(name: .long, help: "The SCMI core's result decision: current, 2022 or described (default: the cores each variant met).")
    var core: String?

    @Option(name: .customLong("max-states"), help: "The most states the explicit engine explores per variant.")
    var maxStates: Int = 4_000_000

    @Flag(name: .long, help: "No progress lines on standard error.")
    var quiet = false

    func validate() throws {
        if maxStates < 1 { throw ValidationError("--max-states must be positive") }
    }

    /// The command that regenerates what this run writes.
    var regenerationCommand: String {
        var words = ["swift run -c release scmi-check generate"]
        if cpus != 2 { words.append("--cpus \(cpus)") }
        if buffers != 2 { words.append("--buffers \(buffers)") }
        if let core { words.append("--core \(core)") }
        if maxStates != 4_000_000 { words.append("--max-states \(maxStates)") }
        return words.joined(separator: " ")
    }

    func execute(_ console: Console) throws -> ExitStatus {
        var settings = ["cpus": String(cpus), "buffers": String(buffers)]
        if let core { settings["core"] = core }
        let instances = try SpecCatalog.instances(of: TransportSpec.family, variant: nil, settings: settings)
        let systems = try instances.map { try TransitionSystem($0.spec) }
        // Variants and cores are independent: search them side by side, one per core.
        let found = Locked(Array<Result<[GeneratedTest], Error>?>(repeating: nil, count: instances.count))
        DispatchQueue.concurrentPerform(iterations: instances.count) { i in
            let instance = instances[i]
            let outcome = Result<[GeneratedTest], Error> {
                let checker = ExplicitStateChecker(system: systems[i], options: CheckOptions(maxStates: maxStates))
                let results = try checker.check(TransportSpec.invariantNames, listener: SilentListener()).results
                let tests = try results.compactMap { result -> GeneratedTest? in
                    guard case .violated = result.verdict,
                          let trace = result.trace(in: systems[i], variant: instance.variant, configuration: instance.configuration)
                    else { return nil }
                    return try GeneratedTest(trace: trace, invariant: result.invariant, command: regenerationCommand)
                }
                if !quiet && console.showsProgress {
                    let name = Report.label(variant: instance.variant ?? "", configuration: instance.configuration, instances: instances)
                    console.printError("\(name): \(tests.count) counterexamples")
                }
                return tests
            }
            found.update { $0[i] = outcome }
        }
        let tests = try found.value.flatMap { try $0!.get() }
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
