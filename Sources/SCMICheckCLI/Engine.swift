import Checking
import TransitionSystems

/// The engines `--engine` names, made by the Checking module's factory.
enum Engine {
    static let names = Engines.names

    static func make(_ name: String, system: TransitionSystem, options: CheckOptions, variant: String?,
                     configuration: [String: String]) throws -> Checker {
        do {
            return try Engines.make(name: name, system: system, options: options, variant: variant, configuration: configuration)
        } catch let error as Engines.UnknownEngine {
            throw UsageError(error.description)
        }
    }
}
