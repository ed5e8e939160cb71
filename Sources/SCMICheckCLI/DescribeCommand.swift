import ArgumentParser
import TransitionSystems

/// `scmi-check describe`: the spec rendered for review, each variant as its difference from its base.
struct DescribeCommand: ParsableCommand, RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Render a spec for review: variables, each step's guard, effect and kernel lines, the invariants.",
        discussion: """
            Without --variant, the first variant is shown whole and every other one as its difference \
            from the variant it derives from. In Markdown, Mermaid state diagrams show each process's \
            program counter and the variables the spec names for diagrams (poll_status).
            """
    )

    @OptionGroup var configurationOptions: ConfigurationOptions

    @Flag(name: .long, help: "Show the variant whole, not as a difference.")
    var full = false

    @Option(name: .long, help: "Output format: text or markdown.")
    var format: SpecRenderer.Format = .text

    func execute(_ console: Console) throws -> ExitStatus {
        let family = try configurationOptions.family()
        // Every variant, so that a variant can be shown as its difference from its base; one
        // instance each (a variant's first core when it met several).
        var byVariant: [String: SpecInstance] = [:]
        var ordered: [SpecInstance] = []
        for instance in try SpecCatalog.instances(of: family, variant: nil, settings: configurationOptions.settings)
        where byVariant[instance.variant ?? ""] == nil {
            byVariant[instance.variant ?? ""] = instance
            ordered.append(instance)
        }
        if let variant = configurationOptions.variant {
            _ = try SpecCatalog.instances(of: family, variant: variant, settings: configurationOptions.settings)
        }
        let chosen = configurationOptions.variant.map { name in ordered.filter { $0.variant == name } } ?? ordered
        for instance in chosen {
            _ = try TransitionSystem(instance.spec)  // a spec that does not load is reported, not rendered
            let renderer = SpecRenderer(instance.spec, format: format, diagramVariables: family.diagramVariables)
            if !full, let name = instance.variant, let baseName = SpecCatalog.base(of: name, in: family), let base = byVariant[baseName] {
                console.print(renderer.renderDifference(from: base.spec, baseName: baseName, name: name))
            } else {
                console.print(renderer.render())
            }
        }
        return .success
    }
}

extension SpecRenderer.Format: ExpressibleByArgument {}
