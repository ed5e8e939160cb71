/// An error raised by the SMT layer: a failure reported by Z3 or a misuse caught before calling it.
public enum SMTError: Error, Equatable, CustomStringConvertible {
    /// Z3 rejected a call; `code` is the raw `Z3_error_code` and `message` is Z3's explanation.
    case z3(code: Int, message: String)
    /// An argument was rejected before reaching Z3, for example a negative width or
    /// operands that belong to different contexts.
    case invalidArgument(String)
    /// A model value did not have the expected shape, for example `Model.bool` on a bit-vector.
    case unexpectedValue(String)

    /// The error as one readable line, for example `Z3 exception: Sorts Bool and Int are incompatible`.
    public var description: String {
        switch self {
        case let .z3(code, message):
            return "Z3 \(Self.name(ofCode: code)): \(message)"
        case let .invalidArgument(message):
            return "invalid argument: \(message)"
        case let .unexpectedValue(message):
            return "unexpected value: \(message)"
        }
    }

    /// The human-readable name of a raw `Z3_error_code`.
    static func name(ofCode code: Int) -> String {
        switch code {
        case 0: return "ok"
        case 1: return "sort error"
        case 2: return "index out of bounds"
        case 3: return "invalid argument"
        case 4: return "parser error"
        case 5: return "no parser"
        case 6: return "invalid pattern"
        case 7: return "out of memory"
        case 8: return "file access error"
        case 9: return "internal fatal error"
        case 10: return "invalid usage"
        case 11: return "reference count error"
        case 12: return "exception"
        default: return "error \(code)"
        }
    }
}
