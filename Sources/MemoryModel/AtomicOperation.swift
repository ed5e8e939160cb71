/// An atomic read-modify-write as the LKMM represents it (tools/memory-model/linux-kernel.def and
/// Documentation/herd-representation.txt, v6.12): what it computes, what it returns, and its ordering.
///
/// Value-returning operations without a suffix are fully ordered (`F[mb]` before and after a
/// `R*[once] ->rmw W*[once]` pair), as Documentation/atomic_t.txt (v6.12, "ORDERING") promises;
/// `_relaxed`, `_acquire` and `_release` mark the read or the write instead; operations that return
/// nothing mark their read `noreturn` and order nothing.
public struct AtomicOperation: Equatable, Sendable {
    /// How the new value is computed from the old one and the operand.
    public enum Arithmetic: String, Sendable { case add, sub, exchange }
    /// What the operation returns.
    public enum Returns: String, Sendable { case nothing, newValue, oldValue, newIsZero }
    /// The ordering an operation's name selects.
    public enum Ordering: String, Sendable { case full, relaxed, acquire, release, noreturn }

    public let name: String
    public let arithmetic: Arithmetic
    public let returns: Returns
    public let ordering: Ordering
    /// Whether the operand is the first argument (`atomic_add_return(v, p)`), the second (`xchg(p, v)`),
    /// or fixed to 1 (`atomic_inc_return(p)`).
    public let operandPosition: OperandPosition

    public enum OperandPosition: Sendable { case first, second, fixedOne }

    /// The operation a kernel function name denotes, or `nil` for a name that is not an atomic RMW
    /// this checker models.
    public static func named(_ name: String) -> AtomicOperation? {
        var base = name
        var ordering = Ordering.full
        for (suffix, order) in [("_relaxed", Ordering.relaxed), ("_acquire", .acquire), ("_release", .release)]
        where base.hasSuffix(suffix) {
            base = String(base.dropLast(suffix.count))
            ordering = order
        }
        let table: [String: (Arithmetic, Returns, OperandPosition)] = [
            "atomic_add": (.add, .nothing, .first), "atomic_sub": (.sub, .nothing, .first),
            "atomic_inc": (.add, .nothing, .fixedOne), "atomic_dec": (.sub, .nothing, .fixedOne),
            "atomic_add_return": (.add, .newValue, .first), "atomic_sub_return": (.sub, .newValue, .first),
            "atomic_inc_return": (.add, .newValue, .fixedOne), "atomic_dec_return": (.sub, .newValue, .fixedOne),
            "atomic_fetch_add": (.add, .oldValue, .first), "atomic_fetch_sub": (.sub, .oldValue, .first),
            "atomic_fetch_inc": (.add, .oldValue, .fixedOne), "atomic_fetch_dec": (.sub, .oldValue, .fixedOne),
            "atomic_xchg": (.exchange, .oldValue, .second), "xchg": (.exchange, .oldValue, .second),
            "atomic_dec_and_test": (.sub, .newIsZero, .fixedOne), "atomic_sub_and_test": (.sub, .newIsZero, .first),
            "atomic_inc_and_test": (.add, .newIsZero, .fixedOne),
        ]
        guard let (arithmetic, returns, position) = table[base] else { return nil }
        if returns == .nothing {
            guard ordering == .full else { return nil }
            ordering = .noreturn
        }
        if returns == .newIsZero && ordering != .full { return nil }
        return AtomicOperation(name: name, arithmetic: arithmetic, returns: returns, ordering: ordering,
                               operandPosition: position)
    }

    /// The number of arguments the operation takes.
    public var arity: Int { operandPosition == .fixedOne ? 1 : 2 }

    /// The annotations of the read and the write halves.
    public var annotations: (read: Annotation, write: Annotation) {
        switch ordering {
        case .full, .relaxed: return (.once, .once)
        case .acquire: return (.acquire, .once)
        case .release: return (.once, .release)
        case .noreturn: return (.noreturn, .once)
        }
    }
}
