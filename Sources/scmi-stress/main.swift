#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let options: StressOptions
do {
    options = try StressOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch StressError.help {
    print(StressOptions.usage)
    exit(0)
} catch StressError.usage(let message) {
    print("scmi-stress: \(message)\n")
    print(StressOptions.usage)
    exit(2)
}

do {
    let clean: Bool
    switch options.mode {
    case .stress:
        clean = try StressRun(options: options).run()
    case .exhaustive, .random:
        clean = try ExplorationRun(options: options).run()
    }
    exit(clean ? 0 : 1)
} catch StressError.usage(let message) {
    print("scmi-stress: \(message)")
    exit(2)
}
