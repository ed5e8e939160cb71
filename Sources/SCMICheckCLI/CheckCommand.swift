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

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

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

    @Option(name: .long, help: "Output format: text, json (one JSON object per line and invariant) or markdown (for a pull request).")
    var format: Format = .text

    @Flag(name: .long, help: "With --format json: print each result's line the moment it is settled (in the order settled, with the statistics of that moment) instead of all of them in order at the end.")
    var stream = false

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
    }

    func execute(_ console: Console) throws -> ExitStatus {
        let cancellation = Cancellation(timeLimit: timeLimit)
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
        switch format {
        case .text: console.print(report.text())
        case .json where stream: break
        case .json: for line in report.jsonLines(statistics: stats) { console.print(line) }
        case .markdown: console.print(report.markdown())
        }
        if stats && format != .json { console.print(report.statisticsText()) }
        return report.exitStatus
    }
}

extension String {
    /// `nil` for the empty string.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
