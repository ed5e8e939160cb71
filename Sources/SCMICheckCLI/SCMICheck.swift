import ArgumentParser
import Checking
import Foundation
import Traces
import TransitionSystems

/// The `scmi-check` command line: checks the SCMI virtio transport spec (and small
/// fixture specs) with explicit-state and symbolic engines.
public struct SCMICheck: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "scmi-check",
        abstract: "Model-check the Linux SCMI virtio transport's polling mode and turn counterexamples into tests.",
        discussion: """
            With no command, runs `check`: every variant of the transport spec at the default \
            configuration, compared with the variant's recorded expectations.

            Exit status: 0 nothing violated (or every result as expected), 1 an invariant violated \
            (or a result not as expected), 2 bad input, 3 a result unknown, 4 an internal error.
            """,
        subcommands: [CheckCommand.self, DescribeCommand.self, TraceCommand.self, ListCommand.self, GenerateCommand.self, ReplayCommand.self, ExportCommand.self, LitmusCommand.self, ReportCommand.self, CertifyCommand.self],
        defaultSubcommand: CheckCommand.self
    )

    public init() {}

    /// Runs the command line `arguments` (without the program name) against `console`
    /// and returns the exit status. Never exits the process.
    public static func run(_ arguments: [String], console: Console) -> Int32 {
        let command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                console.print(fullMessage(for: error))
                return ExitStatus.success.rawValue
            }
            console.printError("error: " + message(for: error))
            console.printError(usageHint(for: arguments))
            return ExitStatus.badInput.rawValue
        }
        guard let runnable = command as? RunnableCommand else {
            // `help` and the like: argument-parser's own commands report through a clean-exit error.
            var builtIn = command
            do {
                try builtIn.run()
            } catch {
                let code = exitCode(for: error)
                if code == .success { console.print(fullMessage(for: error)) } else { console.printError(fullMessage(for: error)) }
                return code == .success ? ExitStatus.success.rawValue : ExitStatus.badInput.rawValue
            }
            return ExitStatus.success.rawValue
        }
        do {
            return try runnable.execute(console).rawValue
        } catch let error as UsageError {
            console.printError("error: \(error.message)")
            return ExitStatus.badInput.rawValue
        } catch let error as SpecError {
            console.printError("error: \(error)")
            return ExitStatus.badInput.rawValue
        } catch let error as TraceError {
            console.printError("error: \(error)")
            return ExitStatus.badInput.rawValue
        } catch let error as InternalError {
            console.printError("scmi-check: \(error)")
            return ExitStatus.internalError.rawValue
        } catch {
            console.printError("scmi-check: internal error: \(error)")
            return ExitStatus.internalError.rawValue
        }
    }

    /// The process entry point: runs `CommandLine.arguments` and exits with the status.
    public static func main() {
        let status = run(Array(CommandLine.arguments.dropFirst()), console: .standard())
        Foundation.exit(status)
    }

    private static func usageHint(for arguments: [String]) -> String {
        let sub = arguments.first { !$0.hasPrefix("-") }
        if let sub, configuration.subcommands.contains(where: { $0.configuration.commandName == sub }) {
            return "(see 'scmi-check \(sub) --help')"
        }
        return "(see 'scmi-check --help')"
    }
}

/// A command that runs against a ``Console`` and returns an exit status.
protocol RunnableCommand {
    func execute(_ console: Console) throws -> ExitStatus
}

extension RunnableCommand where Self: ParsableCommand {
    func run() throws {
        let status = try execute(.standard())
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
