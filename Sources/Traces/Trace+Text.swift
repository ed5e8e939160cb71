extension Trace {
    /// What step `index` changed, one `variable: old -> new` per changed variable or element.
    public func changes(at index: Int) -> [String] {
        guard index > 0, index < steps.count else { return [] }
        let before = steps[index - 1].values, after = steps[index].values
        var changes: [String] = []
        for name in variables {
            guard let old = before[name], let new = after[name], old != new else { continue }
            if case .map(let oldEntries) = old, case .map(let newEntries) = new {
                for entry in newEntries {
                    let previous = oldEntries.first { $0.key == entry.key }?.value
                    if previous != entry.value {
                        changes.append("\(name)[\(entry.key)]: \(previous.map(\.description) ?? "?") -> \(entry.value)")
                    }
                }
            } else {
                changes.append("\(name): \(old) -> \(new)")
            }
        }
        return changes
    }

    /// The trace as text: one line per step (number, actor, action, what changed), the initial state first.
    public func text(indent: String = "  ") -> String {
        let actorWidth = max(steps.map { $0.actor?.count ?? 0 }.max() ?? 0, 5)
        let labelWidth = min(max(steps.dropFirst().map(\.label.count).max() ?? 0, 6), 40)
        let numberWidth = String(depth).count
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        var lines: [String] = []
        var initial = variables.map { "\($0) = \(steps[0].values[$0]!)" }.joined(separator: ", ")
        if initial.count > 240 {
            initial = "(the spec's initial state: \(variables.count) variables; the JSON trace lists them)"
        }
        lines.append(indent + pad("0", numberWidth) + "  " + pad("init", actorWidth) + "  " + initial)
        for i in 1..<max(steps.count, 1) {
            let step = steps[i]
            let changed = changes(at: i)
            lines.append(indent + pad(String(i), numberWidth) + "  " + pad(step.actor ?? "", actorWidth) + "  "
                         + pad(step.label, labelWidth) + "  " + (changed.isEmpty ? "(no change)" : changed.joined(separator: ", ")))
        }
        return lines.joined(separator: "\n")
    }
}
