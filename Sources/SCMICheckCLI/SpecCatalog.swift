import Fixtures
import TransitionSystems
import TransportSpec

/// The spec families the CLI knows by name: the SCMI virtio transport and the fixtures. Everything
/// the CLI lists, validates or builds comes from the family, not from the CLI.
enum SpecCatalog {
    static var families: [any SpecFamily] { [TransportSpec.family] + Fixtures.all + registered }

    /// Specs added at run time; tests use it to load specs the catalog does not ship, such as broken ones.
    nonisolated(unsafe) static var registered: [Fixture] = []

    /// Adds a fixture-like spec under its name.
    static func register(_ fixture: Fixture) {
        registered.append(fixture)
    }

    /// The spec `check` takes when `--spec` is not given.
    static var defaultSpec: String { families[0].name }

    /// The family named `name`, or a usage error listing the names there are.
    static func family(named name: String) throws -> any SpecFamily {
        guard let family = families.first(where: { $0.name == name }) else {
            throw UsageError("unknown spec '\(name)'; known specs: \(families.map(\.name).joined(separator: ", "))")
        }
        return family
    }

    /// The instances of `family` for `variant` and the parameter values `settings`, or a usage
    /// error naming what does not apply: an unknown variant, a parameter the spec does not take,
    /// a value outside a parameter's range.
    static func instances(of family: any SpecFamily, variant: String?, settings: [String: String]) throws -> [SpecInstance] {
        if let variant, !family.variants.contains(where: { $0.name == variant }) {
            throw UsageError(family.variants.isEmpty
                ? "spec '\(family.name)' has no variants, so --variant '\(variant)' does not apply"
                : "unknown variant '\(variant)' of spec '\(family.name)'; known variants: \(family.variants.map(\.name).joined(separator: ", "))")
        }
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) {
            guard let parameter = family.parameters.first(where: { $0.name == name }) else {
                throw UsageError("spec '\(family.name)' does not take --\(name)")
            }
            guard parameter.accepts(value) else { throw UsageError("--\(name) takes \(parameter.valueList), not '\(value)'") }
        }
        do {
            return try family.instances(variant: variant, settings: settings)
        } catch let error as SpecFamilyError {
            throw UsageError(error.message)
        }
    }

    /// The variant `name` derives from in `family`.
    static func base(of name: String, in family: any SpecFamily) -> String? {
        family.variants.first { $0.name == name }?.base
    }

    /// The parameter values a trace file records for `family`, each checked against the values the
    /// family takes: an unknown core in a trace is bad input naming the trace, never a fallback.
    static func settings(recordedIn configuration: [String: String], of family: any SpecFamily, file: String) throws -> [String: String] {
        var settings: [String: String] = [:]
        for parameter in family.parameters {
            guard let value = configuration[parameter.name] else { continue }
            guard parameter.accepts(value) else {
                throw UsageError("\(file): #meta.configuration.\(parameter.name) is '\(value)', which spec '\(family.name)' does not take (it takes \(parameter.valueList))")
            }
            settings[parameter.name] = value
        }
        return settings
    }
}
