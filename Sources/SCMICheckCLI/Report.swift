import Checking
import Foundation
import Traces
import TransitionSystems

/// The results of a run, rendered as text, JSON lines or statistics, with the exit status they imply.
struct Report {
    struct Row {
        let spec: String
        let variant: String?
        let configuration: [String: String]
        let result: CheckResult
        /// The result's counterexample as a trace, labelled with the variant and configuration.
        let trace: Trace?
        let expectation: Expectation?
        /// A line about the instance, such as a variant paired with a core it never met.
        var note: String? = nil

        /// Whether the result matches the recorded expectation (`nil` when none is recorded).
        var asExpected: Bool? {
            guard let expectation else { return nil }
            // Nothing checked before a time limit or an interrupt: nothing to compare.
            if result.verdict == .unknown, result.stopReason?.isCancellation == true { return nil }
            switch (expectation, result.verdict) {
            case (.violated(let depth), .violated):
                // A counterexample that may not be shortest is consistent with any shortest depth up to its own.
                guard let depth else { return true }
                return result.isShortest ? depth == result.depth : depth <= (result.depth ?? 0)
            case (.violated(let depth?), .holdsUpToDepth):
                // A bounded run that stopped short of the known depth is consistent with it.
                return (result.depth ?? 0) < depth
            case (.holds, .proved), (.holds, .holdsUpToDepth): return true
            default: return false
            }
        }

        var verdictText: String { Report.verdictText(result) }
    }

    /// A verdict in words: "violated at depth 14", "no violation up to depth 12".
    static func verdictText(_ result: CheckResult) -> String {
        switch result.verdict {
        case .violated: return "violated at depth \(result.depth ?? 0)"
        case .proved: return "proved"
        case .holdsUpToDepth: return "no violation up to depth \(result.depth ?? 0)"
        case .unknown: return "unknown"
        }
    }

    /// The progress line for a result the moment it is settled, `seconds` into its instance's check:
    /// "settled: v4 (core 2022) no-leak-at-quiescence violated at depth 14 (explicit, 0.4 s)".
    static func settledLine(_ result: CheckResult, label: String, seconds: Double) -> String {
        "settled: \(label) \(result.invariant) \(verdictText(result)) (\(result.engine.name), \(String(format: "%.1f", seconds)) s)"
    }

    /// The results a time limit or an interrupt left open, and why the run stopped.
    private var stopped: (reason: StopReason, count: Int)? {
        let open = rows.compactMap(\.result.stopReason).filter(\.isCancellation)
        return open.first.map { ($0, open.count) }
    }

    /// The line that says the run was cut short, if it was.
    private var stoppedLine: String? {
        stopped.map { "Stopped by the \($0.reason): \($0.count) result(s) left open, so the run's status is unknown (exit 3)." }
    }

    let rows: [Row]
    /// Whether the exit status compares results with expectations rather than asking "anything violated?".
    let compareWithExpectations: Bool

    /// How a row's variant is named: with its configuration's values that differ between the
    /// rows of the run (`upstream (core 2022)`), so a variant checked with two cores reads as two.
    static func label(variant: String, configuration: [String: String], configurations: [[String: String]]) -> String {
        let varying = configuration.keys.sorted().filter { key in Set(configurations.map { $0[key] }).count > 1 }
        guard !varying.isEmpty else { return variant }
        return "\(variant) (" + varying.map { "\($0) \(configuration[$0] ?? "")" }.joined(separator: ", ") + ")"
    }

    static func label(variant: String, configuration: [String: String], instances: [SpecInstance]) -> String {
        label(variant: variant, configuration: configuration, configurations: instances.map(\.configuration))
    }

    /// The row's variant as the run names it.
    func label(_ row: Row) -> String? {
        row.variant.map { Self.label(variant: $0, configuration: row.configuration, configurations: rows.map(\.configuration)) }
    }

    /// The configuration values every row shares, `key=value`, for the title.
    private var sharedConfiguration: [String] {
        guard let first = rows.first else { return [] }
        return first.configuration.sorted { $0.key < $1.key }
            .filter { entry in rows.allSatisfy { $0.configuration[entry.key] == entry.value } }
            .map { "\($0.key)=\($0.value)" }
    }

    /// The notes of the run's instances, once each, in order.
    private var notes: [String] {
        var seen: Set<String> = []
        return rows.compactMap(\.note).filter { seen.insert($0).inserted }
    }

    var exitStatus: ExitStatus {
        // Whatever else was found, a run cut short by a time limit or an interrupt is undecided.
        if stopped != nil { return .unknown }
        if compareWithExpectations {
            return rows.allSatisfy { $0.asExpected ?? ($0.result.verdict != .violated && $0.result.verdict != .unknown) }
                ? .success : .violated
        }
        if rows.contains(where: { $0.result.verdict == .violated }) { return .violated }
        if rows.contains(where: { $0.result.verdict == .unknown }) { return .unknown }
        return .success
    }

    // MARK: - Text

    func text() -> String {
        var lines: [String] = []
        let showVariant = rows.contains { $0.variant != nil }
        var header = ["invariant", "verdict", "engine", "detail"]
        if showVariant { header.insert("variant", at: 0) }
        var table: [[String]] = [header]
        for row in rows {
            var cells = [row.result.invariant, row.verdictText + mark(row), row.result.engine.name, row.result.detail]
            if showVariant { cells.insert(label(row) ?? "", at: 0) }
            table.append(cells)
        }
        if let first = rows.first {
            var title = "spec \(first.spec)"
            let configuration = sharedConfiguration
            if !configuration.isEmpty { title += " (\(configuration.joined(separator: ", ")))" }
            lines.append(title)
            lines.append("")
        }
        lines.append(contentsOf: Self.columns(table))
        if !notes.isEmpty {
            lines.append("")
            lines.append(contentsOf: notes)
        }
        if compareWithExpectations {
            let unexpected = rows.filter { $0.asExpected == false }.count
            lines.append("")
            lines.append(unexpected == 0 ? "Every result is as expected." : "\(unexpected) result(s) differ from the expectations (marked !).")
        }
        if let stoppedLine {
            lines.append("")
            lines.append(stoppedLine)
        }
        for row in rows {
            guard let trace = row.trace else { continue }
            lines.append("")
            let who = label(row).map { "\($0), " } ?? ""
            lines.append("Counterexample (\(who)\(row.result.invariant), \(trace.depth) steps):")
            lines.append(trace.text())
        }
        for row in rows where row.result.verdict == .unknown {
            lines.append("")
            lines.append("Unknown (\(label(row).map { "\($0), " } ?? "")\(row.result.invariant)): \(row.result.detail)")
        }
        return lines.joined(separator: "\n")
    }

    private func mark(_ row: Row) -> String {
        guard compareWithExpectations, let expected = row.asExpected else { return "" }
        if expected {
            if case .violated(let depth?)? = row.expectation, row.result.verdict == .holdsUpToDepth {
                return " (known at depth \(depth))"
            }
            return ""
        }
        switch row.expectation {
        case .violated(let depth?)? where row.result.verdict == .violated:
            return " ! (expected the shortest at depth \(depth))"
        case .violated?: return " ! (lost finding: expected violated)"
        case .holds?: return " ! (new finding)"
        case nil: return ""
        }
    }

    static func columns(_ table: [[String]]) -> [String] {
        guard let width = table.first?.count else { return [] }
        let widths = (0..<width).map { c in table.map { $0[c].count }.max() ?? 0 }
        return table.map { row in
            row.enumerated().map { c, cell in
                c == width - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
    }

    // MARK: - Markdown

    /// A report to paste into a pull request: the verdict table, then per counterexample a
    /// sequence diagram and the step table.
    func markdown() -> String {
        var lines: [String] = []
        if let first = rows.first {
            let configuration = sharedConfiguration
            lines.append("### scmi-check: spec `\(first.spec)`" + (configuration.isEmpty ? "" : " (\(configuration.joined(separator: ", ")))"))
            lines.append("")
        }
        let showVariant = rows.contains { $0.variant != nil }
        lines.append((showVariant ? "| variant " : "") + "| invariant | verdict | engine |")
        lines.append((showVariant ? "|---" : "") + "|---|---|---|")
        for row in rows {
            let verdict = row.verdictText + mark(row)
            lines.append((showVariant ? "| \(label(row) ?? "") " : "") + "| `\(row.result.invariant)` | \(verdict) | \(row.result.engine.name) |")
        }
        if compareWithExpectations {
            let unexpected = rows.filter { $0.asExpected == false }.count
            lines.append("")
            lines.append(unexpected == 0 ? "Every result is as expected." : "**\(unexpected) result(s) differ from the expectations (marked !).**")
        }
        if let stoppedLine {
            lines.append("")
            lines.append("**\(stoppedLine)**")
        }
        if !notes.isEmpty {
            lines.append("")
            lines.append(contentsOf: notes.map { "> \($0)" })
        }
        for row in rows {
            guard let trace = row.trace else { continue }
            lines.append("")
            lines.append("#### Counterexample: \(label(row).map { "`\($0)`, " } ?? "")`\(row.result.invariant)`, \(trace.depth) steps")
            lines.append("")
            lines.append(trace.mermaidSequenceDiagram())
            lines.append("")
            lines.append("<details><summary>Steps and what changed</summary>")
            lines.append("")
            lines.append(trace.markdownTable())
            lines.append("")
            lines.append("</details>")
        }
        return lines.joined(separator: "\n")
    }

    // MARK: - JSON

    /// One compact JSON object per row, keys sorted: always with `seconds`, `states` (explicit
    /// engine: states stored) and `solver-seconds` (symbolic engines: time in Z3), `null` where
    /// they do not apply; with `statistics`, also peak memory and time and size per depth.
    func jsonLines(statistics: Bool = false) -> [String] {
        rows.map { Self.jsonLine($0, compareWithExpectations: compareWithExpectations, statistics: statistics) }
    }

    /// The JSON object of one row, as ``jsonLines(statistics:)`` prints it.
    static func jsonLine(_ row: Row, compareWithExpectations: Bool, statistics: Bool) -> String {
        var object: [String: JSONValue] = [
            "spec": .string(row.spec),
            "invariant": .string(row.result.invariant),
            "engine": .string(row.result.engine.name),
            "verdict": .string(row.result.verdict.rawValue),
            "depth": row.result.depth.map(JSONValue.number) ?? .null,
            "detail": .string(row.result.detail),
            "seconds": .real(row.result.statistics.seconds),
            "states": row.result.statistics.states.map(JSONValue.number) ?? .null,
            "solver-seconds": row.result.statistics.solverSeconds.map(JSONValue.real) ?? .null,
            "configuration": .object(row.configuration.mapValues(JSONValue.string)),
            "trace": row.trace.map { $0.itf() } ?? .null,
            "variant": row.variant.map(JSONValue.string) ?? .null,
        ]
        if let expected = row.asExpected, compareWithExpectations { object["as-expected"] = .bool(expected) }
        if row.result.verdict == .violated && !row.result.isShortest { object["shortest"] = .bool(false) }
        if statistics {
            let stats = row.result.statistics
            object["peak-memory-bytes"] = stats.peakMemoryBytes.map(JSONValue.number) ?? .null
            if let reduced = stats.reducedStates { object["reduced-states"] = .number(reduced) }
            if let bytes = stats.storeBytesPerState { object["store-bytes-per-state"] = .real(bytes) }
            object["per-depth"] = .array(stats.perDepth.map { .array([.number($0.depth), .real($0.seconds), .number($0.size)]) })
        }
        return JSONValue.object(object).compact()
    }

    // MARK: - Statistics

    func statisticsText() -> String {
        var lines = ["", "Statistics:"]
        for row in rows {
            let s = row.result.statistics
            var line = "  \(label(row).map { "\($0) " } ?? "")\(row.result.invariant) [\(row.result.engine.name)]: \(String(format: "%.3f", s.seconds)) s"
            if let states = s.states { line += ", \(states) states" }
            if let rate = s.statesPerSecond { line += ", \(Int(rate)) states/s" }
            if let memory = s.peakMemoryBytes { line += ", peak memory \(memory / (1 << 20)) MiB" }
            if let bytes = s.storeBytesPerState { line += String(format: ", %.1f bytes per stored state", bytes) }
            lines.append(line)
            for d in s.perDepth {
                var text = "    depth \(d.depth): \(String(format: "%.3f", d.seconds)) s, size \(d.size)"
                if let clauses = d.clauses { text += ", \(clauses) clauses" }
                lines.append(text)
            }
        }
        return lines.joined(separator: "\n")
    }
}
