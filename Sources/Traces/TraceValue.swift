/// A variable's value in a trace, in ITF's vocabulary.
public indirect enum TraceValue: Equatable, Sendable, CustomStringConvertible {
    case bool(Bool)
    /// An integer, written `{"#bigint": "n"}`.
    case int(Int)
    /// A value of an enumeration, by name.
    case string(String)
    /// An array variable: index to value, written `{"#map": [[k, v], ...]}`.
    case map([Entry])

    public struct Entry: Equatable, Sendable {
        public var key: TraceValue
        public var value: TraceValue

        public init(key: TraceValue, value: TraceValue) {
            self.key = key
            self.value = value
        }
    }

    public var description: String {
        switch self {
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .int(let n): return String(n)
        case .string(let s): return s
        case .map(let entries): return "[" + entries.map { "\($0.key) |-> \($0.value)" }.joined(separator: ", ") + "]"
        }
    }
}
