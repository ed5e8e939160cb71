/// An expression of a litmus thread body. Memory reads are expressions, so a read's value flows
/// through registers into addresses, stored values and `if` conditions, which is how dependencies arise.
public indirect enum LitmusExpression: Equatable, Sendable, CustomStringConvertible {
    case constant(Value)
    /// A register or a thread parameter.
    case name(String)
    /// A plain read `*address`.
    case plainLoad(address: LitmusExpression)
    /// A marked read: `READ_ONCE(*p)`, `smp_load_acquire(p)`, `rcu_dereference(*p)`, `atomic_read(p)`.
    case load(Annotation, address: LitmusExpression, label: String)
    /// An atomic read-modify-write; its value is what the operation returns.
    case atomic(AtomicOperation, address: LitmusExpression, operand: LitmusExpression, label: String)
    case unary(String, LitmusExpression)
    case binary(String, LitmusExpression, LitmusExpression)

    /// The expression as C source.
    public var description: String {
        switch self {
        case let .constant(value): return value.description
        case let .name(name): return name
        case let .plainLoad(address): return "*\(address)"
        case let .load(_, _, label), let .atomic(_, _, _, label): return label
        case let .unary(op, inner): return op + inner.description
        case let .binary(op, a, b): return "\(a) \(op) \(b)"
        }
    }
}
