/// An expression of the spec language: a syntax tree, not a closure.
///
/// One tree is interpreted concretely by the explicit engine, grounded and encoded
/// into Z3 by the symbolic engines, and rendered for review. Names in it (variables,
/// parameters, values) are checked when the spec is loaded into a ``TransitionSystem``.
///
/// `Expr` is deliberately not `Equatable`: `==`, `!=`, `<`, `&&`, `||`, `!`, `+`
/// and `-` build expressions, so a guard reads as it would in TLA+ or PlusCal:
/// `pollStatus[m] == PollStatus["POLL_DONE"] && users[m] > 0`.
public indirect enum Expr: Sendable {
    /// A truth value.
    case bool(Bool)
    /// An integer; it takes the domain of the integer-range expression it meets.
    case number(Int)
    /// A named value of a domain, such as `PollStatus["POLLING"]`.
    case literal(domain: Domain, value: String)
    /// The current value of a scalar state variable.
    case variable(String)
    /// The current value of one element of an array state variable.
    case element(String, Expr)
    /// An action parameter, the process instance, or a quantified name.
    case parameter(String)
    case not(Expr)
    case and([Expr])
    case or([Expr])
    case implies(Expr, Expr)
    case equal(Expr, Expr)
    case less(Expr, Expr)
    case lessOrEqual(Expr, Expr)
    case add(Expr, Expr)
    case subtract(Expr, Expr)
    /// `ite(c, a, b)`: `a` when `c` holds, else `b`.
    case ite(Expr, Expr, Expr)
    /// Holds when `body` holds for every value of the domain bound to the name.
    case forAll(String, Domain, Expr)
    /// Holds when `body` holds for some value of the domain bound to the name.
    case exists(String, Domain, Expr)
    /// The number of values of the domain for which `body` holds.
    case count(String, Domain, Expr)
}

// MARK: - Literals

extension Expr: ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(integerLiteral value: Int) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

// MARK: - Building expressions

extension Expr {
    /// `then` when `condition` holds, else `otherwise`.
    public static func ite(_ condition: Expr, then: Expr, else otherwise: Expr) -> Expr {
        .ite(condition, then, otherwise)
    }

    /// Holds when `body` holds for every value of `domain`, named `name` in the body.
    public static func forAll(_ name: String, in domain: Domain, _ body: (Expr) -> Expr) -> Expr {
        .forAll(name, domain, body(.parameter(name)))
    }

    /// Holds when `body` holds for some value of `domain`, named `name` in the body.
    public static func exists(_ name: String, in domain: Domain, _ body: (Expr) -> Expr) -> Expr {
        .exists(name, domain, body(.parameter(name)))
    }

    /// The number of values of `domain` (named `name` in the body) for which `body` holds.
    public static func count(_ name: String, in domain: Domain, _ body: (Expr) -> Expr) -> Expr {
        .count(name, domain, body(.parameter(name)))
    }

    /// Holds when exactly one of `conditions` holds.
    public static func exactlyOne(_ conditions: [Expr]) -> Expr {
        .equal(conditions.map { .ite($0, .number(1), .number(0)) }.reduce(Expr.number(0)) { .add($0, $1) }, .number(1))
    }

    /// Holds when `self` implies `other`.
    public func implies(_ other: Expr) -> Expr { .implies(self, other) }
}

// MARK: - Operators

public func == (lhs: Expr, rhs: Expr) -> Expr { .equal(lhs, rhs) }
public func != (lhs: Expr, rhs: Expr) -> Expr { .not(.equal(lhs, rhs)) }
public func < (lhs: Expr, rhs: Expr) -> Expr { .less(lhs, rhs) }
public func <= (lhs: Expr, rhs: Expr) -> Expr { .lessOrEqual(lhs, rhs) }
public func > (lhs: Expr, rhs: Expr) -> Expr { .less(rhs, lhs) }
public func >= (lhs: Expr, rhs: Expr) -> Expr { .lessOrEqual(rhs, lhs) }
public func + (lhs: Expr, rhs: Expr) -> Expr { .add(lhs, rhs) }
public func - (lhs: Expr, rhs: Expr) -> Expr { .subtract(lhs, rhs) }
public prefix func ! (operand: Expr) -> Expr { .not(operand) }

public func && (lhs: Expr, rhs: Expr) -> Expr {
    switch (lhs, rhs) {
    case (.and(let a), .and(let b)): return .and(a + b)
    case (.and(let a), _): return .and(a + [rhs])
    default: return .and([lhs, rhs])
    }
}

public func || (lhs: Expr, rhs: Expr) -> Expr {
    switch (lhs, rhs) {
    case (.or(let a), .or(let b)): return .or(a + b)
    case (.or(let a), _): return .or(a + [rhs])
    default: return .or([lhs, rhs])
    }
}
