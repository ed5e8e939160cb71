import Foundation
import MemoryModel
import WeakMemory

extension LitmusCommand {
    /// `--memory-model lkmm-nolb`: each file as a spec under the weak-memory transformation, explored by
    /// the explicit engine, its final outcomes compared with the axiomatic LKMM's. Exit 1 when an outcome
    /// differs other than by load buffering (with --expect: also when the answer disagrees with `Result:`
    /// for a reason other than load buffering).
    func executeOperational(_ console: Console) throws -> ExitStatus {
        var failed = false
        var unfaithful = false
        if format == .markdown {
            console.print("| test | expected (`Result:`) | answer (lkmm) | answer (lkmm-nolb) | outcomes (both / lkmm only, load buffering) | states | agrees? |")
            console.print("|---|---|---|---|---|---|---|")
        }
        for file in files {
            let name = URL(fileURLWithPath: file).lastPathComponent
            do {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                let c = try LitmusComparison.compare(LitmusParser.parse(text))
                if !c.isFaithful { unfaithful = true }
                let verdict = c.isFaithful ? (c.operational == c.lkmm ? "yes" : "yes, but for load buffering") : "NO"
                switch format {
                case .markdown:
                    console.print("| `\(name)` | \(c.expected ?? "none") | \(c.lkmm) | \(c.operational) | \(c.common) / \(c.loadBuffering.count) | \(c.states) | \(verdict) |")
                default:
                    var line = "\(c.name): \(c.operational) (lkmm-nolb), \(c.lkmm) (lkmm); \(c.common) outcomes in common, "
                        + "\(c.loadBuffering.count) load-buffering outcome(s) omitted; \(c.states) states"
                    if !c.missing.isEmpty { line += "; MISSING: \(c.missing.joined(separator: " | "))" }
                    if !c.spurious.isEmpty { line += "; SPURIOUS: \(c.spurious.joined(separator: " | "))" }
                    console.print(line)
                }
            } catch {
                failed = true
                console.printError("error: \(file): \(error)")
                if format == .markdown {
                    let reason: String
                    if let litmus = error as? LitmusError {
                        reason = "\(litmus.kind.rawValue): `\(litmus.construct)`"
                    } else {
                        reason = "not translated: \(error)".replacingOccurrences(of: "\n", with: " ")
                    }
                    console.print("| `\(name)` | — | — | \(reason) | — | — | — |")
                }
            }
        }
        if failed { return .badInput }
        return unfaithful ? .violated : .success
    }
}
