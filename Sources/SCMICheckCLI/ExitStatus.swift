/// The exit statuses every command of scmi-check uses.
public enum ExitStatus: Int32, Sendable {
    /// Nothing violated; for a run with expectations, every result as expected.
    case success = 0
    /// An invariant violated; for a run with expectations, a result not as expected.
    case violated = 1
    /// Bad input: an option, a name, a spec or a trace file.
    case badInput = 2
    /// A result unknown: the engines could not decide.
    case unknown = 3
    /// A fault in scmi-check itself, such as a counterexample that does not replay.
    case internalError = 4
}

/// Bad input, reported with exit status 2 and this message.
struct UsageError: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) { self.message = message }

    var description: String { message }
}
