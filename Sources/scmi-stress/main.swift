#if canImport(Glibc)
import Glibc
private func exitProcess(_ code: Int32) -> Never { Glibc.exit(code) }
#elseif canImport(Darwin)
import Darwin
private func exitProcess(_ code: Int32) -> Never { Darwin.exit(code) }
#endif
import ArgumentParser
import Foundation

extension StressOptions {
    mutating func run() throws {
        let clean: Bool
        switch mode {
        case .stress:
            clean = StressRun(options: self).run()
        case .exhaustive, .random:
            clean = ExplorationRun(options: self).run()
        }
        exitProcess(clean ? 0 : 1)
    }
}

// Bad input exits 2, as every scmi-check command does; help exits 0.
do {
    var options = try StressOptions.parse(Array(CommandLine.arguments.dropFirst()))
    try options.run()
} catch {
    if StressOptions.exitCode(for: error) == .success {
        print(StressOptions.fullMessage(for: error))
        exitProcess(0)
    }
    FileHandle.standardError.write(Data("error: \(StressOptions.message(for: error))\n\(StressOptions.usageString())\n".utf8))
    exitProcess(2)
}
