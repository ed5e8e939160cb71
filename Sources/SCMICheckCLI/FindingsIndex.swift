import TestGeneration
import Traces
import TransitionSystems
import TransportSpec
import Vocabulary

/// `Generated/FINDINGS.md`: one row per generated test, the index the README's findings tables
/// link to. Written with the tests and traces, so `make verify-generated` keeps it current.
enum FindingsIndex {
    static let fileName = "FINDINGS.md"

    /// The index of `tests`, in the order they are generated; deterministic.
    static func markdown(_ tests: [GeneratedTest]) -> String {
        var lines = [
            "# Findings with generated tests",
            "",
            "Written by `scmi-check generate` (do not edit): every recorded finding, the configuration it",
            "was found in, where its last step runs in the kernel, what the channel implementation does on",
            "its schedule, and what `fixed` does on the same schedule. Depth counts steps of the model.",
            "",
            "| variant | core | configuration | invariant | depth | breaks in | implementation | `fixed` on the schedule | test (trace) |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for test in tests {
            let c = test.configuration
            let configuration = (["\(c.cpus) × \(c.buffers)"] + test.settings + (test.memoryModel == .sc ? [] : [test.memoryModel.rawValue]))
                .joined(separator: ", ")
            lines.append("| `\(test.variantName)` | \(c.core) | \(configuration) | \(test.invariant) | \(test.trace.depth) | "
                + "\(breaksIn(test)) | \(implementation(test)) | \(fixed(test)) | "
                + "[\(test.className)](\(test.fileName)) ([trace](Traces/\(test.traceFileName))) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The kernel function(s) whose code the trace's last step runs, `file:function`.
    private static func breaksIn(_ test: GeneratedTest) -> String {
        guard let step = test.trace.steps.last, let actor = step.actor, let action = step.action else { return "" }
        let process = actor.firstIndex(of: "[").map { String(actor[..<$0]) } ?? actor
        guard let configuration = try? test.trace.transportConfiguration(variant: test.variant),
              let instance = try? TransportSpec.build(configuration),
              let entry = instance.counterparts.entry(process: process, action: action) else { return "" }
        switch entry.counterpart {
        case .code(let begins):
            var seen: [String] = []
            for location in begins.map(KernelSource.location(of:)) where !seen.contains(location) { seen.append(location) }
            return seen.map { "`\($0)`" }.joined(separator: ", ")
        case .deviceReply: return "the device's reply"
        case .deadline: return "the deadline"
        }
    }

    private static func implementation(_ test: GeneratedTest) -> String {
        if test.conforms { return "reproduces at step \(test.trace.depth)" }
        if test.outcome.divergence != nil { return "diverges (pinned in the test)" }
        let seen = test.outcome.record.firstViolation(of: test.invariant).map { "at step \($0)" } ?? "nowhere"
        return "follows; records it \(seen) (pinned in the test)"
    }

    private static func fixed(_ test: GeneratedTest) -> String {
        let violated = test.fixedOutcome.record.violatedInvariants
        return violated.isEmpty ? "keeps every invariant" : "violates " + violated.joined(separator: ", ")
    }
}
