extension Trace {
    /// The trace as a Mermaid `sequenceDiagram`: one lifeline per CPU, then the IRQ path, the worker
    /// and the device; each step a note over the lifeline of the actor that took it.
    public func mermaidSequenceDiagram() -> String {
        var lifelines: [String] = []
        var lines: [String] = []
        for (index, step) in steps.enumerated().dropFirst() {
            guard let actor = step.actor else { continue }
            let lifeline = Self.lifeline(of: actor)
            if !lifelines.contains(lifeline) { lifelines.append(lifeline) }
            let who = actor.hasPrefix("timer") ? "deadline: " : ""
            lines.append("    Note over \(lifeline): \(index). \(who)\(Self.mermaidText(step.label))")
        }
        let ordered = lifelines.sorted { Self.order($0) < Self.order($1) }
        return (["```mermaid", "sequenceDiagram"] + ordered.map { "    participant \($0)" } + lines + ["```"])
            .joined(separator: "\n")
    }

    /// The trace as a Markdown table: step, actor, action, what changed.
    public func markdownTable() -> String {
        var rows = ["| # | actor | action | what changed |", "|---|---|---|---|"]
        for index in steps.indices.dropFirst() {
            let step = steps[index]
            let changed = changes(at: index).joined(separator: ", ")
            rows.append("| \(index) | \(Self.cell(step.actor ?? "")) | \(Self.cell(step.label)) | \(Self.cell(changed.isEmpty ? "(no change)" : changed)) |")
        }
        return rows.joined(separator: "\n")
    }

    /// `sender[cpu1]` and `timer[cpu1]` share the lifeline `cpu1`; other actors are their own.
    static func lifeline(of actor: String) -> String {
        if let open = actor.firstIndex(of: "["), actor.hasSuffix("]") {
            return String(actor[actor.index(after: open)..<actor.index(before: actor.endIndex)])
        }
        return actor
    }

    private static func order(_ lifeline: String) -> String {
        switch lifeline {
        case "irq": return "1"
        case "worker": return "2"
        case "device": return "3"
        default: return "0" + lifeline
        }
    }

    private static func mermaidText(_ text: String) -> String {
        String(text.map { ";#:".contains($0) ? " " : $0 })
    }

    private static func cell(_ text: String) -> String {
        text.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    }
}
