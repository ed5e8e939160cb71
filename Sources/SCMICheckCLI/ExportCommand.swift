import ArgumentParser
import Foundation
import TransitionSystems

/// `scmi-check export`: the grounded transition system of one spec instance in another checker's language.
struct ExportCommand: ParsableCommand, RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a spec's grounded transition system for another model checker (Promela for SPIN).",
        discussion: """
            The Promela model has the explicit engine's state graph without symmetry reduction: the same \
            variables (each value as its position in its domain), the same initial states, one d_step per \
            ground action instance with simultaneous assignment, and an assert per invariant checked in every \
            state. SPIN's 'states, stored' (spin -a; gcc -DSAFETY -DNOREDUCE pan.c; ./pan -m10000000 -c0) is \
            the engine's reachable count, plus one when the model begins with a choice of initial state (its \
            header says which). One spec instance per export: give --variant, and --core when the variant met several.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case promela }

    @OptionGroup var configurationOptions: ConfigurationOptions

    @Option(name: .long, help: "Output format: promela.")
    var format: Format = .promela

    @Option(name: .long, help: "The file to write; standard output when omitted.")
    var output: String?

    func execute(_ console: Console) throws -> ExitStatus {
        let (family, instances) = try configurationOptions.instances()
        guard let instance = instances.first else {
            throw UsageError("spec '\(family.name)' has no instance for these options")
        }
        if instances.count > 1 {
            let variants = Set(instances.map { $0.variant ?? "" })
            if variants.count > 1 {
                throw UsageError("export writes one model; choose one with --variant (\(family.variants.map(\.name).joined(separator: ", ")))")
            }
            throw UsageError("export writes one model; variant '\(instance.variant ?? "")' has \(instances.count) configurations here, choose one with --core")
        }
        let system = try TransitionSystem(instance.spec)
        var header = ["Exported by scmi-check export --format promela."]
        var identity = "spec \(family.name)"
        if let variant = instance.variant { identity += ", variant \(variant)" }
        for (name, value) in instance.configuration.sorted(by: { $0.key < $1.key }) { identity += ", \(name) \(value)" }
        header.append(identity)
        let text = try PromelaExporter(system, header: header).render()
        if let output {
            do {
                try text.write(to: URL(fileURLWithPath: output), atomically: true, encoding: .utf8)
            } catch {
                throw UsageError("cannot write '\(output)': \(error.localizedDescription)")
            }
        } else {
            console.print(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        }
        return .success
    }
}
