/// The proposition of a litmus test's final clause, over final register and memory values.
public indirect enum LitmusProposition: Equatable, Sendable, CustomStringConvertible {
    case `true`
    case `false`
    /// `n:r=v`: thread `n`'s register `r` holds `v` at the end.
    case register(thread: Int, name: String, equals: Value)
    /// `x=v`: location `x` holds `v` at the end (its coherence-last write).
    case location(String, equals: Value)
    case not(LitmusProposition)
    case and(LitmusProposition, LitmusProposition)
    case or(LitmusProposition, LitmusProposition)

    public var description: String {
        switch self {
        case .true: return "true"
        case .false: return "false"
        case let .register(thread, name, value): return "\(thread):\(name)=\(value)"
        case let .location(name, value): return "\(name)=\(value)"
        case let .not(p): return "~\(p.atomic)"
        case let .and(a, b): return "\(a.atomic) /\\ \(b.atomic)"
        case let .or(a, b): return "\(a.atomic) \\/ \(b.atomic)"
        }
    }

    private var atomic: String {
        switch self {
        case .and, .or: return "(\(description))"
        default: return description
        }
    }

    /// The proposition's value given final register and location values.
    func holds(registers: [Int: [String: Value]], memory: [String: Value]) -> Bool {
        switch self {
        case .true: return true
        case .false: return false
        case let .register(thread, name, value): return registers[thread]?[name] == value
        case let .location(name, value): return memory[name] == value
        case let .not(p): return !p.holds(registers: registers, memory: memory)
        case let .and(a, b): return a.holds(registers: registers, memory: memory) && b.holds(registers: registers, memory: memory)
        case let .or(a, b): return a.holds(registers: registers, memory: memory) || b.holds(registers: registers, memory: memory)
        }
    }
}
