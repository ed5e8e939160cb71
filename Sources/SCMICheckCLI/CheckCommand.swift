import ArgumentParser
import Checking
import Foundation
import Traces
import TransitionSystems
import WeakMemory

/// `scmi-check check`: checks invariants of a spec and reports verdicts and counterexamples.
struct CheckCommand: ParsableCommand, RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check invariants of a spec; print verdicts and the shortest counterexamples.",
        discussion: """
            Verdicts: violated (with the shortest counterexample found), proved (every reachable \
            state, or an unbounded proof), holds-up-to-depth (bounded search only), unknown. \
            Depth counts transitions from an initial state. Run 'scmi-check list' for the specs, \
            variants and invariants.

            Each verdict is printed on standard error the moment it is settled ('settled: ...'), \
            unless --quiet; the report on standard output \
            comes at the end, in order. --time-limit bounds the whole run, and Ctrl-C stops it: \
            both report what was settled and each open invariant as holds-up-to-depth the depth \
            checked completely, and exit 3.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown, github }

    @OptionGroup var configurationOptions: ConfigurationOptions

    @Option(name: .long, help: "An invariant to check (repeatable); every invariant when omitted.")
    var invariant: [String] = []

    @Option(name: .long, help: "The engine; k-induction also names kind (default: auto; explicit for the transport spec).")
    var engine: EngineKind?

    @Option(name: .customLong("memory-model"), help: "The memory model: sc, or lkmm-nolb (the Linux-kernel memory model without load buffering, for the variables the spec declares weak; explicit engine only). Default: what the spec declares.")
    var memoryModel: MemoryModelKind?

    @Option(name: .long, help: "The deepest level to search (transitions from an initial state).")
    var depth: Int?

    @Option(name: .customLong("max-states"), help: "The most states the explicit engine keeps (the transport spec's default: 2000000).")
    var maxStates: Int?

    @Flag(name: .long, help: "No default state cap: explore every reachable state (a proof at this configuration; minutes for the transport spec).")
    var exhaustive = false

    enum Reduction: String, ExpressibleByArgument, CaseIterable {
        case symmetry, none, por, all

        var usesSymmetry: Bool { self == .symmetry || self == .all }
        var usesPartialOrder: Bool { self == .por || self == .all }
    }

    @Option(name: .long, help: "The explicit engine's state reduction: symmetry (one state per renaming of CPUs and buffers), none (every concrete state, as SPIN counts them), por (partial-order reduction: one ample set of independent steps where it is safe; counterexamples may not be shortest) or all (symmetry and por).")
    var reduction: Reduction = .symmetry

    @Option(name: .long, help: "Seconds allowed per solver query.")
    var timeout: Double?

    @Option(name: .customLong("time-limit"), help: "Seconds allowed for the whole run (every instance); what is left open is reported with the depth checked completely, and the run exits 3.")
    var timeLimit: Double?

    @Option(name: .long, help: "Output format: text, json (one JSON object per line and invariant), markdown (for a pull request) or github (workflow annotations at the spec line of each invariant concerned).")
    var format: Format = .text

    @Option(name: .long, help: "A recorded result ('check --format json' output) to compare this run with: new and lost violations, depth changes.")
    var baseline: String?

    @Option(name: .customLong("json-output"), help: "Also write this run's JSON lines (as --format json prints them) to this file.")
    var jsonOutput: String?

    @Option(name: .customLong("annotations-output"), help: "Also write this run's workflow annotations (as --format github prints them) to this file.")
    var annotationsOutput: String?

    @Flag(name: .long, help: "With --format json: print each result's line the moment it is settled (in the order settled, with the statistics of that moment) instead of all of them in order at the end.")
    var stream = false

    @Option(name: .long, help: "Threads the explicit engine expands states on (default: every core for one variant; one per variant when several are checked side by side). The results do not depend on it.")
    var threads: Int?
    @Option(name: .long, help: "BMC's transitions: single (one step each, the explicit engine's depth) or parallel (any set of independent steps each; shorter unrollings, counterexamples expanded into single steps).")
    var frames: FrameSemantics = .single

    @Flag(name: .customLong("mine-lemmas"), help: "k-induction: first look for an inductive invariant of lemmas mined from sampled reachable states (Houdini); a proof prints it.")
    var mineLemmas = false

    @Option(name: .customLong("sample-states"), help: "With --mine-lemmas: the most states (up to renaming) the breadth-first sample keeps before random walks (default 100000).")
    var sampleStates: Int?

    @Option(name: .long, help: "With --mine-lemmas: write the inductive invariant found to this file (JSON) for 'scmi-check certify'.")
    var certificate: String?

    @Flag(name: .long, help: "Print timings and sizes per depth to standard output.")
    var stats = false

    @Flag(name: .long, help: "No progress lines on standard error.")
    var quiet = false

    func validate() throws {
        if let depth, depth < 0 { throw ValidationError("--depth must not be negative") }
        if let maxStates, maxStates < 1 { throw ValidationError("--max-states must be positive") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        if let timeLimit, !(timeLimit > 0) { throw ValidationError("--time-limit must be a positive number of seconds") }
        if stream && format != .json { throw ValidationError("--stream needs --format json") }
        if let threads, threads < 1 { throw ValidationError("--threads must be positive") }
        if baseline != nil && format == .json { throw ValidationError("--baseline needs --format text, markdown or github") }
        if let sampleStates, sampleStates < 1 { throw ValidationError("--sample-states must be positive") }
        if (certificate != nil || sampleStates != nil) && !mineLemmas { throw ValidationError("--certificate and --sample-states need --mine-lemmas") }
        if mineLemmas && engine != .kind { throw ValidationError("--mine-lemmas needs --engine kind") }
        if frames != .single && engine != .bmc { throw ValidationError("--frames needs --engine bmc") }
    }

    func execute(_ console: Console) throws -> ExitStatus {
        let cancellation = Cancellation(timeLimit: timeLimit)
        // Read the baseline first: a bad file is bad input before minutes of checking.
        _ = try recordedBaseline()
        guard console.handlesSignals else { return try execute(console, cancellation: cancellation) }
        // Ctrl-C stops the run and reports what was settled; a second Ctrl-C quits at once.
        signal(SIGINT, SIG_IGN)
        let interrupts = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupts.setEventHandler {
            if cancellation.isInterrupted { Foundation.exit(130) }
            cancellation.interrupt()
            console.printError("interrupted: reporting what was settled (Ctrl-C again to quit at once)")
        }
        interrupts.resume()
        defer {
            interrupts.cancel()
            signal(SIGINT, SIG_DFL)
        }
        return try execute(console, cancellation: cancellation)
    }

    /// Runs the check, stopping when `cancellation` says so (its time limit, or an interrupt).
    func execute(_ console: Console, cancellation: Cancellation) throws -> ExitStatus {
        let family = try configurationOptions.family()
        let spec = family.name
        for name in invariant where !family.invariantNames.contains(name) {
            throw UsageError("unknown invariant '\(name)' of spec '\(spec)'; known invariants: \(family.invariantNames.joined(separator: ", "))")
        }
        if exhaustive && maxStates != nil { throw UsageError("--exhaustive and --max-states contradict each other") }
        let instances = try configurationOptions.instances().instances
        for name in invariant {
            for instance in instances where !instance.spec.properties.contains(where: { $0.name == name }) {
                let settings = instance.configuration.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                throw UsageError("invariant '\(name)' is not stated by \(instance.variant ?? spec) with \(settings)"
                    + (name == "shutdown-safety" ? " (it needs --shutdown on)" : ""))
            }
        }
        let compareWithExpectations = configurationOptions.variant == nil && invariant.isEmpty && !family.variants.isEmpty
        let stateCap = exhaustive ? nil : (maxStates ?? family.defaultMaxStates)
        let showsProgress = !quiet && console.showsProgress
        guard let engine = self.engine ?? family.preferredEngine.map(EngineKind.init(parsing:)) ?? .auto else {
            throw InternalError("spec '\(spec)' prefers an unknown engine '\(family.preferredEngine ?? "")'")
        }
        let memory = try instances.map { try WeakMemoryRun($0.spec, requested: memoryModel, engine: engine) }
        let systems = memory.map(\.system)

        /// The report row of `result` of instance `i`, its counterexample labelled as a trace.
        func row(_ result: CheckResult, of i: Int) -> Report.Row {
            let instance = instances[i]
            return Report.Row(spec: systems[i].spec.name, variant: instance.variant, configuration: instance.configuration,
                              result: result,
                              trace: result.trace(in: systems[i], variant: instance.variant, configuration: instance.configuration),
                              expectation: instance.expectations(under: memory[i].model)?[result.invariant],
                              note: [instance.note, memory[i].note].compactMap { $0 }.joined(separator: "\n").nilIfEmpty)
        }

        if certificate != nil && instances.count != 1 {
            throw UsageError("--certificate is about one instance; this run checks \(instances.count) (give --variant and --core)")
        }
        let invariants = Locked(Array<(InductiveInvariant, LemmaSynthesis.Report)?>(repeating: nil, count: instances.count))

        // Variants are independent: check them side by side, one per core.
        let outcomes = Locked(Array<Result<Run, Error>?>(repeating: nil, count: instances.count))
        DispatchQueue.concurrentPerform(iterations: instances.count) { i in
            let instance = instances[i]
            let system = systems[i]
            let outcome = Result<Run, Error> {
                let names = memory[i].invariants(invariant.isEmpty
                    ? system.spec.properties.map(\.name).filter { $0 != WeakMemoryTransformation.historyBoundInvariant } : invariant)
                var progress: (@Sendable (Checking.Progress) -> Void)?
                let label = instance.variant.map { Report.label(variant: $0, configuration: instance.configuration, instances: instances) }
                    .map { memory[i].isWeak ? "\($0) [\(memory[i].model.rawValue)]" : $0 }
                if showsProgress {
                    let prefix = label.map { "\($0): " } ?? ""
                    progress = { p in console.printError(prefix + p.line) }
                }
                var options = CheckOptions(maxDepth: depth, maxStates: stateCap, timeoutSeconds: timeout, progress: progress)
                options.cancellation = cancellation
                options.useSymmetry = reduction.usesSymmetry
                options.usePartialOrderReduction = reduction.usesPartialOrder
                options.threads = threads ?? (instances.count == 1 ? ProcessInfo.processInfo.activeProcessorCount : 1)
                options.frames = frames
                if mineLemmas {
                    var limits = ReachableStateSample.Limits()
                    if let sampleStates { limits.breadthFirstStates = sampleStates }
                    var synthesis = LemmaSynthesis.Options(sample: limits)
                    synthesis.onInvariant = { found, report in invariants.update { $0[i] = (found, report) } }
                    if showsProgress {
                        let prefix = label.map { "\($0): " } ?? ""
                        synthesis.log = { line in console.printError(prefix + line) }
                    }
                    options.lemmaSynthesis = synthesis
                }
                let checker = Engines.make(engine, system: system, options: options)
                let start = Date()
                let listener = ClosureListener { settled in
                    // Under a weak model a proof waits for the history bound, known at the end.
                    guard let result = memory[i].reported([settled]).first, !(memory[i].isWeak && settled.verdict == .proved) else { return }
                    if stream {
                        console.print(Report.jsonLine(row(result, of: i), compareWithExpectations: compareWithExpectations, statistics: stats))
                    } else if showsProgress {
                        console.printError(Report.settledLine(result, label: label ?? spec, seconds: Date().timeIntervalSince(start)))
                    }
                }
                let run = try checker.check(names, listener: listener)
                let seconds = Date().timeIntervalSince(start)
                if showsProgress && seconds >= 1 {
                    console.printError("\(label ?? spec): checked \(names.count) invariants in \(String(format: "%.1f", seconds)) s")
                }
                return run
            }
            outcomes.update { $0[i] = outcome }
        }

        var rows: [Report.Row] = []
        for (i, outcome) in outcomes.value.enumerated() {
            rows += try memory[i].reported(outcome!.get().results).map { row($0, of: i) }
        }

        let report = Report(rows: rows, compareWithExpectations: compareWithExpectations)
        let comparison = try recordedBaseline().map {
            BaselineComparison(baseline: baseline ?? "", recorded: $0, run: BaselineComparison.outcomes(rows))
        }
        switch format {
        case .text: console.print(report.text())
        case .json where stream: break
        case .json: for line in report.jsonLines(statistics: stats) { console.print(line) }
        case .markdown: console.print(report.markdown())
        case .github: for line in githubLines(report, comparison) { console.print(line) }
        }
        if let comparison {
            switch format {
            case .markdown: console.print("\n" + comparison.markdown())
            case .github: break
            default: console.print("\n" + comparison.text())
            }
        }
        try write(jsonOutput, option: "--json-output", report.jsonLines(statistics: stats))
        try write(annotationsOutput, option: "--annotations-output", githubLines(report, comparison))
        if stats && format != .json { console.print(report.statisticsText()) }
        for (i, found) in invariants.value.enumerated() {
            guard let (invariant, synthesis) = found else { continue }
            let instance = instances[i]
            if format != .json {
                let label = instance.variant.map { Report.label(variant: $0, configuration: instance.configuration, instances: instances) } ?? spec
                console.print("\ninductive invariant of \(label): \(invariant.lemmas.count) lemmas with \(invariant.properties.joined(separator: ", ")) (\(synthesis.line))")
                console.print(invariant.text())
            }
            if let certificate {
                let document = ProofCertificate(invariant, variant: instance.variant, configuration: instance.configuration, report: synthesis)
                do { try document.encoded().write(to: URL(fileURLWithPath: certificate)) } catch {
                    throw UsageError("cannot write the certificate to \(certificate): \(error.localizedDescription)")
                }
                if showsProgress { console.printError("certificate written to \(certificate) (\(invariant.conjuncts.count) conjuncts)") }
            }
        }
        return report.exitStatus
    }

    /// The workflow annotations of `report` (``Format/github``), with warnings for what changed against the baseline.
    private func githubLines(_ report: Report, _ comparison: BaselineComparison?) -> [String] {
        var lines = GitHubAnnotations(report: report, source: try? String(contentsOfFile: GitHubAnnotations.invariantsFile, encoding: .utf8)).lines()
        for entry in comparison?.entries ?? [] where entry.change == .newViolation || entry.change == .lostViolation {
            lines.append("::warning title=\(GitHubAnnotations.escapeProperty("against the baseline"))::\(GitHubAnnotations.escapeData(entry.line))")
        }
        return lines
    }

    /// Writes `lines` to the file an output option names, if it names one.
    private func write(_ path: String?, option: String, _ lines: [String]) throws {
        guard let path else { return }
        let text = lines.map { $0 + "\n" }.joined()
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) } catch {
            throw UsageError("cannot write \(option) '\(path)': \(error.localizedDescription)")
        }
    }

    /// The results recorded in the --baseline file, or nil without one.
    func recordedBaseline() throws -> [BaselineComparison.Outcome]? {
        guard let baseline else { return nil }
        guard let data = FileManager.default.contents(atPath: baseline), let text = String(data: data, encoding: .utf8) else {
            throw UsageError("cannot read --baseline file '\(baseline)'")
        }
        return try BaselineComparison.outcomes(jsonLines: text, file: baseline)
    }
}

extension String {
    /// `nil` for the empty string.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
