import ArgumentParser
import Fixtures

/// `scmi-check list`: the specs, variants and invariants that other commands take by name.
struct ListCommand: ParsableCommand, RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the specs (with variants and invariants) that --spec, --variant and --invariant accept."
    )

    func execute(_ console: Console) throws -> ExitStatus {
        for entry in SpecCatalog.entries {
            console.print("\(entry.name): \(entry.summary)")
            if !entry.variants.isEmpty { console.print("  variants: \(entry.variants.joined(separator: ", "))") }
            console.print("  invariants: \(entry.invariantNames.joined(separator: ", "))")
        }
        return .success
    }
}
