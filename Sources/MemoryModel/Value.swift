/// A value in a litmus program: an integer, or the address of a shared location.
public enum Value: Hashable, Sendable, CustomStringConvertible, Comparable {
    case int(Int)
    case address(String)

    public var description: String {
        switch self {
        case let .int(n): return String(n)
        case let .address(name): return name
        }
    }

    /// The value as a truth value: nonzero integers and every address are true.
    public var isTrue: Bool {
        switch self {
        case let .int(n): return n != 0
        case .address: return true
        }
    }

    public static func < (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case let (.int(x), .int(y)): return x < y
        case (.int, .address): return true
        case (.address, .int): return false
        case let (.address(x), .address(y)): return x < y
        }
    }
}
