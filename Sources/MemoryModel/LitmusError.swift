/// Why a litmus file cannot be answered: it is malformed, or it uses a construct the checker does not
/// model. Either way the file gets no answer, never a guess.
public struct LitmusError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Whether the file is malformed or merely beyond what is modelled.
    public enum Kind: String, Sendable {
        case syntax
        case unsupported
        /// The program is well formed but cannot be evaluated (an unknown name, a bad pointer, too many events).
        case evaluation
    }

    public let kind: Kind
    /// The 1-based source line, or 0 when the error concerns the whole test.
    public let line: Int
    /// The construct at fault, as the source wrote it (for example `spin_is_locked`).
    public let construct: String
    public let message: String

    public init(_ kind: Kind, line: Int, construct: String, _ message: String) {
        self.kind = kind
        self.line = line
        self.construct = construct
        self.message = message
    }

    public var description: String {
        let place = line > 0 ? "line \(line): " : ""
        switch kind {
        case .syntax: return "\(place)syntax error at '\(construct)': \(message)"
        case .unsupported: return "\(place)unsupported construct '\(construct)': \(message)"
        case .evaluation: return "\(place)cannot evaluate '\(construct)': \(message)"
        }
    }
}
