import TransitionSystems

/// The engines by name, for the command line: `explicit`, `bmc`, `kind` (or `k-induction`) and `auto`.
public enum Engines {
    /// The names ``make(name:system:options:variant:configuration:)`` accepts, in the order help texts list them.
    public static let names = ["explicit", "bmc", "kind", "auto"]

    /// A name that is not an engine's.
    public struct UnknownEngine: Error, CustomStringConvertible {
        public let name: String

        public var description: String {
            "unknown engine '\(name)'; the engines are \(Engines.names.joined(separator: ", "))"
        }
    }

    /// The checker called `name` for `system`; throws ``UnknownEngine`` for any other name.
    public static func make(name: String, system: TransitionSystem, options: CheckOptions = CheckOptions(),
                            variant: String? = nil, configuration: [String: String] = [:]) throws -> Checker {
        switch name {
        case "explicit":
            return ExplicitStateChecker(system: system, options: options, variant: variant, configuration: configuration)
        case "bmc":
            return BoundedModelChecker(system: system, options: options, variant: variant, configuration: configuration)
        case "kind", "k-induction":
            return KInductionChecker(system: system, options: options, variant: variant, configuration: configuration)
        case "auto":
            return AutoChecker(system: system, options: options, variant: variant, configuration: configuration)
        default:
            throw UnknownEngine(name: name)
        }
    }
}
