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
            program counter and poll_status.
            """
    )

    @Option(name: .long, help: "The spec (see 'scmi-check list').")
    var spec: String = SpecCatalog.defaultSpec

    @Option(name: .long, help: "One variant; shown as its difference from its base unless --full.")
    var variant: String?

    @Flag(name: .long, help: "Show the variant whole, not as a difference.")
    var full = false

    @Option(name: .long, help: "Output format: text or markdown.")
    var format: SpecRenderer.Format = .text

    @Option(name: .long, help: "Number of CPUs (transport spec).")
    var cpus: Int?

    @Option(name: .long, help: "Number of message buffers (transport spec).")
    var buffers: Int?

    @Option(name: .long, help: "The SCMI core's result decision (transport spec).")
    var core: String?

    func execute(_ console: Console) throws -> ExitStatus {
        let entry = try SpecCatalog.entry(named: spec, accepting: SpecCatalog.Request(variant: variant, cpus: cpus, buffers: buffers, core: core))
        let instances = try entry.make(SpecCatalog.Request(variant: nil, cpus: cpus, buffers: buffers, core: core))
        let byVariant = Dictionary(instances.map { ($0.variant ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let chosen = variant.map { name in instances.filter { $0.variant == name } } ?? instances
        for instance in chosen {
            _ = try TransitionSystem(instance.spec)  // a spec that does not load is reported, not rendered
            let renderer = SpecRenderer(instance.spec, format: format)
            if !full, let name = instance.variant, let baseName = entry.baseVariant(name), let base = byVariant[baseName] {
                console.print(renderer.renderDifference(from: base.spec, baseName: baseName, name: name))
            } else {
                console.print(renderer.render())
            }
        }
        return .success
    }
}

extension SpecRenderer.Format: ExpressibleByArgument {}
