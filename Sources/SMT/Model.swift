import CZ3

/// An assignment of values to constants that satisfies a solver's assertions.
///
/// Obtained from ``Solver/model()``; a model stays valid after the solver changes or is gone.
public final class Model: CustomStringConvertible {
    /// The context the model belongs to; the model keeps it alive.
    public let context: Context
    let raw: Z3_model

    init(context: Context, raw: Z3_model) {
        self.context = context
        self.raw = raw
        Z3_model_inc_ref(context.raw, raw)
    }

    deinit {
        Z3_model_dec_ref(context.raw, raw)
    }

    /// The value of `term` in the model.
    ///
    /// With `completion`, constants the model leaves unconstrained get a default value, so the
    /// result is a literal; without it they are left symbolic.
    public func evaluate(_ term: Term, completion: Bool = true) throws -> Term {
        try context.requireOwned(term)
        var result: Z3_ast?
        let succeeded = Z3_model_eval(context.raw, raw, term.raw, completion, &result)
        let value = result.map { Term(context: context, raw: $0) }
        try context.checkError()
        guard succeeded, let value else {
            throw SMTError.unexpectedValue("Z3 could not evaluate \(term) in the model")
        }
        return value
    }

    /// The truth value of the Boolean `term`.
    public func bool(_ term: Term) throws -> Bool {
        let value = try evaluate(term)
        let truth = withExtendedLifetime(value) { Z3_get_bool_value(context.raw, value.raw) }
        switch truth {
        case Z3_L_TRUE: return true
        case Z3_L_FALSE: return false
        default: throw SMTError.unexpectedValue("\(term) has no Boolean value, it evaluates to \(value)")
        }
    }

    /// The value of the integer or bit-vector `term`; bit-vectors are read as unsigned.
    ///
    /// Throws if the value does not fit in `Int`.
    public func int(_ term: Term) throws -> Int {
        let value = try evaluate(term)
        let number: Int? = try withExtendedLifetime(value) {
            guard Z3_is_numeral_ast(context.raw, value.raw) else {
                throw SMTError.unexpectedValue("\(term) has no numeric value, it evaluates to \(value)")
            }
            if value.isBitVector {
                var unsigned: UInt64 = 0
                let fits = Z3_get_numeral_uint64(context.raw, value.raw, &unsigned)
                return fits ? Int(exactly: unsigned) : nil
            }
            var signed: Int64 = 0
            let fits = Z3_get_numeral_int64(context.raw, value.raw, &signed)
            return fits ? Int(exactly: signed) : nil
        }
        guard let number else {
            throw SMTError.unexpectedValue("value \(value) of \(term) does not fit in Int")
        }
        return number
    }

    /// The index, in declaration order, of the enumeration case that `term` takes.
    public func enumerationCase(_ term: Term) throws -> Int {
        let value = try evaluate(term)
        let index: Int? = withExtendedLifetime(value) {
            let c = context.raw
            let sort = Z3_get_sort(c, value.raw)
            guard Z3_get_sort_kind(c, sort) == Z3_DATATYPE_SORT, Z3_is_app(c, value.raw),
                  let declaration = Z3_get_app_decl(c, Z3_to_app(c, value.raw))
            else { return nil }
            let count = Z3_get_datatype_sort_num_constructors(c, sort)
            return (0..<count).first { candidate in
                Z3_is_eq_func_decl(c, declaration, Z3_get_datatype_sort_constructor(c, sort, candidate))
            }.map(Int.init)
        }
        guard let index else {
            throw SMTError.unexpectedValue("\(term) has no enumeration value, it evaluates to \(value)")
        }
        return index
    }

    /// The model in Z3's text format, one definition per constant.
    public var description: String {
        String(cString: Z3_model_to_string(context.raw, raw))
    }
}
