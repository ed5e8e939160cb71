#if canImport(Glibc)
import Glibc
private func exitProcess(_ code: Int32) -> Never { Glibc.exit(code) }
#elseif canImport(Darwin)
import Darwin
private func exitProcess(_ code: Int32) -> Never { Darwin.exit(code) }
#endif
import ArgumentParser

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

StressOptions.main()
