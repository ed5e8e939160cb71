/// A trace file that cannot be read, or that does not fit the spec it names.
public enum TraceError: Error, Equatable, CustomStringConvertible {
    /// The file is not a well-formed ITF trace.
    case malformed(String)
    /// The trace is well formed but does not fit the spec (unknown variable, value outside a domain, unknown action).
    case inconsistent(String)

    public var description: String {
        switch self {
        case .malformed(let m): return "malformed trace: \(m)"
        case .inconsistent(let m): return "trace does not fit the spec: \(m)"
        }
    }
}
