import CZ3

/// The owner of all Z3 state: every sort, term, solver and model belongs to exactly one context.
///
/// The underlying Z3 context is created with `Z3_mk_context_rc`, so Z3 objects are reference
/// counted: each Swift wrapper (``Sort``, ``Term``, ``Solver``, ``Model``) takes a Z3 reference
/// when it is created and releases it in `deinit`, and holds a strong reference to its context,
/// so a context lives as long as anything made from it.
///
/// ## Errors
///
/// The context installs a no-op Z3 error handler, so Z3 never aborts the process. Every call
/// into Z3 that can fail is followed by a check of `Z3_get_error_code`, and a failure is thrown
/// immediately as ``SMTError/z3(code:message:)``. Consequently everything that builds a term from
/// operands throws (ill-sorted operands, such as `==` between a Bool and a bit-vector, are
/// rejected by Z3 at construction time), and so do the solver and model calls Z3 can reject
/// (assert, pop, check, model, unsat core, parameters, evaluation). Only operations that cannot
/// fail — the Bool and Int sorts, Bool and Int literals, reading a term's sort or text, push,
/// scope count, reset and statistics — are non-throwing. One `try` covers a whole expression
/// such as `try a + b == c && d`. No error is deferred: after a throw the context is fully usable.
///
/// Mixing objects from two contexts is rejected with ``SMTError/invalidArgument(_:)`` before
/// Z3 is called.
///
/// ## Cost
///
/// Z3 allocates roughly 18 MB per context, so share one context per verification run rather
/// than creating one per query.
///
/// ## Threads
///
/// A context and everything made from it must be used from one thread at a time.
public final class Context {
    let raw: Z3_context

    /// Creates a context with Z3's default configuration (model generation enabled).
    public init() {
        let config = Z3_mk_config()
        defer { Z3_del_config(config) }
        guard let raw = Z3_mk_context_rc(config) else {
            fatalError("Z3 could not create a context (out of memory)")
        }
        Z3_set_error_handler(raw) { _, _ in }
        self.raw = raw
    }

    deinit {
        Z3_del_context(raw)
    }

    // MARK: - Sorts

    /// The Boolean sort.
    public var boolSort: Sort {
        Sort(context: self, raw: Z3_mk_bool_sort(raw))
    }

    /// The sort of mathematical (unbounded) integers.
    public var intSort: Sort {
        Sort(context: self, raw: Z3_mk_int_sort(raw))
    }

    /// The sort of bit-vectors with `width` bits; `width` must be positive.
    public func bitVectorSort(width: Int) throws -> Sort {
        let width = try Self.positiveUInt32(width, "bit-vector width")
        let sort = Z3_mk_bv_sort(raw, width)
        try checkError()
        return try Sort(context: self, raw: unwrap(sort))
    }

    /// Declares an enumeration sort called `name` whose values are exactly `cases`, in order.
    ///
    /// Throws if `cases` is empty or has duplicates.
    public func enumerationSort(name: String, cases: [String]) throws -> EnumerationSort {
        guard !cases.isEmpty else {
            throw SMTError.invalidArgument("enumeration sort \(name) needs at least one case")
        }
        guard Set(cases).count == cases.count else {
            throw SMTError.invalidArgument("enumeration sort \(name) has duplicate cases")
        }
        let caseSymbols: [Z3_symbol?] = cases.map { Z3_mk_string_symbol(raw, $0) }
        var constructors = [Z3_func_decl?](repeating: nil, count: cases.count)
        var testers = [Z3_func_decl?](repeating: nil, count: cases.count)
        let rawSort = Z3_mk_enumeration_sort(
            raw, Z3_mk_string_symbol(raw, name), UInt32(cases.count),
            caseSymbols, &constructors, &testers
        )
        try checkError()
        let sort = try Sort(context: self, raw: unwrap(rawSort))
        let caseTerms = try constructors.map { constructor in
            try makeTerm { Z3_mk_app($0, constructor, 0, nil) }
        }
        return EnumerationSort(sort: sort, cases: caseTerms, caseNames: cases)
    }

    // MARK: - Constants and literals

    /// The constant called `name` of `sort`; the same name and sort always give the same term.
    public func constant(_ name: String, sort: Sort) throws -> Term {
        try requireOwned(sort)
        return try makeTerm { Z3_mk_const($0, Z3_mk_string_symbol($0, name), sort.raw) }
    }

    /// A constant of `sort` whose name starts with `prefix` and differs from every other constant.
    public func freshConstant(prefix: String = "fresh", sort: Sort) throws -> Term {
        try requireOwned(sort)
        return try makeTerm { Z3_mk_fresh_const($0, prefix, sort.raw) }
    }

    /// The Boolean literal `value`.
    public func bool(_ value: Bool) -> Term {
        Term(context: self, raw: value ? Z3_mk_true(raw) : Z3_mk_false(raw))
    }

    /// The integer numeral `value` of the Int sort.
    public func int(_ value: Int) -> Term {
        Term(context: self, raw: Z3_mk_int64(raw, Int64(value), Z3_mk_int_sort(raw)))
    }

    /// The bit-vector numeral `value` with `width` bits, taken modulo 2^width (so `-1` is all ones).
    public func bitVector(_ value: Int, width: Int) throws -> Term {
        let sort = try bitVectorSort(width: width)
        return try makeTerm { Z3_mk_int64($0, Int64(value), sort.raw) }
    }

    // MARK: - N-ary and other operations

    /// The conjunction of `terms`; `true` when `terms` is empty.
    public func and(_ terms: [Term]) throws -> Term {
        if terms.isEmpty { return bool(true) }
        if terms.count == 1 { return try requireBool(terms[0]) }
        return try apply(Z3_mk_and, terms)
    }

    /// The disjunction of `terms`; `false` when `terms` is empty.
    public func or(_ terms: [Term]) throws -> Term {
        if terms.isEmpty { return bool(false) }
        if terms.count == 1 { return try requireBool(terms[0]) }
        return try apply(Z3_mk_or, terms)
    }

    /// The formula that holds when all `terms` have pairwise different values; `true` for
    /// fewer than two terms.
    public func distinct(_ terms: [Term]) throws -> Term {
        if terms.count < 2 {
            try terms.forEach(requireOwned)
            return bool(true)
        }
        return try apply(Z3_mk_distinct, terms)
    }

    /// If-then-else: `then` when `condition` holds, otherwise `else`.
    ///
    /// `condition` must be Boolean and both branches must have the same sort.
    public func ite(_ condition: Term, then: Term, else: Term) throws -> Term {
        try requireOwned(condition)
        try requireOwned(then)
        try requireOwned(`else`)
        return try makeTerm { Z3_mk_ite($0, condition.raw, then.raw, `else`.raw) }
    }

    // MARK: - Internal helpers

    /// Throws the pending Z3 error of the last call, if any.
    func checkError() throws {
        let code = Z3_get_error_code(raw)
        guard code != Z3_OK else { return }
        let message = Z3_get_error_msg(raw, code).map { String(cString: $0) } ?? "unknown error"
        throw SMTError.z3(code: Int(code.rawValue), message: message)
    }

    /// Returns `handle`, or throws if Z3 returned null without setting an error code.
    func unwrap<Handle>(_ handle: Handle?) throws -> Handle {
        guard let handle else {
            throw SMTError.z3(code: Int(Z3_EXCEPTION.rawValue), message: "Z3 returned no result")
        }
        return handle
    }

    /// Throws unless `term` belongs to this context.
    func requireOwned(_ term: Term) throws {
        guard term.context === self else {
            throw SMTError.invalidArgument("term \(term) belongs to a different context")
        }
    }

    /// Throws unless `sort` belongs to this context.
    func requireOwned(_ sort: Sort) throws {
        guard sort.context === self else {
            throw SMTError.invalidArgument("sort \(sort) belongs to a different context")
        }
    }

    /// Returns `term` if it is a Boolean term of this context.
    @discardableResult
    func requireBool(_ term: Term) throws -> Term {
        try requireOwned(term)
        guard Z3_get_sort_kind(raw, Z3_get_sort(raw, term.raw)) == Z3_BOOL_SORT else {
            throw SMTError.z3(
                code: Int(Z3_SORT_ERROR.rawValue),
                message: "expected a Boolean term, got \(term) of sort \(term.sort)"
            )
        }
        return term
    }

    /// Calls `build`, checks for a Z3 error and wraps the resulting AST in a ``Term``.
    ///
    /// Callers must keep the operand terms alive until `build` returns; function parameters are.
    func makeTerm(_ build: (Z3_context) -> Z3_ast?) throws -> Term {
        let ast = build(raw)
        try checkError()
        return try Term(context: self, raw: unwrap(ast))
    }

    /// Applies a unary Z3 constructor to `operand`.
    func apply(_ build: (Z3_context?, Z3_ast?) -> Z3_ast?, _ operand: Term) throws -> Term {
        try requireOwned(operand)
        return try makeTerm { build($0, operand.raw) }
    }

    /// Applies a binary Z3 constructor to `lhs` and `rhs`.
    func apply(
        _ build: (Z3_context?, Z3_ast?, Z3_ast?) -> Z3_ast?, _ lhs: Term, _ rhs: Term
    ) throws -> Term {
        try requireOwned(lhs)
        try requireOwned(rhs)
        return try makeTerm { build($0, lhs.raw, rhs.raw) }
    }

    /// Applies an n-ary Z3 constructor to `operands`.
    func apply(
        _ build: (Z3_context?, UInt32, UnsafePointer<Z3_ast?>?) -> Z3_ast?, _ operands: [Term]
    ) throws -> Term {
        try operands.forEach(requireOwned)
        let asts: [Z3_ast?] = operands.map(\.raw)
        return try withExtendedLifetime(operands) {
            try makeTerm { build($0, UInt32(asts.count), asts) }
        }
    }

    /// The numeral `value` in the sort of `term`, for mixing terms with Swift integers.
    func numeral(_ value: Int, sortOf term: Term) throws -> Term {
        try requireOwned(term)
        return try makeTerm { Z3_mk_int64($0, Int64(value), Z3_get_sort($0, term.raw)) }
    }

    /// `value` as a `UInt32`, or throws if it is not positive.
    static func positiveUInt32(_ value: Int, _ what: String) throws -> UInt32 {
        guard value > 0, let result = UInt32(exactly: value) else {
            throw SMTError.invalidArgument("\(what) must be a positive 32-bit number, got \(value)")
        }
        return result
    }

    /// `value` as a `UInt32`, or throws if it is negative.
    static func nonNegativeUInt32(_ value: Int, _ what: String) throws -> UInt32 {
        guard let result = UInt32(exactly: value) else {
            throw SMTError.invalidArgument("\(what) must be a non-negative 32-bit number, got \(value)")
        }
        return result
    }
}
