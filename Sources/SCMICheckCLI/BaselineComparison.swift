import Foundation
import Traces

/// What changed between a run and a recorded one (`check --format json` output): new
/// violations, lost ones, depth changes, and results only one side has.
///
/// Results are matched by spec, variant, configuration and invariant. A result whose verdict
/// and depth are the same on both sides is unchanged and not listed.
struct BaselineComparison {
    /// One result as both sides record it.
    struct Entry: Equatable {
        enum Change: String { case newViolation = "new violation", lostViolation = "lost violation", depthChanged = "depth changed",
                              verdictChanged = "verdict changed", onlyInRun = "only in this run", onlyInBaseline = "only in the baseline" }
        let change: Change
        let label: String
        let invariant: String
        let before: String?
        let after: String?

        var line: String {
            "\(change.rawValue): \(label) \(invariant)" + (before.map { " (was \($0))" } ?? "") + (after.map { ", now \($0)" } ?? "")
        }
    }

    /// A result's identity and outcome, read from a JSON line or a report row.
    struct Outcome: Equatable {
        let key: String
        let label: String
        let invariant: String
        let verdict: String
        let depth: Int?

        var text: String {
            switch verdict {
            case "violated": return "violated at depth \(depth ?? 0)"
            case "holds-up-to-depth": return "no violation up to depth \(depth ?? 0)"
            default: return verdict
            }
        }

        init(spec: String, variant: String?, configuration: [String: String], invariant: String, verdict: String, depth: Int?) {
            let settings = configuration.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            key = ([spec, variant ?? "", invariant] + settings).joined(separator: "|")
            label = ([variant ?? spec] + (settings.isEmpty ? [] : ["(\(settings.joined(separator: ", ")))"])).joined(separator: " ")
            self.invariant = invariant
            self.verdict = verdict
            self.depth = depth
        }
    }

    let baseline: String
    let entries: [Entry]

    /// The outcomes recorded in JSON lines as `check --format json` writes them.
    static func outcomes(jsonLines text: String, file: String) throws -> [Outcome] {
        try text.split(separator: "\n").enumerated().compactMap { n, line in
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let spec = object["spec"] as? String, let invariant = object["invariant"] as? String,
                  let verdict = object["verdict"] as? String else {
                throw UsageError("\(file):\(n + 1): not a result line of 'check --format json'")
            }
            return Outcome(spec: spec, variant: object["variant"] as? String,
                           configuration: object["configuration"] as? [String: String] ?? [:],
                           invariant: invariant, verdict: verdict, depth: object["depth"] as? Int)
        }
    }

    /// The outcomes of a run's report rows.
    static func outcomes(_ rows: [Report.Row]) -> [Outcome] {
        rows.map { Outcome(spec: $0.spec, variant: $0.variant, configuration: $0.configuration, invariant: $0.result.invariant,
                           verdict: $0.result.verdict.rawValue, depth: $0.result.depth) }
    }

    /// Compares `run` with `recorded`, in the run's order, then what only the baseline has.
    init(baseline: String, recorded: [Outcome], run: [Outcome]) {
        self.baseline = baseline
        var entries: [Entry] = []
        for now in run {
            guard let was = recorded.first(where: { $0.key == now.key }) else {
                entries.append(Entry(change: .onlyInRun, label: now.label, invariant: now.invariant, before: nil, after: now.text))
                continue
            }
            guard was.verdict != now.verdict || was.depth != now.depth else { continue }
            let change: Entry.Change
            switch (was.verdict == "violated", now.verdict == "violated") {
            case (false, true): change = .newViolation
            case (true, false): change = .lostViolation
            case (true, true): change = .depthChanged
            case (false, false): change = .verdictChanged
            }
            entries.append(Entry(change: change, label: now.label, invariant: now.invariant, before: was.text, after: now.text))
        }
        for was in recorded where !run.contains(where: { $0.key == was.key }) {
            entries.append(Entry(change: .onlyInBaseline, label: was.label, invariant: was.invariant, before: was.text, after: nil))
        }
        self.entries = entries
    }

    /// The comparison as text lines.
    func text() -> String {
        (["Against the baseline \(baseline):"] + (entries.isEmpty ? ["  no change"] : entries.map { "  " + $0.line })).joined(separator: "\n")
    }

    /// The comparison as a Markdown section.
    func markdown() -> String {
        var lines = ["#### Against the baseline `\(baseline)`", ""]
        guard !entries.isEmpty else { return (lines + ["No change."]).joined(separator: "\n") }
        lines += ["| change | result | invariant | was | now |", "|---|---|---|---|---|"]
        lines += entries.map { "| \($0.change.rawValue) | \($0.label) | `\($0.invariant)` | \($0.before ?? "") | \($0.after ?? "") |" }
        return lines.joined(separator: "\n")
    }
}
