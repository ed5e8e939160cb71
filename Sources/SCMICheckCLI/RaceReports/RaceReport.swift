import TestGeneration
import Traces
import TransportSpec
import Vocabulary

/// A race report on one counterexample of the transport spec, as kernel developers write them:
/// a subject, what breaks and its consequence, the interleaving in CPU columns, the
/// configuration it needs, how likely it is, the fix and the evidence for it, and how to see
/// it again. Rendered as plain text for mail (``text()``) or Markdown for a tracker (``markdown()``).
struct RaceReport {
    let variant: Variant
    let property: Property
    let core: CoreVersion
    let trace: Trace
    let story: FindingStory
    let interleaving: Interleaving
    /// The schedule replayed against the implementation of `fixed`, when the trace is not one of `fixed`.
    let fixedReplay: (violations: [String], skipped: Int)?
    /// The generated test and the trace file of this finding, when the trace is a recorded finding.
    let recorded: (test: String, trace: String)?

    init(trace: Trace, variant: Variant, property: Property, core: CoreVersion, counterparts: StepCounterparts, recorded: Bool) throws {
        self.variant = variant
        self.property = property
        self.core = core
        self.trace = trace
        story = FindingStories.story(variant: variant, property: property)
        interleaving = Interleaving(trace: trace, counterparts: counterparts)
        let test = try GeneratedTest(trace: trace, invariant: property.rawValue, command: GenerateCommand.regenerationCommand)
        fixedReplay = variant == .fixed ? nil
            : (test.fixedOutcome.record.violatedInvariants, test.fixedOutcome.record.skippedSteps.count)
        self.recorded = recorded ? ("Generated/\(test.fileName)", "Generated/Traces/\(test.traceFileName)") : nil
    }

    // MARK: - Parts

    var subject: String { "[BUG] firmware: arm_scmi: virtio: \(story.subject)" }

    var cpus: Int { Int(trace.configuration["cpus"] ?? "") ?? 2 }
    var buffers: Int { Int(trace.configuration["buffers"] ?? "") ?? 2 }

    /// The interleaving's caption.
    var caption: String {
        let summarised = interleaving.summarisedSteps
        let key = interleaving.keyBuffers.joined(separator: " and ")
        return "The interleaving, \(trace.depth) steps of the model"
            + (summarised == 0 ? "" : " (\(summarised) not involving \(key.isEmpty ? "the buffers at fault" : key) summarised in parentheses)")
            + ". A row is one kernel call or access; '~~' rows are the device, '!!' rows where the property breaks:"
    }

    /// The configuration the interleaving needs, one item each.
    var configurationItems: [String] {
        let actors = Set(trace.steps.dropFirst().compactMap { $0.actor }.map(TraceActor.init))
        let cpusUsed = Set(actors.compactMap(\.cpu)).sorted()
        var polled: Set<String> = [], plain: Set<String> = []
        for step in trace.steps.dropFirst() {
            guard let cpu = step.actor.map(TraceActor.init)?.cpu, let p = step.parameters.first(where: { $0.name == "polled" }) else { continue }
            if p.value == "true" { polled.insert(cpu.uppercased()) } else { plain.insert(cpu.uppercased()) }
        }
        let replies = trace.steps.filter { $0.actor == "device" }.count
        let deadlines = trace.steps.filter { $0.actor.map(TraceActor.init)?.process == "timer" }.count
        var items = [
            "CPUs: \(cpus) (\(cpusUsed.map { $0.uppercased() }.joined(separator: " and ")) \(cpusUsed.count == 1 ? "runs" : "run") transfers"
                + (actors.contains { $0.process == "irq" } ? "; the IRQ path may run on any CPU)" : ")"),
            "TX message buffers: \(buffers)",
            "transfers: " + [polled.isEmpty ? nil : "polled on \(polled.sorted().joined(separator: ", "))",
                             plain.isEmpty ? nil : "not polled on \(plain.sorted().joined(separator: ", "))"].compactMap { $0 }.joined(separator: "; "),
            "SCMI core: \(coreText)",
            "device: \(replies) repl\(replies == 1 ? "y" : "ies"); deadlines passing: \(deadlines)",
            "memory model: \(FixEvidence.memoryModel)",
        ]
        if actors.contains(where: { $0.process == "worker" }) { items.insert("the deferred TX worker runs", at: 3) }
        return items
    }

    private var coreText: String {
        switch core {
        case .current: return "current (driver.c:scmi_wait_for_reply with the 2025 fix of the polling timeout checks)"
        case .y2022: return "2022 (driver.c:scmi_wait_for_reply before the 2025 fix)"
        case .described: return "the reference page's reading of the current driver.c:scmi_wait_for_reply"
        }
    }

    /// The evidence that the fix is enough, one item each.
    var evidenceItems: [String] {
        let fixedSwitches = Variant.fixed.differences.map(\.rawValue).joined(separator: ", ")
        var items = [
            "fixed is upstream with the switches \(fixedSwitches); this finding's part is \(story.switches.map(\.rawValue).joined(separator: ", "))."
        ]
        for proof in FixEvidence.proofs {
            let states = proof.states > 0 ? ", \(Self.grouped(proof.states)) states" : ""
            items.append("fixed is proved at \(proof.configuration), memory model \(proof.memoryModel), every reachable state\(states) (\(proof.command)).")
        }
        if let fixedReplay {
            let verdict = fixedReplay.violations.isEmpty ? "keeps every property" : "breaks \(fixedReplay.violations.joined(separator: ", "))"
            let skipped = fixedReplay.skipped == 0 ? "" : " (\(fixedReplay.skipped) steps do not apply there and are skipped)"
            items.append("This schedule, replayed on the implementation of fixed through the deterministic scheduler, \(verdict)\(skipped)"
                         + (recorded.map { "; \($0.test) asserts it." } ?? "."))
        }
        items.append(FixEvidence.stress + ".")
        return items
    }

    /// `7,998,912`.
    static func grouped(_ n: Int) -> String {
        var digits = String(n)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        return ([digits] + groups).joined(separator: ",")
    }

    /// How to see it again.
    var reproduceItems: [String] {
        var command = "scmi-check report --variant \(variant) --invariant \(property)"
        if core != variant.coresMet[0] { command += " --core \(core)" }
        if cpus != 2 || buffers != 2 { command += " --cpus \(cpus) --buffers \(buffers)" }
        var items = [command]
        if let recorded {
            items.append("trace: \(recorded.trace)")
            items.append("scmi-check trace \(recorded.trace)")
            items.append("test: \(recorded.test)")
        }
        return items
    }

    /// Who has to line up with whom, counted from the interleaving.
    var likelihoodFacts: String {
        let lanes = interleaving.lanes
        return "In the model it takes \(trace.depth) steps with \(lanes.joined(separator: ", ")) taking part."
    }

    // MARK: - Text

    /// The report as a mail: prose wrapped at 72 columns, the diagram at most 100.
    func text() -> String {
        var lines = ["Subject: \(subject)", ""]
        func paragraph(_ text: String) { lines += Prose.wrap(text); lines.append("") }
        func heading(_ text: String) { lines.append(text); lines.append("") }
        func items(_ list: [String]) {
            for item in list { lines += Prose.wrap(item, indent: "  ", firstIndent: "- ") }
            lines.append("")
        }
        paragraph("Found by scmi-check, a model checker for the SCMI virtio transport, on the variant \(variant), \(variant.summary), with the \(core) SCMI core: the property \(property) breaks.")
        paragraph(story.breaks)
        paragraph(story.consequence)
        paragraph(caption)
        lines += interleaving.lines()
        lines.append("")
        lines += Prose.wrap("Files: " + KernelSource.files.map { "\($0.short) is \($0.path)" }.joined(separator: "; ") + ".")
        lines.append("")
        heading("Configuration needed:")
        items(configurationItems)
        heading("How likely:")
        paragraph(story.likelihood + " " + likelihoodFacts)
        heading("Fix:")
        paragraph(story.fix)
        heading("Evidence:")
        items(evidenceItems)
        heading("Reproduce:")
        for item in reproduceItems { lines.append("  " + item) }
        return lines.joined(separator: "\n")
    }

    // MARK: - Markdown

    /// The report for a pull request or an issue tracker.
    func markdown() -> String {
        var lines = ["## \(subject)", ""]
        func section(_ title: String) { lines.append("### \(title)"); lines.append("") }
        func paragraph(_ text: String) { lines.append(text); lines.append("") }
        func items(_ list: [String]) { lines += list.map { "- \($0)" }; lines.append("") }
        paragraph("Found by scmi-check on the variant `\(variant)`, \(variant.summary), with the \(core) SCMI core: `\(property)` breaks.")
        section("What breaks")
        paragraph(story.breaks)
        paragraph(story.consequence)
        section("Interleaving")
        paragraph(caption)
        lines.append("```text")
        lines += interleaving.lines()
        lines.append("```")
        lines.append("")
        paragraph("Files: " + KernelSource.files.map { "`\($0.short)` is `\($0.path)`" }.joined(separator: "; ") + ".")
        section("Configuration needed")
        items(configurationItems)
        section("How likely")
        paragraph(story.likelihood + " " + likelihoodFacts)
        section("Fix")
        paragraph(story.fix)
        section("Evidence")
        items(evidenceItems)
        section("Reproduce")
        lines.append("```sh")
        lines += reproduceItems.map { $0.hasPrefix("scmi-check") ? $0 : "# " + $0 }
        lines.append("```")
        return lines.joined(separator: "\n")
    }
}
