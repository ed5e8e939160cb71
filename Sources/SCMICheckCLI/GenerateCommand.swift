import ArgumentParser
import Checking
import Foundation
import TestGeneration
import Traces
import TransitionSystems
import TransportSpec
import Vocabulary
import WeakMemory

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
            state cap (minutes: 'make findings'). \
            The weak findings are the violations the transport expects under a weak memory model \
            (lkmm-nolb) where sequential consistency has none or a longer one: their traces are runs \
            of the spec's weak-memory transformation (#meta.configuration.memory-model names the \
            model, the file name ends in -lkmm-nolb), and their tests make the implementation's weak \
            reads observe the writes the trace's took. \
            With CPUs as execution contexts (--contexts on, irq-cpu any, 2 CPUs and 2 buffers), the \
            findings a search within 2,000,000 states reaches (40 steps deep) are recorded too, their \
            names ending in Contexts, and their tests replay with the implementation's contexts; the \
            deeper ones need exhaustive runs of 10 minutes and more and have no trace.
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
        let findings = Self.findings
        let traces = search ? try searchTraces(findings, console) : try recordedTraces()
        var chosen: [(Trace, Property)] = []
        var problems: [String] = []
        for finding in findings {
            let (configuration, model) = (finding.configuration, finding.model)
            let system = try Self.system(configuration, model)
            for (property, depth) in finding.violations {
                let name = "\(Self.describe(configuration)), \(property)\(model == .sc ? "" : " under \(model.rawValue)")"
                guard let trace = traces.first(where: { Self.key(of: $0) == Self.key(configuration, model, property) }) else {
                    problems.append("\(name): no trace recorded (the finding at depth \(depth))")
                    continue
                }
                if let problem = try Self.problem(with: trace, of: property, atDepth: depth, at: configuration, in: system) {
                    problems.append("\(name): \(problem)")
                    continue
                }
                chosen.append((trace, property))
            }
        }
        let recorded = Set(findings.flatMap { f in f.violations.map { Self.key(f.configuration, f.model, $0.property) } })
        for trace in traces where !recorded.contains(Self.key(of: trace)) {
            let model = trace.configuration["memory-model"].map { " under \($0)" } ?? ""
            let settings = trace.configuration.filter { !["core", "memory-model", "cpus", "buffers"].contains($0.key) }
                .sorted { $0.key < $1.key }.map { " \($0.key) \($0.value)" }.joined()
            let sizes = (trace.configuration["cpus"], trace.configuration["buffers"]) == ("2", "2") ? ""
                : " at \(trace.configuration["cpus"] ?? "?") x \(trace.configuration["buffers"] ?? "?")"
            problems.append("a trace of \(trace.variant ?? "?") \(trace.invariant ?? "?") with the \(trace.configuration["core"] ?? "?") core\(model)\(sizes)\(settings) is not a recorded finding")
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
            var weak = ""
            if test.memoryModel != .sc {
                weak = test.needsItsWeakReads ? "; not with the newest writes" : "; ALSO WITH THE NEWEST WRITES"
                weak += "; fixed refuses the stale read at steps \(test.fixedOutcome.record.refusedReads)"
            }
            if !quiet {
                console.print("\(test.fileName): \(test.variantName) \(test.invariant), \(test.trace.depth) steps: \(verdict)\(weak); \(fixed) (\(test.fixedOutcome.record.skippedSteps.count) steps skipped)")
            }
        }
        return .success
    }

    // MARK: - Findings

    /// A configuration's recorded violations, and how the search for them is bounded.
    struct Finding {
        let configuration: TransportConfiguration
        let model: MemoryModelKind
        let violations: [(property: Property, depth: Int)]
        /// The most states the search keeps (nil: every reachable state). A capped search that
        /// stops before it has found every violation is an error, never a silent gap.
        let maxStates: Int?
    }

    /// The state cap of the searches with shutdown: at 1 x 1 each finds its violations within
    /// a few thousand states, at 2 x 1 within 2,000,000; upstream's state space with shutdown is
    /// larger than any cap a search of minutes affords, so it is never exhausted.
    static let shutdownStateCap = 2_000_000

    /// The state cap of the searches at 2 CPUs and 3 buffers: every recorded finding there lies
    /// within it (each pairing completes depth 35 to 37, about 30 s a pairing).
    static let threeBufferStateCap = 2_000_000

    /// The state cap of the searches with token reuse at 1 x 1: the deepest recorded one
    /// (`v4-proposal`'s double free at 36) lies within it.
    static let tokenStateCap = 3_000_000

    /// The state cap of the searches with CPUs as execution contexts (`--contexts on`, irq-cpu
    /// any) at 2 CPUs and 2 buffers: breadth first, each pairing completes depth 40 within it
    /// (`scmi-check check --variant V --core C --contexts on`, about 25 s a pairing).
    static let contextsStateCap = 2_000_000

    /// The deepest contexts finding a search within `contextsStateCap` reaches. A pairing with a
    /// deeper one (v4-proposal's from 44 steps on, upstream's no-lost-wakeup and
    /// no-leak-at-quiescence at 45 to 58: ``TransportExpectations``'s table with contexts) is
    /// searched exhaustively, which takes 10 minutes and more a pairing.
    static let contextsDepthReach = 40

    /// Every recorded finding: at 2 CPUs and 2 buffers, under sequential consistency, each pairing
    /// of the findings table with the invariants it violates; under each weak memory model, the
    /// violations it expects where sequential consistency has none, or a longer one (where both
    /// have the same shortest depth, the sequentially consistent trace is a run under the weak
    /// model too, and stands for both); with shutdown racing the traffic, each pairing's violations
    /// at the smallest configuration that shows them (``TransportExpectations/shutdownFindings``);
    /// with CPUs as execution contexts, every one recorded (`contextsFindings`); with token reuse,
    /// what it brings at 1 x 1 (``TransportExpectations/tokenFindings``).
    static var findings: [Finding] {
        let sc = TransportExpectations.findings
        var result = sc.map { Finding(configuration: $0.configuration, model: .sc, violations: $0.violations, maxStates: nil) }
        for model in MemoryModelKind.allCases where model != .sc {
            for (configuration, _) in sc {
                guard let expectations = TransportExpectations.underWeakMemory(configuration)[model] else { continue }
                let strong = TransportExpectations.of(configuration) ?? [:]
                let weak: [(property: Property, depth: Int)] = Property.specified.compactMap { property in
                    guard case .violated(let depth?)? = expectations[property.rawValue],
                          strong[property.rawValue] != .violated(depth: depth) else { return nil }
                    return (property, depth)
                }
                if !weak.isEmpty { result.append(Finding(configuration: configuration, model: model, violations: weak, maxStates: nil)) }
            }
        }
        // The other configurations' findings, each searched under its cap.
        let capped = [
            (TransportExpectations.shutdownFindings, shutdownStateCap),
            (TransportExpectations.threeBufferFindings, threeBufferStateCap),
            (TransportExpectations.contextsAndShutdownFindings, shutdownStateCap),
            (TransportExpectations.tokenFindings, tokenStateCap),
        ]
        for (findings, cap) in capped {
            result += findings.map { Finding(configuration: $0.configuration, model: .sc, violations: $0.violations, maxStates: cap) }
        }

        result += contextsFindings
        return result
    }

    /// The findings with CPUs as execution contexts at 2 CPUs and 2 buffers (irq-cpu any): for each
    /// pairing with recorded expectations with contexts, in variant and core order, every
    /// violation, searched within `contextsStateCap` when none is deeper than `contextsDepthReach`,
    /// else exhaustively. The deep leaks (`v4-proposal` 46, `upstream` 58 and 53) are left out: their
    /// last state has the IRQ handler between `complete_cb` rounds on an empty ring, which the
    /// spec's quiescence counts as idle and the implementation's as running, so the two judge the
    /// leak differently (README, "Contexts findings as generated tests").
    static var contextsFindings: [Finding] {
        Variant.allCases.flatMap { variant in
            CoreVersion.allCases.compactMap { core -> Finding? in
                let configuration = TransportConfiguration(variant: variant, core: core, contexts: ExecutionContexts())
                guard let expectations = TransportExpectations.of(configuration) else { return nil }
                let violations: [(property: Property, depth: Int)] = Property.specified.compactMap { property in
                    guard case .violated(let depth?)? = expectations[property.rawValue],
                          !(property == .noLeakAtQuiescence && depth > contextsDepthReach) else { return nil }
                    return (property, depth)
                }
                guard !violations.isEmpty else { return nil }
                // Within the cap when every finding is; else the whole space (minutes).
                let shallow = violations.allSatisfy { $0.depth <= contextsDepthReach }
                return Finding(configuration: configuration, model: .sc, violations: violations, maxStates: shallow ? contextsStateCap : nil)
            }
        }
    }

    /// `upstream with the current core`, with the sizes and settings when they are not the default's.
    static func describe(_ configuration: TransportConfiguration) -> String {
        var text = "\(configuration.variant) with the \(configuration.core) core"
        if (configuration.cpus, configuration.buffers) != (2, 2) { text += " at \(configuration.cpus) x \(configuration.buffers)" }
        if let contexts = configuration.contexts { text += " with contexts (irq-cpu \(contexts.irqCPU.map(String.init) ?? "any"))" }
        if configuration.shutdown { text += " with shutdown" }
        if let tokens = configuration.tokens { text += " with \(tokens) token\(tokens == 1 ? "" : "s")" }
        return text
    }

    /// The system a finding's trace is a run of: the spec's, or its weak-memory transformation.
    static func system(_ configuration: TransportConfiguration, _ model: MemoryModelKind) throws -> TransitionSystem {
        let spec = TransportSpec.make(configuration)
        switch model {
        case .sc: return try TransitionSystem(spec)
        case .lkmmNoLB: return try TransitionSystem(try WeakMemoryTransformation(spec).transformed())
        }
    }

    /// The trace labels of a finding's configuration: sizes, core, and a weak memory model.
    static func labels(_ configuration: TransportConfiguration, _ model: MemoryModelKind) -> [String: String] {
        var labels = configuration.labels
        if model != .sc { labels["memory-model"] = model.rawValue }
        return labels
    }

    // MARK: - Traces

    /// A finding's identity: variant, memory model, invariant, and the configuration as traces
    /// record it (sizes, core, settings).
    private static func key(_ configuration: TransportConfiguration, _ model: MemoryModelKind, _ property: Property) -> String {
        key(configuration.variant.rawValue, labels(configuration, model), property.rawValue)
    }

    private static func key(of trace: Trace) -> String {
        key(trace.variant ?? "?", trace.configuration, trace.invariant ?? "?")
    }

    private static func key(_ variant: String, _ labels: [String: String], _ invariant: String) -> String {
        var labels = labels
        if labels["memory-model"] == MemoryModelKind.sc.rawValue { labels["memory-model"] = nil }
        return "\(variant)/\(invariant)/" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// Why `trace` is not the recorded finding: not at its configuration, not a run of the spec,
    /// or its invariant does not break first at its last step, at `depth`; nil when it is.
    private static func problem(with trace: Trace, of property: Property, atDepth depth: Int, at configuration: TransportConfiguration,
                                in system: TransitionSystem) throws -> String? {
        if trace.configuration["cpus"] != String(configuration.cpus) || trace.configuration["buffers"] != String(configuration.buffers) {
            return "the trace is not at \(configuration.cpus) CPUs and \(configuration.buffers) buffers"
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

    /// Every finding's shortest trace, found again by the explicit engine (without a state cap,
    /// or with the finding's, which must not stop it before every violation is found), the
    /// configurations side by side.
    private func searchTraces(_ findings: [Finding], _ console: Console) throws -> [Trace] {
        let found = Locked(Array<Result<[Trace], Error>?>(repeating: nil, count: findings.count))
        DispatchQueue.concurrentPerform(iterations: findings.count) { i in
            let (configuration, model, violations) = (findings[i].configuration, findings[i].model, findings[i].violations)
            let outcome = Result<[Trace], Error> {
                let system = try Self.system(configuration, model)
                let names = violations.map(\.property.rawValue)
                let start = Date()
                let results = try ExplicitStateChecker(system: system, options: CheckOptions(maxStates: findings[i].maxStates))
                    .check(names, listener: SilentListener()).results
                let missed = results.filter { $0.verdict != .violated }
                if !missed.isEmpty {
                    let cap = findings[i].maxStates.map { " (state cap \($0))" } ?? ""
                    throw UsageError("\(Self.describe(configuration)): the search\(cap) did not find "
                        + missed.map { "\($0.invariant) (\($0.verdict))" }.joined(separator: ", "))
                }
                if !quiet && console.showsProgress {
                    let under = model == .sc ? "" : " under \(model.rawValue)"
                    let seconds = String(format: "%.1f", Date().timeIntervalSince(start))
                    console.printError("\(Self.describe(configuration))\(under): \(results.filter { $0.verdict == .violated }.count) of \(names.count) findings (\(seconds) s)")
                }
                return results.compactMap {
                    $0.trace(in: system, variant: configuration.variant.rawValue, configuration: Self.labels(configuration, model))
                }
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
        try Data(FindingsIndex.markdown(tests).utf8).write(to: directory.appendingPathComponent(FindingsIndex.fileName))
    }
}
