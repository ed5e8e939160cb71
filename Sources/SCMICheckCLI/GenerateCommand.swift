import ArgumentParser
import Checking
import Foundation
import TestGeneration
import Traces
import TransitionSystems
import TransportSpec
import Vocabulary

/// `scmi-check generate`: turns every recorded finding of the transport spec into an XCTest file.
struct GenerateCommand: ParsableCommand, RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write an XCTest regression test for every recorded finding of the transport spec, from its ITF trace.",
        discussion: """
            The findings are the violations recorded for every pairing of the README's findings table \
            (each variant with each core it met, and the other pairings the table reports), at 2 CPUs and \
            2 buffers. By default the traces are read from --traces, each is replayed through the spec and \
            must break its invariant first at its last step, at the recorded depth, and every recorded \
            finding must have one; then <Variant><Invariant>Tests.swift (with the core in the name when it \
            is not the variant's first) is written into the output directory with the trace in its Traces/ \
            folder. No search runs, so this is fast and byte-identical as long as the spec and the traces \
            do not change. With --search the explicit engine finds every shortest trace again, without a \
            state cap (minutes: 'make findings').
            """
    )

    /// The first line of every generated test file: how stale files are recognised and removed.
    static let marker = "import TestGeneration"

    @Option(name: .long, help: "The directory of the generated tests.")
    var output: String = "Generated"

    @Option(name: .long, help: "Where the recorded traces are read from (default: OUTPUT/Traces).")
    var traces: String?

    @Flag(name: .long, help: "Search every finding again with the explicit engine (exhaustive, minutes) instead of reading the recorded traces.")
    var search = false

    @Flag(name: .long, help: "No progress lines on standard error.")
    var quiet = false

    /// The command that regenerates what this run writes.
    static let regenerationCommand = "swift run -c release scmi-check generate"

    func execute(_ console: Console) throws -> ExitStatus {
        let findings = TransportExpectations.findings
        let traces = search ? try searchTraces(findings, console) : try recordedTraces()
        var chosen: [(Trace, Property)] = []
        var problems: [String] = []
        for (configuration, violations) in findings {
            let system = try TransitionSystem(TransportSpec.make(configuration))
            for (property, depth) in violations {
                let name = "\(configuration.variant) with the \(configuration.core) core, \(property)"
                guard let trace = traces.first(where: { Self.key(of: $0) == Self.key(configuration, property) }) else {
                    problems.append("\(name): no trace recorded (the finding at depth \(depth))")
                    continue
                }
                if let problem = try Self.problem(with: trace, of: property, atDepth: depth, in: system) {
                    problems.append("\(name): \(problem)")
                    continue
                }
                chosen.append((trace, property))
            }
        }
        let recorded = Set(findings.flatMap { f in f.violations.map { Self.key(f.configuration, $0.property) } })
        for trace in traces where !recorded.contains(Self.key(of: trace)) {
            problems.append("a trace of \(trace.variant ?? "?") \(trace.invariant ?? "?") with the \(trace.configuration["core"] ?? "?") core is not a recorded finding")
        }
        guard problems.isEmpty else {
            for problem in problems { console.printError("error: \(problem)") }
            console.printError("the recorded traces and the findings differ: nothing was written ('make findings' searches them again)")
            return .violated
        }
        let tests = try chosen.map { try GeneratedTest(trace: $0, invariant: $1.rawValue, command: Self.regenerationCommand) }
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
            if !quiet {
                console.print("\(test.fileName): \(test.variantName) \(test.invariant), \(test.trace.depth) steps: \(verdict); \(fixed) (\(test.fixedOutcome.record.skippedSteps.count) steps skipped)")
            }
        }
        return .success
    }

    // MARK: - Traces

    /// A finding's identity: variant, core, invariant.
    private static func key(_ configuration: TransportConfiguration, _ property: Property) -> String {
        "\(configuration.variant)/\(configuration.core)/\(property)"
    }

    private static func key(of trace: Trace) -> String {
        "\(trace.variant ?? "?")/\(trace.configuration["core"] ?? "?")/\(trace.invariant ?? "?")"
    }

    /// Why `trace` is not the recorded finding: not a run of the spec, or its invariant does not
    /// break first at its last step, at `depth`; nil when it is.
    private static func problem(with trace: Trace, of property: Property, atDepth depth: Int, in system: TransitionSystem) throws -> String? {
        if trace.configuration["cpus"] != "2" || trace.configuration["buffers"] != "2" {
            return "the trace is not at 2 CPUs and 2 buffers"
        }
        let replay: TraceReplay
        do { replay = try trace.replay(in: system) } catch let error as TraceError { return "\(error)" }
        if let divergence = replay.divergence { return "the trace is not a run of the spec: \(divergence)" }
        let first = replay.brokenInvariants.firstIndex { $0.contains(property.rawValue) }
        guard first == trace.depth else {
            return "the trace breaks \(property) \(first.map { "first at step \($0)" } ?? "nowhere"), not at its last step \(trace.depth)"
        }
        guard trace.depth == depth else { return "the trace has \(trace.depth) steps; the recorded shortest depth is \(depth)" }
        return nil
    }

    /// The traces recorded in the traces directory.
    private func recordedTraces() throws -> [Trace] {
        let folder = URL(fileURLWithPath: traces ?? URL(fileURLWithPath: output).appendingPathComponent("Traces").path)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw UsageError("cannot read the traces directory '\(folder.path)'")
        }
        return try names.filter { $0.hasSuffix(".json") }.sorted().map { try TraceFile.read(folder.appendingPathComponent($0).path) }
    }

    /// Every finding's shortest trace, found again by the explicit engine without a state cap,
    /// the pairings side by side.
    private func searchTraces(_ findings: [(configuration: TransportConfiguration, violations: [(property: Property, depth: Int)])],
                              _ console: Console) throws -> [Trace] {
        let found = Locked(Array<Result<[Trace], Error>?>(repeating: nil, count: findings.count))
        DispatchQueue.concurrentPerform(iterations: findings.count) { i in
            let (configuration, violations) = findings[i]
            let outcome = Result<[Trace], Error> {
                let system = try TransitionSystem(TransportSpec.make(configuration))
                let names = violations.map(\.property.rawValue)
                let results = try ExplicitStateChecker(system: system).check(names, listener: SilentListener()).results
                if !quiet && console.showsProgress {
                    console.printError("\(configuration.variant) with the \(configuration.core) core: \(results.filter { $0.verdict == .violated }.count) of \(names.count) findings")
                }
                return results.compactMap { $0.trace(in: system, variant: configuration.variant.rawValue, configuration: configuration.labels) }
            }
            found.update { $0[i] = outcome }
        }
        return try found.value.flatMap { try $0!.get() }
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
