import TransitionSystems

/// The engines by kind or by name, for the command line: `explicit`, `bmc`, `kind` (or `k-induction`) and `auto`.
public enum Engines {
    /// The names ``make(name:system:options:)`` accepts, in the order help texts list them.
    public static let names = EngineKind.allCases.map(\.rawValue)

    /// A name that is not an engine's.
    public struct UnknownEngine: Error, CustomStringConvertible {
        public let name: String

        public var description: String {
            "unknown engine '\(name)'; the engines are \(Engines.names.joined(separator: ", "))"
        }
    }

    /// The checker of kind `kind` for `system`.
    public static func make(_ kind: EngineKind, system: TransitionSystem, options: CheckOptions = CheckOptions()) -> Checker {
        switch kind {
        case .explicit: return ExplicitStateChecker(system: system, options: options)
        case .bmc: return BoundedModelChecker(system: system, options: options)
        case .kind: return KInductionChecker(system: system, options: options)
        case .auto: return AutoChecker(system: system, options: options)
        }
    }

    /// The checker called `name` for `system`; throws ``UnknownEngine`` for any other name.
    public static func make(name: String, system: TransitionSystem, options: CheckOptions = CheckOptions()) throws -> Checker {
        guard let kind = EngineKind(parsing: name) else { throw UnknownEngine(name: name) }
        return make(kind, system: system, options: options)
    }
}
