import CZ3

/// Operators that build terms.
///
/// All operators throw: Z3 rejects ill-sorted operands (for example `==` between a Bool and a
/// bit-vector, or `+` of bit-vectors of different widths) and the rejection surfaces as
/// ``SMTError/z3(code:message:)``. Arithmetic and comparisons pick the bit-vector operation
/// when the left operand is a bit-vector (comparisons are *unsigned*: `bvult`, `bvule`, ...)
/// and the integer operation otherwise. The overloads taking an `Int` turn it into a numeral of
/// the other operand's sort.
extension Term {
    // MARK: - Boolean

    /// Negation of a Boolean term.
    public static prefix func ! (operand: Term) throws -> Term {
        try operand.context.apply(Z3_mk_not, operand)
    }

    /// Conjunction of two Boolean terms.
    public static func && (lhs: Term, rhs: Term) throws -> Term {
        try lhs.context.and([lhs, rhs])
    }

    /// Disjunction of two Boolean terms.
    public static func || (lhs: Term, rhs: Term) throws -> Term {
        try lhs.context.or([lhs, rhs])
    }

    // MARK: - Equality

    /// The equation `lhs = rhs`; both sides must have the same sort.
    public static func == (lhs: Term, rhs: Term) throws -> Term {
        try lhs.context.apply(Z3_mk_eq, lhs, rhs)
    }

    /// The disequation `lhs ≠ rhs`; both sides must have the same sort.
    public static func != (lhs: Term, rhs: Term) throws -> Term {
        try lhs.context.distinct([lhs, rhs])
    }

    /// The equation `lhs = rhs` with `rhs` a numeral of `lhs`'s sort.
    public static func == (lhs: Term, rhs: Int) throws -> Term {
        try lhs == lhs.context.numeral(rhs, sortOf: lhs)
    }

    /// The disequation `lhs ≠ rhs` with `rhs` a numeral of `lhs`'s sort.
    public static func != (lhs: Term, rhs: Int) throws -> Term {
        try lhs != lhs.context.numeral(rhs, sortOf: lhs)
    }

    // MARK: - Arithmetic (bit-vector or integer)

    /// Sum; wraps around for bit-vectors.
    public static func + (lhs: Term, rhs: Term) throws -> Term {
        try lhs.isBitVector
            ? lhs.context.apply(Z3_mk_bvadd, lhs, rhs)
            : lhs.context.apply(Z3_mk_add, [lhs, rhs])
    }

    /// Difference; wraps around for bit-vectors.
    public static func - (lhs: Term, rhs: Term) throws -> Term {
        try lhs.isBitVector
            ? lhs.context.apply(Z3_mk_bvsub, lhs, rhs)
            : lhs.context.apply(Z3_mk_sub, [lhs, rhs])
    }

    /// Product; wraps around for bit-vectors.
    public static func * (lhs: Term, rhs: Term) throws -> Term {
        try lhs.isBitVector
            ? lhs.context.apply(Z3_mk_bvmul, lhs, rhs)
            : lhs.context.apply(Z3_mk_mul, [lhs, rhs])
    }

    /// Sum with a numeral of `lhs`'s sort.
    public static func + (lhs: Term, rhs: Int) throws -> Term {
        try lhs + lhs.context.numeral(rhs, sortOf: lhs)
    }

    /// Difference with a numeral of `lhs`'s sort.
    public static func - (lhs: Term, rhs: Int) throws -> Term {
        try lhs - lhs.context.numeral(rhs, sortOf: lhs)
    }

    /// Product with a numeral of `lhs`'s sort.
    public static func * (lhs: Term, rhs: Int) throws -> Term {
        try lhs * lhs.context.numeral(rhs, sortOf: lhs)
    }

    // MARK: - Comparison (unsigned bit-vector or integer)

    /// `lhs < rhs`; unsigned (`bvult`) for bit-vectors.
    public static func < (lhs: Term, rhs: Term) throws -> Term {
        try lhs.context.apply(lhs.isBitVector ? Z3_mk_bvult : Z3_mk_lt, lhs, rhs)
    }

    /// `lhs ≤ rhs`; unsigned (`bvule`) for bit-vectors.
    public static func <= (lhs: Term, rhs: Term) throws -> Term {
        try lhs.context.apply(lhs.isBitVector ? Z3_mk_bvule : Z3_mk_le, lhs, rhs)
    }

    /// `lhs > rhs`; unsigned (`bvugt`) for bit-vectors.
    public static func > (lhs: Term, rhs: Term) throws -> Term {
        try lhs.context.apply(lhs.isBitVector ? Z3_mk_bvugt : Z3_mk_gt, lhs, rhs)
    }

    /// `lhs ≥ rhs`; unsigned (`bvuge`) for bit-vectors.
    public static func >= (lhs: Term, rhs: Term) throws -> Term {
        try lhs.context.apply(lhs.isBitVector ? Z3_mk_bvuge : Z3_mk_ge, lhs, rhs)
    }

    /// `lhs < rhs` with `rhs` a numeral of `lhs`'s sort.
    public static func < (lhs: Term, rhs: Int) throws -> Term {
        try lhs < lhs.context.numeral(rhs, sortOf: lhs)
    }

    /// `lhs ≤ rhs` with `rhs` a numeral of `lhs`'s sort.
    public static func <= (lhs: Term, rhs: Int) throws -> Term {
        try lhs <= lhs.context.numeral(rhs, sortOf: lhs)
    }

    /// `lhs > rhs` with `rhs` a numeral of `lhs`'s sort.
    public static func > (lhs: Term, rhs: Int) throws -> Term {
        try lhs > lhs.context.numeral(rhs, sortOf: lhs)
    }

    /// `lhs ≥ rhs` with `rhs` a numeral of `lhs`'s sort.
    public static func >= (lhs: Term, rhs: Int) throws -> Term {
        try lhs >= lhs.context.numeral(rhs, sortOf: lhs)
    }

    // MARK: - Bitwise (bit-vector only)

    /// Bitwise and of two bit-vectors.
    public static func & (lhs: Term, rhs: Term) throws -> Term {
        try lhs.context.apply(Z3_mk_bvand, lhs, rhs)
    }

    /// Bitwise or of two bit-vectors.
    public static func | (lhs: Term, rhs: Term) throws -> Term {
        try lhs.context.apply(Z3_mk_bvor, lhs, rhs)
    }

    /// Bitwise exclusive or of two bit-vectors.
    public static func ^ (lhs: Term, rhs: Term) throws -> Term {
        try lhs.context.apply(Z3_mk_bvxor, lhs, rhs)
    }

    /// Bitwise complement of a bit-vector.
    public static prefix func ~ (operand: Term) throws -> Term {
        try operand.context.apply(Z3_mk_bvnot, operand)
    }
}
