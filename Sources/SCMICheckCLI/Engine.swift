import Checking
import TransitionSystems

/// The engines `--engine` names.
enum Engine {
    static let names = ["explicit", "bmc", "kind", "auto"]

    static func make(_ name: String, system: TransitionSystem, options: CheckOptions, variant: String?,
                     configuration: [String: String]) throws -> Checker {
        switch name {
        case "explicit", "auto":
            return ExplicitStateChecker(system: system, options: options, variant: variant, configuration: configuration)
        default:
            throw UsageError("engine '\(name)' is not available in this build")
        }
    }
}
