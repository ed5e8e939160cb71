import ArgumentParser
import TransitionSystems

/// `scmi-check list`: the specs, variants, parameters and invariants that other commands take by name.
struct ListCommand: ParsableCommand, RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the specs (with variants, parameters and invariants) that --spec, --variant and --invariant accept."
    )

    func execute(_ console: Console) throws -> ExitStatus {
        for family in SpecCatalog.families {
            console.print("\(family.name): \(family.summary)")
            if !family.variants.isEmpty {
                console.print("  variants: \(family.variants.map { v in v.base.map { "\(v.name) (from \($0))" } ?? v.name }.joined(separator: ", "))")
            }
            for parameter in family.parameters {
                console.print("  --\(parameter.name): \(parameter.values.joined(separator: ", ")) (default: \(parameter.defaultDescription))")
            }
            console.print("  invariants: \(family.invariantNames.joined(separator: ", "))")
        }
        return .success
    }
}
