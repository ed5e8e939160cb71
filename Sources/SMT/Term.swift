import CZ3

/// A Z3 expression (an AST) of some ``Sort``: a formula, a bit-vector, an integer, ...
///
/// Terms are built with the factory methods of ``Context`` and the operators in
/// `Term+Operators.swift`. Because `==` builds an equation rather than comparing, `Term` is not
/// `Equatable`; use ``isIdentical(to:)`` or ``id`` to compare terms structurally.
///
/// A term holds a Z3 reference to its AST and a strong reference to its context, so it stays
/// valid after the solver or model that produced it is gone.
public final class Term: CustomStringConvertible {
    /// The context the term belongs to; the term keeps it alive.
    public let context: Context
    let raw: Z3_ast

    /// Wraps `raw`, taking a Z3 reference to it.
    init(context: Context, raw: Z3_ast) {
        self.context = context
        self.raw = raw
        Z3_inc_ref(context.raw, raw)
    }

    deinit {
        Z3_dec_ref(context.raw, raw)
    }

    /// The sort of the term.
    public var sort: Sort {
        Sort(context: context, raw: Z3_get_sort(context.raw, raw))
    }

    /// An identifier unique among the live terms of the context; identical terms share it.
    public var id: Int {
        Int(Z3_get_ast_id(context.raw, raw))
    }

    /// Whether `other` is structurally the same term (Z3 hash-conses terms, so this is cheap).
    public func isIdentical(to other: Term) -> Bool {
        context === other.context && Z3_is_eq_ast(context.raw, raw, other.raw)
    }

    /// The term in SMT-LIB syntax.
    public var description: String {
        String(cString: Z3_ast_to_string(context.raw, raw))
    }

    /// The term rewritten by Z3's simplifier, for example `(bvadd #x01 #x02)` becomes `#x03`.
    public func simplified() throws -> Term {
        try context.makeTerm { Z3_simplify($0, raw) }
    }

    // MARK: - Boolean connectives

    /// The implication `self → conclusion`.
    public func implies(_ conclusion: Term) throws -> Term {
        try context.apply(Z3_mk_implies, self, conclusion)
    }

    /// The equivalence `self ↔ other`.
    public func iff(_ other: Term) throws -> Term {
        try context.apply(Z3_mk_iff, self, other)
    }

    // MARK: - Bit-vector structure

    /// The bit-vector widened by `extraBits` leading zero bits.
    public func zeroExtended(by extraBits: Int) throws -> Term {
        let extra = try Context.nonNegativeUInt32(extraBits, "zero-extension")
        return try context.makeTerm { Z3_mk_zero_ext($0, extra, raw) }
    }

    /// Bits `high` down to `low` (inclusive, bit 0 is least significant) of the bit-vector.
    public func extracted(high: Int, low: Int) throws -> Term {
        let high = try Context.nonNegativeUInt32(high, "extract high bit")
        let low = try Context.nonNegativeUInt32(low, "extract low bit")
        return try context.makeTerm { Z3_mk_extract($0, high, low, raw) }
    }

    /// The bit-vector whose high bits are `self` and whose low bits are `low`.
    public func concatenated(with low: Term) throws -> Term {
        try context.apply(Z3_mk_concat, self, low)
    }

    /// Whether the term's sort is a bit-vector sort.
    var isBitVector: Bool {
        Z3_get_sort_kind(context.raw, Z3_get_sort(context.raw, raw)) == Z3_BV_SORT
    }
}
