/// Renders a spec for review: domains, variables, each process's steps with guard, effect and
/// source lines, the invariants in plain words; in Markdown, with Mermaid state diagrams.
///
/// A spec can be rendered whole, or as its difference from another spec (a variant from the
/// variant it derives from): only the variables and steps that were added, removed or changed.
public struct SpecRenderer {
    public enum Format: String, CaseIterable, Sendable { case text, markdown }

    public let spec: Spec
    public let format: Format
    /// Variables whose values get a Mermaid state diagram (the spec family's ``SpecFamily/diagramVariables``).
    public let diagramVariables: [String]

    public init(_ spec: Spec, format: Format, diagramVariables: [String] = []) {
        self.spec = spec
        self.format = format
        self.diagramVariables = diagramVariables
    }

    // MARK: - Whole spec

    /// The whole spec.
    public func render() -> String {
        var out: [String] = []
        out.append(heading(1, "Spec \(spec.name)"))
        if !spec.doc.isEmpty { out.append(spec.doc) }
        out.append(heading(2, "Domains"))
        out.append(contentsOf: domains().map { bullet("\($0)") })
        out.append(heading(2, "State variables"))
        out.append(contentsOf: spec.variables.map { bullet(describe($0)) })
        for process in spec.processes {
            out.append(heading(2, "Process \(process.name)" + (process.instance.map { " (one per \($0.domain.name), as `\($0.name)`)" } ?? "")))
            if format == .markdown, let pc = process.pc {
                out.append(mermaidProgramCounter(process, pc))
            }
            for action in process.actions {
                out.append("")
                out.append(contentsOf: describe(action).enumerated().map { $0.offset == 0 || format == .markdown ? $0.element : "  " + $0.element })
            }
        }
        for name in diagramVariables where format == .markdown {
            guard let diagram = mermaidValueDiagram(variableNamed: name) else { continue }
            out.append(heading(2, name))
            out.append(diagram)
        }
        out.append(heading(2, "Invariants"))
        for invariant in spec.invariants {
            let role = invariant.role == .lemma ? " (lemma)" : ""
            out.append(bullet(code(invariant.name) + role + ": " + invariant.doc))
            out.append(indent(code(invariant.condition.description)))
        }
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: - Difference from a base

    /// What `spec` changes relative to `base`: variables and steps added, removed or changed.
    public func renderDifference(from base: Spec, baseName: String, name: String) -> String {
        var out: [String] = [heading(1, "Variant \(name) (derived from \(baseName))")]
        let baseVariables = Set(base.variables.map(\.name)), variables = Set(spec.variables.map(\.name))
        let addedVariables = spec.variables.filter { !baseVariables.contains($0.name) }
        let removedVariables = base.variables.filter { !variables.contains($0.name) }
        if !addedVariables.isEmpty || !removedVariables.isEmpty {
            out.append(heading(2, "State variables"))
            out.append(contentsOf: addedVariables.map { bullet("added: " + describe($0)) })
            out.append(contentsOf: removedVariables.map { bullet("removed: " + code($0.name)) })
        }
        let baseActions = Dictionary(base.actions.map { ($0.qualifiedName, $0) }, uniquingKeysWith: { a, _ in a })
        let actions = Dictionary(spec.actions.map { ($0.qualifiedName, $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [String] = []
        for action in spec.actions {
            if let old = baseActions[action.qualifiedName] {
                if describe(old) != describe(action) {
                    changes.append(contentsOf: [bullet("changed: " + code(action.qualifiedName)), indent("was:")])
                    changes.append(contentsOf: describe(old).map { indent($0) })
                    changes.append(indent("now:"))
                    changes.append(contentsOf: describe(action).map { indent($0) })
                }
            } else {
                changes.append(bullet("added: " + code(action.qualifiedName)))
                changes.append(contentsOf: describe(action).map { indent($0) })
            }
        }
        for action in base.actions where actions[action.qualifiedName] == nil {
            changes.append(bullet("removed: " + code(action.qualifiedName)))
        }
        out.append(heading(2, "Steps"))
        out.append(contentsOf: changes.isEmpty ? ["(no step differs)"] : changes)
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: - Pieces

    private func describe(_ variable: Variable) -> String {
        let shape = variable.index.map { "[\($0.name)] -> \(variable.domain.name)" } ?? variable.domain.name
        return code(variable.name) + ": " + shape + (variable.doc.isEmpty ? "" : " — " + variable.doc)
    }

    private func describe(_ action: Action) -> [String] {
        var parameters = action.parameters.map { "\($0.name) \\in \($0.domain.name)" }
        if let instance = action.instance { parameters.insert("\(instance.name) \\in \(instance.domain.name)", at: 0) }
        let title = action.name + (parameters.isEmpty ? "" : "(\(parameters.joined(separator: ", ")))")
        var lines = [format == .markdown ? "**\(title)**" : title]
        if !action.doc.isEmpty { lines.append(action.doc) }
        if !action.source.isEmpty { lines.append(bullet("kernel: " + action.source)) }
        let guardText = action.guards.isEmpty ? "TRUE" : action.guards.map(\.description).joined(separator: " /\\ ")
        lines.append(bullet("when: " + code(guardText)))
        for update in action.updates { lines.append(bullet("then: " + code(update.description))) }
        return lines
    }

    private func heading(_ level: Int, _ text: String) -> String {
        switch format {
        case .markdown: return "\n" + String(repeating: "#", count: level) + " " + text + "\n"
        case .text: return level == 3 ? "\n  " + text : "\n" + text + "\n" + String(repeating: level == 1 ? "=" : "-", count: text.count)
        }
    }

    private func bullet(_ text: String) -> String { format == .markdown ? "- " + text : "    " + text }
    private func indent(_ text: String) -> String { format == .markdown ? "  " + text : "        " + text }
    private func code(_ text: String) -> String { format == .markdown ? "`" + text.map { $0 == "`" ? "'" : String($0) }.joined() + "`" : text }

    /// Every domain the variables and parameters use, in order of first use.
    private func domains() -> [Domain] {
        var seen = Set<String>(), result: [Domain] = []
        func add(_ d: Domain) {
            if d.kind == .boolean { return }
            if seen.insert(d.name).inserted { result.append(d) }
        }
        for v in spec.variables { v.index.map(add); add(v.domain) }
        for a in spec.actions { a.allParameters.forEach { add($0.domain) } }
        return result
    }

    // MARK: - Mermaid

    /// A `stateDiagram-v2` of a process's program counter: one edge per step from its `from:` label
    /// to each label it can move to.
    private func mermaidProgramCounter(_ process: Process, _ pc: Variable) -> String {
        var edges: [String] = []
        for action in process.actions {
            let from = action.guards.compactMap { labelCompared(in: $0, variable: pc.name) }.first
            for to in labelsAssigned(in: action.updates, variable: pc.name) {
                edges.append("    \(mermaidID(from ?? "[*]")) --> \(mermaidID(to)) : \(action.name)")
            }
        }
        let initial = pc.domain.valueNames.first.map { "    [*] --> \(mermaidID($0))" } ?? ""
        return (["```mermaid", "stateDiagram-v2", initial] + unique(edges) + ["```"]).joined(separator: "\n")
    }

    /// A `stateDiagram-v2` of the values an array variable's elements take: an edge for each step that
    /// assigns a literal, from the literal its guard or `If` compares the same element with (or any value).
    private func mermaidValueDiagram(variableNamed name: String) -> String? {
        guard let variable = spec.variables.first(where: { $0.name == name }) else { return nil }
        var edges: [String] = []
        for action in spec.actions {
            for (condition, target, value) in assignments(in: action.updates, context: action.guards) {
                guard case .element(let v, _) = target, v == name, case .literal(_, let to) = value else { continue }
                let from = condition.compactMap { labelCompared(in: $0, variable: name) }.first
                edges.append("    \(mermaidID(from ?? "any")) --> \(mermaidID(to)) : \(action.actor).\(action.name)")
            }
        }
        let initial: String
        if case .value(.literal(_, let v)) = variable.initial { initial = "    [*] --> \(mermaidID(v))" } else { initial = "" }
        return (["```mermaid", "stateDiagram-v2", initial] + unique(edges) + ["```"]).joined(separator: "\n")
    }

    private func assignments(in updates: [Update], context: [Expr]) -> [([Expr], Expr, Expr)] {
        updates.flatMap { update -> [([Expr], Expr, Expr)] in
            switch update {
            case .assign(let target, let value): return [(context, target, value)]
            case .goto: return []
            case .when(let c, let t, let e):
                return assignments(in: t, context: context + [c]) + assignments(in: e, context: context)
            }
        }
    }

    private func labelsAssigned(in updates: [Update], variable: String) -> [String] {
        assignments(in: updates, context: []).compactMap { _, target, value in
            switch target {
            case .element(variable, _), .variable(variable):
                if case .literal(_, let label) = value { return label }
                return nil
            default: return nil
            }
        }
    }

    /// The literal an expression compares `variable` (or one of its elements) with, looking into conjunctions.
    private func labelCompared(in expr: Expr, variable: String) -> String? {
        switch expr {
        case .equal(.element(variable, _), .literal(_, let label)), .equal(.variable(variable), .literal(_, let label)):
            return label
        case .and(let xs):
            return xs.lazy.compactMap { labelCompared(in: $0, variable: variable) }.first
        default:
            return nil
        }
    }

    private func mermaidID(_ label: String) -> String {
        label == "[*]" ? label : label.map { $0.isLetter || $0.isNumber || $0 == "_" ? String($0) : "_" }.joined()
    }

    private func unique(_ lines: [String]) -> [String] {
        var seen = Set<String>()
        return lines.filter { seen.insert($0).inserted }
    }
}
