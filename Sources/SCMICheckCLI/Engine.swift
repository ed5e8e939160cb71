import ArgumentParser
import Checking

/// `--engine` takes an engine's name: `explicit`, `bmc`, `kind` (or `k-induction`) or `auto`.
extension EngineKind: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }

    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// `--frames` takes `single` or `parallel`.
extension FrameSemantics: ExpressibleByArgument {}
