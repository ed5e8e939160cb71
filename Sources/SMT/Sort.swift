import CZ3

/// The sort (type) of a term, such as Bool, Int or a bit-vector of a given width.
///
/// Sorts compare equal when Z3 considers them the same sort in the same context.
public final class Sort: Hashable, CustomStringConvertible {
    /// The classification of a sort.
    public enum Kind: Hashable {
        /// The Boolean sort.
        case bool
        /// The sort of mathematical integers.
        case int
        /// A bit-vector sort with `width` bits.
        case bitVector(width: Int)
        /// An algebraic datatype; enumeration sorts are datatypes.
        case datatype
        /// Any other sort (reals, arrays, uninterpreted sorts, ...).
        case other
    }

    /// The context the sort belongs to; the sort keeps it alive.
    public let context: Context
    let raw: Z3_sort

    /// Wraps `raw`, taking a Z3 reference to it.
    init(context: Context, raw: Z3_sort) {
        self.context = context
        self.raw = raw
        Z3_inc_ref(context.raw, Z3_sort_to_ast(context.raw, raw))
    }

    deinit {
        Z3_dec_ref(context.raw, Z3_sort_to_ast(context.raw, raw))
    }

    /// What kind of sort this is; bit-vector sorts carry their width.
    public var kind: Kind {
        let kind = Z3_get_sort_kind(context.raw, raw)
        switch kind {
        case Z3_BOOL_SORT:
            return .bool
        case Z3_INT_SORT:
            return .int
        case Z3_BV_SORT:
            return .bitVector(width: Int(Z3_get_bv_sort_size(context.raw, raw)))
        case Z3_DATATYPE_SORT:
            return .datatype
        default:
            return .other
        }
    }

    /// The SMT-LIB name of the sort, for example `(_ BitVec 8)`.
    public var description: String {
        String(cString: Z3_sort_to_string(context.raw, raw))
    }

    public static func == (lhs: Sort, rhs: Sort) -> Bool {
        lhs.context === rhs.context && Z3_is_eq_sort(lhs.context.raw, lhs.raw, rhs.raw)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(context))
        hasher.combine(Z3_get_sort_id(context.raw, raw))
    }
}
