import Fixtures
import TransitionSystems
import TransportSpec
import Vocabulary

/// The specs the CLI knows by name: the SCMI virtio transport and the fixtures.
enum SpecCatalog {
    /// What a run asked for.
    struct Request {
        var variant: String?
        var cpus: Int?
        var buffers: Int?
        var core: String?
    }

    /// A spec ready to load, with what the run should call it and expect of it.
    struct Instance {
        let spec: Spec
        let variant: String?
        let configuration: [String: String]
        /// Expected verdicts by invariant, when the spec records them.
        let expectations: [String: Expectation]
    }

    struct Entry {
        let name: String
        let summary: String
        let variants: [String]
        let invariantNames: [String]
        /// The configuration options the spec takes (`cpus`, `buffers`, `core`); others are refused.
        let options: Set<String>
        /// The explicit engine's state cap when the run gives none (and is not `--exhaustive`).
        var defaultMaxStates: Int? = nil
        /// The engine when `--engine` is not given.
        var defaultEngine = "auto"
        /// The variant a variant derives from, if any.
        var baseVariant: (String) -> String? = { _ in nil }
        let make: (Request) throws -> [Instance]
    }

    /// The entry for `request`, or a usage error naming what does not apply to the spec:
    /// an unknown variant, or a configuration option the spec does not take.
    static func entry(named name: String, accepting request: Request) throws -> Entry {
        let entry = try entry(named: name)
        if let variant = request.variant, !entry.variants.contains(variant) {
            throw UsageError(entry.variants.isEmpty
                ? "spec '\(name)' has no variants, so --variant '\(variant)' does not apply"
                : "unknown variant '\(variant)' of spec '\(name)'; known variants: \(entry.variants.joined(separator: ", "))")
        }
        for (option, given) in [("cpus", request.cpus != nil), ("buffers", request.buffers != nil), ("core", request.core != nil)]
        where given && !entry.options.contains(option) {
            throw UsageError("spec '\(name)' does not take --\(option)")
        }
        return entry
    }

    static var entries: [Entry] { [transport] + Fixtures.all.map(entry(for:)) + registered }

    /// Specs added at run time; tests use it to load specs the catalog does not ship, such as broken ones.
    nonisolated(unsafe) static var registered: [Entry] = []

    /// Adds a fixture-like spec under its name.
    static func register(_ fixture: Fixture) {
        registered.append(entry(for: fixture))
    }

    /// The spec `check` takes when `--spec` is not given.
    static var defaultSpec: String { entries[0].name }

    /// The spec named `name`, or a usage error listing the names there are.
    static func entry(named name: String) throws -> Entry {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw UsageError("unknown spec '\(name)'; known specs: \(entries.map(\.name).joined(separator: ", "))")
        }
        return entry
    }

    /// The SCMI virtio transport: every variant unless one is asked for.
    static let transport = Entry(
        name: TransportSpec.name,
        summary: "The SCMI virtio TX channel in polling mode (default: 2 CPUs, 2 buffers, current core).",
        variants: Variant.allCases.map(\.rawValue),
        invariantNames: TransportSpec.invariantNames,
        options: ["cpus", "buffers", "core"],
        defaultMaxStates: 2_000_000,
        // k-induction does not close the transport's proofs without lemmas (none up to k = 8 on
        // `fixed`), and BMC's time doubles per depth past 12: the explicit engine decides here.
        defaultEngine: "explicit",
        baseVariant: { Variant(rawValue: $0)?.base?.rawValue },
        make: { request in
            let core: CoreVersion
            if let name = request.core {
                guard let parsed = CoreVersion(rawValue: name) else {
                    throw UsageError("unknown core '\(name)'; choose one of \(CoreVersion.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                core = parsed
            } else {
                core = .current
            }
            let variants = request.variant.map { [Variant(rawValue: $0)!] } ?? Variant.allCases
            return variants.map { variant in
                let configuration = TransportConfiguration(cpus: request.cpus ?? 2, buffers: request.buffers ?? 2,
                                                           variant: variant, core: core)
                return Instance(spec: TransportSpec.make(configuration), variant: variant.rawValue,
                                configuration: configuration.labels,
                                expectations: TransportExpectations.of(configuration) ?? [:])
            }
        }
    )

    private static func entry(for fixture: Fixture) -> Entry {
        Entry(
            name: fixture.name, summary: fixture.summary, variants: [],
            invariantNames: fixture.spec.invariants.map(\.name), options: [],
            make: { _ in
                [Instance(spec: fixture.spec, variant: nil, configuration: [:], expectations: fixture.expectations)]
            }
        )
    }
}
