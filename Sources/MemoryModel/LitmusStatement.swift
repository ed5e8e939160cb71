/// A statement of a litmus thread body, with its source line.
public struct LitmusStatement: Equatable, Sendable {
    /// What the statement does.
    public indirect enum Kind: Equatable, Sendable {
        /// `r = e;` or a declaration `int r = e;`.
        case assign(register: String, LitmusExpression)
        /// A declaration without an initial value: `int r0;`.
        case declare(register: String)
        /// A store: `*p = e;` (plain), `WRITE_ONCE(*p, e)`, `smp_store_release(p, e)`, `rcu_assign_pointer(*p, e)`.
        case store(Annotation, address: LitmusExpression, value: LitmusExpression, label: String)
        /// `smp_store_mb(*p, e)`: a once store then a full fence (linux-kernel.def).
        case storeFullFence(address: LitmusExpression, value: LitmusExpression, label: String)
        case fence(FenceKind, label: String)
        case lock(LitmusExpression, label: String)
        case unlock(LitmusExpression, label: String)
        /// An expression evaluated for its effect, such as `atomic_inc(p);`.
        case evaluate(LitmusExpression)
        case branch(LitmusExpression, then: [LitmusStatement], else: [LitmusStatement])
    }

    public let kind: Kind
    public let line: Int

    public init(_ kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }
}
