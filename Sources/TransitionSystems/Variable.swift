/// A state variable: a scalar, or an array indexed by a finite domain.
///
/// Declare it once and use the value to read it in expressions (`count.value`,
/// `pollStatus[m]`) and to assign it in steps (`pollStatus[m] <- ...`).
public struct Variable: Sendable {
    /// How a variable starts.
    public enum Initial: Sendable {
        /// Every element starts at this value.
        case value(Expr)
        /// Each element starts at a value computed from its index, bound to the name.
        case each(String, Expr)
        /// Any value of the domain: the checkers explore every one.
        case any
    }

    /// The name the spec, traces and reports use.
    public let name: String
    /// The values the variable (or each element) takes.
    public let domain: Domain
    /// The domain an array variable is indexed by, or `nil` for a scalar.
    public let index: Domain?
    /// The initial value.
    public let initial: Initial
    /// What the variable stands for, in plain words.
    public let doc: String

    /// A scalar variable starting at `initial`.
    public init(_ name: String, _ domain: Domain, initial: Expr, doc: String = "") {
        self.name = name
        self.domain = domain
        self.index = nil
        self.initial = .value(initial)
        self.doc = doc
    }

    /// An array variable whose every element starts at `initial`.
    public init(_ name: String, _ domain: Domain, indexedBy index: Domain, initial: Expr, doc: String = "") {
        self.name = name
        self.domain = domain
        self.index = index
        self.initial = .value(initial)
        self.doc = doc
    }

    /// An array variable whose element `i` starts at `initial(i)`.
    public init(_ name: String, _ domain: Domain, indexedBy index: Domain, doc: String = "", initial: (Expr) -> Expr) {
        self.name = name
        self.domain = domain
        self.index = index
        let binder = "\(name).index"
        self.initial = .each(binder, initial(.parameter(binder)))
        self.doc = doc
    }

    /// A variable (scalar, or array when `index` is given) that may start at any value of its domain.
    public init(_ name: String, _ domain: Domain, indexedBy index: Domain? = nil, arbitraryInitialValue: Void, doc: String = "") {
        self.name = name
        self.domain = domain
        self.index = index
        self.initial = .any
        self.doc = doc
    }

    /// The value of a scalar variable.
    public var value: Expr { .variable(name) }

    /// The value of element `index` of an array variable.
    public subscript(_ index: Expr) -> Expr { .element(name, index) }

    /// The number of state slots the variable takes.
    public var slotCount: Int { index?.size ?? 1 }
}
