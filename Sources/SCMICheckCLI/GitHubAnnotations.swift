import Foundation
import TransitionSystems

/// A run's results as GitHub workflow commands (`::error file=...,line=...::...`), each
/// pointing at the line of the spec that declares the invariant concerned.
///
/// A result not as expected (a new or a lost finding, another depth) is an error; a known
/// violation is a notice; a result with nothing to say gives no line. The line is found by
/// reading the spec's source for the invariant's declaration (``declarationLine(of:in:)``), so
/// it follows the spec when it is edited; when the source cannot be read the annotation names
/// the file without a line.
struct GitHubAnnotations {
    /// Where the transport spec declares its invariants, relative to the package root.
    static let invariantsFile = "Spec/Invariants.swift"

    let report: Report
    /// The text of ``invariantsFile``, when it could be read.
    let source: String?

    /// The workflow commands, one per line.
    func lines() -> [String] {
        report.rows.compactMap { row -> String? in
            let label = report.label(row).map { "\($0) " } ?? ""
            let what = "\(label)\(row.result.invariant): \(row.verdictText)"
            let level: String
            let message: String
            switch (row.asExpected, row.result.verdict) {
            case (false?, _):
                level = "error"
                message = "\(what), not as expected (\(Self.expectationText(row.expectation)))"
            case (nil, .violated) where !report.compareWithExpectations:
                level = "error"
                message = what
            case (true?, .violated):
                level = "notice"
                message = "\(what) (a known finding)"
            default:
                return nil
            }
            var properties = ["title=\(Self.escapeProperty("scmi-check: \(row.result.invariant)"))"]
            if row.spec == "scmi-virtio" {
                properties.insert("file=\(Self.invariantsFile)", at: 0)
                if let line = source.flatMap({ Self.declarationLine(of: row.result.invariant, in: $0) }) {
                    properties.insert("line=\(line)", at: 1)
                }
            }
            return "::\(level) \(properties.joined(separator: ","))::\(Self.escapeData(message))"
        }
    }

    static func expectationText(_ expectation: Expectation?) -> String {
        switch expectation {
        case .violated(let depth?)?: return "expected violated at depth \(depth)"
        case .violated?: return "expected violated"
        case .holds?: return "expected to hold"
        case nil: return "no expectation"
        }
    }

    /// The 1-based line of `source` that declares `invariant`: the `case .name:` of its
    /// property in the invariants' switch (`no-double-free` is `case .noDoubleFree:`).
    static func declarationLine(of invariant: String, in source: String) -> Int? {
        let parts = invariant.split(separator: "-").map(String.init)
        guard let first = parts.first else { return nil }
        let name = first + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        let needle = "case .\(name):"
        for (i, line) in source.components(separatedBy: "\n").enumerated()
        where line.trimmingCharacters(in: .whitespaces).hasPrefix(needle) {
            return i + 1
        }
        return nil
    }

    /// A workflow command's message, escaped as the runner expects.
    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    /// A workflow command's property value, escaped as the runner expects.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
