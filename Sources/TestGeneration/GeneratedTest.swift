import Traces
import TransitionSystems
import VirtioSCMI
import Vocabulary

/// One counterexample as a generated XCTest file: its names, and its Swift source.
///
/// The file reads as the story of the trace: a header naming the variant, the invariant,
/// the depth, the configuration and the command that regenerates it; the steps, one line
/// each in the spec's words; and two tests that replay them through ``replay(trace:variant:options:)``.
/// The first expects the violation on the variant that has the bug, at the trace's last step
/// (or, when the implementation cannot follow the trace, the recorded divergence, a finding);
/// the second expects every invariant to hold on `fixed` along the same schedule, with the
/// steps that do not apply there skipped as recorded (or, when `fixed` has the bug too, pins
/// the violations it records there: `testFixedAlsoViolates...`).
///
/// A trace with shutdown or execution contexts (`#meta.configuration.shutdown`, `contexts`) says
/// so in its header, and its names end in `Shutdown` or `Contexts` (after the sizes and the core
/// when they differ from 2 CPUs and 2 buffers with the variant's first core).
///
/// A weak counterexample (its `#meta.configuration` names the memory model `lkmm-nolb`) replays
/// with the implementation's weak reads observing the writes the trace's took (see
/// ``replay(trace:variant:options:)``). Its file says which, its names end in `UnderLKMMNoLB`,
/// and it has a third test: with every read observing the newest write (sequential
/// consistency) the run keeps the invariant, so the stale read is what breaks it. On `fixed`
/// it records the steps whose read its memory model refused (the acquire saw the release).
public struct GeneratedTest: Sendable {
    public let trace: Trace
    public let variant: Variant
    public let invariant: String
    /// The command that regenerates the file.
    public let command: String
    /// The replay on `variant`, with conformance checks.
    public let outcome: ReplayOutcome
    /// The replay of the schedule on `fixed`.
    public let fixedOutcome: ReplayOutcome
    /// The memory model the trace is a run under (`#meta.configuration.memory-model`; `sc` when absent).
    public let memoryModel: MemoryModelKind
    /// For a weak trace, the replay on `variant` with every read observing the newest write.
    public let newestWritesOutcome: ReplayOutcome?
    /// What each step does in the spec's words, by process and action.
    private let docs: [String: [String: String]]

    /// Replays `trace`, a counterexample to `invariant` on the variant it names, both ways and keeps the results.
    public init(trace: Trace, invariant: String, command: String) throws {
        self.trace = trace
        guard let name = trace.variant else { throw TraceError.inconsistent("the trace names no variant in #meta.variant") }
        do { variant = try Variant.named(name) } catch { throw TraceError.inconsistent("\(error)") }
        self.invariant = invariant
        self.command = command
        memoryModel = try Self.memoryModel(of: trace)
        outcome = try replay(trace: trace, variant: variant)
        if memoryModel == .sc {
            newestWritesOutcome = nil
        } else {
            var newest = ReplayOptions.conformance
            newest.weakReads = .newest
            newestWritesOutcome = try replay(trace: trace, variant: variant, options: newest)
        }
        fixedOutcome = try replay(trace: trace, variant: .fixed, options: .schedule)
        docs = try TraceSpec(trace: trace, variant: variant, switches: nil).docs
    }

    /// The memory model a trace names in `#meta.configuration.memory-model`, read strictly.
    public static func memoryModel(of trace: Trace) throws -> MemoryModelKind {
        guard let name = trace.configuration["memory-model"] else { return .sc }
        guard let model = MemoryModelKind(rawValue: name) else {
            throw TraceError.inconsistent("#meta.configuration.memory-model is '\(name)', not one of \(MemoryModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return model
    }

    /// The variant's name, as the spec and the implementation spell it.
    public var variantName: String { variant.rawValue }

    /// `V4ProposalNoUseAfterRelease`, the stem of the names.
    public var stem: String {
        Self.camelCase(variant.rawValue) + Self.camelCase(invariant) + configurationSuffix + modelSuffix
    }

    /// Empty under sequential consistency; `UnderLKMMNoLB` for a weak trace.
    private var modelSuffix: String {
        switch memoryModel {
        case .sc: return ""
        case .lkmmNoLB: return "UnderLKMMNoLB"
        }
    }

    public var className: String { stem + "Tests" }
    public var fileName: String { className + ".swift" }
    /// The trace's file name in `Traces/`.
    public var traceFileName: String {
        ([variant.rawValue, invariant] + configurationParts.map { $0.lowercased() } + (memoryModel == .sc ? [] : [memoryModel.rawValue]))
            .joined(separator: "-") + ".json"
    }

    /// Whether the implementation followed the trace and reproduced the violation at its last step
    /// (for a weak trace: and keeps the invariant when every read observes the newest write).
    public var conforms: Bool {
        outcome.divergence == nil && outcome.record.firstViolation(of: invariant) == trace.depth && needsItsWeakReads
    }

    /// Whether the violation needs the weak reads: with every read observing the newest write the
    /// implementation follows the trace and keeps the invariant (true for a trace under `sc`).
    public var needsItsWeakReads: Bool {
        guard let newest = newestWritesOutcome else { return true }
        return newest.divergence == nil && newest.record.firstViolation(of: invariant) == nil
    }

    /// The weak reads of the replay on `variant`: `step 17: buf1.rx_len: write 0, 1 newer write not visible`.
    public var weakReads: [String] {
        outcome.record.steps.flatMap { step in step.weakReads.map { "step \(step.number): \($0)" } }
    }

    /// The invariants the replay on `variant` recorded, with the step each was first seen at.
    private var recordedInvariants: String {
        let names = outcome.record.violatedInvariants
        guard !names.isEmpty else { return "no violation" }
        return names.map { "\($0) (step \(outcome.record.firstViolation(of: $0) ?? 0))" }.joined(separator: ", ")
    }

    /// The trace's sizes and core, as `#meta.configuration` records them (defaults where it omits one).
    public var configuration: (cpus: String, buffers: String, core: String) {
        (trace.configuration["cpus"] ?? "2", trace.configuration["buffers"] ?? "2",
         trace.configuration["core"] ?? variant.coresMet[0].rawValue)
    }

    /// Whether the trace races `chan_free` with the traffic (`#meta.configuration.shutdown`).
    private var shutdown: Bool { trace.configuration["shutdown"] == "on" }

    /// The token space with token reuse (`#meta.configuration.tokens`), nil with a token per transfer.
    private var tokens: String? { trace.configuration["tokens"].flatMap { $0 == "unique" ? nil : $0 } }

    /// The CPU every interrupt goes to with execution contexts (`any` or a number), nil without them.
    private var contexts: String? {
        trace.configuration["contexts"] == "on" ? trace.configuration["irq-cpu"] ?? "any" : nil
    }

    /// What differs from 2 CPUs and 2 buffers with the variant's own core (the first it met),
    /// without contexts, shutdown or token reuse: `C1B1`, `Core2022`, `ContextsIrqCpu0`, `Shutdown`, `Tokens1`.
    private var configurationParts: [String] {
        let c = configuration
        var parts: [String] = []
        if (c.cpus, c.buffers) != ("2", "2") { parts.append("C\(c.cpus)B\(c.buffers)") }
        if c.core != variant.coresMet[0].rawValue { parts.append("Core\(Self.camelCase(c.core))") }
        if let irq = contexts { parts.append("Contexts" + (irq == "any" ? "" : "IrqCpu\(irq)")) }
        if shutdown { parts.append("Shutdown") }
        if let tokens { parts.append("Tokens\(tokens)") }
        return parts
    }

    /// Empty at the default configuration; else what differs.
    private var configurationSuffix: String { configurationParts.joined() }

    /// The settings that differ from the default run's: `contexts on (irq-cpu any)`, `shutdown on`,
    /// `1 token reused`; empty without any.
    public var settings: [String] {
        (contexts.map { ["contexts on (irq-cpu \($0))"] } ?? []) + (shutdown ? ["shutdown on"] : [])
            + (tokens.map { ["\($0) token\($0 == "1" ? "" : "s") reused"] } ?? [])
    }

    /// `, contexts on (irq-cpu any), shutdown on, 1 token reused` for the header; empty without any.
    private var settingsDescription: String { settings.map { ", " + $0 }.joined() }

    // MARK: - Source

    /// The test file's Swift source, deterministic.
    public var source: String {
        let c = configuration
        let depth = trace.depth
        var lines: [String] = [
            "import TestGeneration",
            "import Traces",
            "import VirtioSCMI",
            "import Vocabulary",
            "import XCTest",
            "",
            "/// \(variant.rawValue) violates \(invariant) after \(depth) steps.",
            "///",
            "/// - Variant: \(variant.rawValue)",
            "/// - Invariant: \(invariant)",
            "/// - Depth: \(depth)",
            "/// - Configuration: \(c.cpus) CPU\(c.cpus == "1" ? "" : "s"), \(c.buffers) buffer\(c.buffers == "1" ? "" : "s"), \(c.core) core\(settingsDescription)",
        ]
        if memoryModel != .sc { lines.append("/// - Memory model: \(memoryModel.rawValue) (\(memoryModel.summary))") }
        lines += [
            "/// - Trace: Traces/\(traceFileName)",
            "/// - Regenerate: `\(command)`",
            "///",
            "/// The explicit-state checker's shortest counterexample, replayed against the channel",
            "/// implementation. Generated: edit the spec or the generator, never this file.",
        ]
        if memoryModel != .sc {
            lines += [
                "///",
                "/// Weak reads: the implementation's reads observe the writes the trace's took (its controlled",
                "/// runtime keeps each weak field's writes and each actor's view, see `MemoryViews`):",
            ]
            lines += weakReads.map { "/// - \($0)" }
        }
        if let divergence = outcome.divergence {
            lines += [
                "///",
                "/// Finding: the implementation cannot follow this trace: \(divergence).",
                "/// The model and the code disagree here; the test pins the disagreement until one of them changes.",
            ]
        } else if outcome.record.firstViolation(of: invariant) == depth && !needsItsWeakReads {
            lines += [
                "///",
                "/// Finding: the implementation also records \(invariant) when every read observes the newest write:",
                "/// the violation does not need the weak reads, so this file pins what the newest-write replay records.",
            ]
        } else if !conforms {
            let seen = outcome.record.firstViolation(of: invariant).map { "at step \($0)" } ?? "nowhere"
            lines += [
                "///",
                "/// Finding: the implementation follows every step but records \(invariant) \(seen), not at step \(depth);",
                "/// it records \(recordedInvariants). The model and the code judge this run differently; the test pins",
                "/// what the implementation records until one of them changes.",
            ]
        }
        lines += [
            "final class \(className): XCTestCase {",
            "    /// The counterexample, one spec step a line.",
            "    static let story = [",
        ]
        for (index, step) in trace.steps.dropFirst().enumerated() {
            let process = step.actor.map { String($0.prefix { $0 != "[" }) } ?? ""
            let doc = step.action.flatMap { docs[process]?[$0] }.map { " \($0)" } ?? ""
            lines.append("        \(Self.literal(trace.story[index])), // \(index + 1).\(doc)")
        }
        lines += [
            "    ]",
            "",
            "    private func trace() throws -> Trace {",
            "        try Trace.generated(\(Self.literal(traceFileName)), beside: #filePath, story: Self.story)",
            "    }",
            "",
        ]
        let name = Self.camelCase(variant.rawValue)
        let weakReadsHold = memoryModel != .sc && outcome.divergence == nil && outcome.record.firstViolation(of: invariant) == depth
        if let divergence = outcome.divergence {
            lines += [
                "    func test\(name)DivergesFromTheTraceAsRecorded() throws {",
                "        let outcome = try replay(trace: try trace(), variant: try .named(\(Self.literal(variant.rawValue))))",
                "        XCTAssertEqual(outcome.divergence?.description, \(Self.literal(divergence.description)), \"\\(outcome)\")",
                "    }",
            ]
        } else if conforms || weakReadsHold {
            lines += [
                "    func test\(name)Violates\(Self.camelCase(invariant))AtStep\(depth)() throws {",
                "        let outcome = try replay(trace: try trace(), variant: try .named(\(Self.literal(variant.rawValue))))",
                "        XCTAssertNil(outcome.divergence, \"\\(outcome)\")",
                "        XCTAssertEqual(outcome.record.firstViolation(of: \(Self.literal(invariant))), \(depth), \"\\(outcome)\")",
            ]
            if memoryModel != .sc {
                lines.append("        XCTAssertEqual(outcome.record.steps.flatMap(\\.weakReads), [\(outcome.record.steps.flatMap(\.weakReads).map(Self.literal).joined(separator: ", "))], \"\\(outcome)\")")
            }
            lines.append("    }")
            if let newest = newestWritesOutcome {
                let first = newest.record.firstViolation(of: invariant).map(String.init) ?? "nil"
                lines += [
                    "",
                    "    func test\(name)\(first == "nil" ? "Keeps" : "StillViolates")\(Self.camelCase(invariant))WhenEveryReadObservesTheNewestWrite() throws {",
                    "        var options = ReplayOptions.conformance",
                    "        options.weakReads = .newest",
                    "        let outcome = try replay(trace: try trace(), variant: try .named(\(Self.literal(variant.rawValue))), options: options)",
                    "        XCTAssertNil(outcome.divergence, \"\\(outcome)\")",
                    "        XCTAssertEqual(outcome.record.firstViolation(of: \(Self.literal(invariant))), \(first), \"\\(outcome)\")",
                    "    }",
                ]
            }
        } else {
            let first = outcome.record.firstViolation(of: invariant).map(String.init) ?? "nil"
            lines += [
                "    func test\(name)FollowsTheTraceButRecordsOtherViolations() throws {",
                "        let outcome = try replay(trace: try trace(), variant: try .named(\(Self.literal(variant.rawValue))))",
                "        XCTAssertNil(outcome.divergence, \"\\(outcome)\")",
                "        XCTAssertEqual(outcome.record.firstViolation(of: \(Self.literal(invariant))), \(first), \"\\(outcome)\")",
                "        XCTAssertEqual(outcome.record.violatedInvariants, [\(outcome.record.violatedInvariants.map(Self.literal).joined(separator: ", "))], \"\\(outcome)\")",
                "    }",
            ]
        }
        let skipped = fixedOutcome.record.skippedSteps.map(String.init).joined(separator: ", ")
        if fixedOutcome.record.violations.isEmpty {
            lines += [
                "",
                "    func testFixedKeepsEveryInvariantOnTheSameSchedule() throws {",
                "        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)",
                "        XCTAssertEqual(outcome.record.violations, [], \"\\(outcome)\")",
            ]
        } else {
            // fixed has the bug too: the file pins what it records on the same schedule.
            let fixedViolations = fixedOutcome.record.violatedInvariants
            let firsts = fixedViolations.map { "\(Self.literal($0)): \(fixedOutcome.record.firstViolation(of: $0)!)" }.joined(separator: ", ")
            lines += [
                "",
                "    func testFixedAlsoViolates\(fixedViolations.map(Self.camelCase).joined(separator: "And"))OnTheSameSchedule() throws {",
                "        let outcome = try replay(trace: try trace(), variant: .fixed, options: .schedule)",
                "        let firsts = Dictionary(uniqueKeysWithValues: outcome.record.violatedInvariants.map { ($0, outcome.record.firstViolation(of: $0)!) })",
                "        XCTAssertEqual(firsts, [\(firsts)], \"\\(outcome)\")",
            ]
        }
        lines.append("        XCTAssertEqual(outcome.record.skippedSteps, [\(skipped)], \"\\(outcome)\")")
        if memoryModel != .sc {
            let refused = fixedOutcome.record.refusedReads.map(String.init).joined(separator: ", ")
            lines.append("        XCTAssertEqual(outcome.record.refusedReads, [\(refused)], \"\\(outcome)\")")
        }
        lines += [
            "    }",
            "}",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `v4-proposal` → `V4Proposal`.
    static func camelCase(_ name: String) -> String {
        name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A Swift string literal.
    static func literal(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return "\"\(escaped)\""
    }
}
