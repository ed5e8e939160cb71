/// Resolves, type-checks and grounds a spec's expressions against a state layout.
///
/// Each problem found is named with the place it was found in (`action sender.poll_done`,
/// `invariant no-leak`) and the expression as the spec wrote it.
struct Grounder {
    /// The type of an expression while it is checked.
    enum ValueType: Equatable, CustomStringConvertible {
        case boolean
        case integer
        case domain(Domain)

        init(_ domain: Domain) {
            self = domain.kind == .boolean ? .boolean : .domain(domain)
        }

        var isNumeric: Bool {
            switch self {
            case .integer: return true
            case .domain(let d): return d.isNumeric
            case .boolean: return false
            }
        }

        var description: String {
            switch self {
            case .boolean: return "Bool"
            case .integer: return "an integer"
            case .domain(let d): return d.name
            }
        }
    }

    struct Failure: Error {
        let message: String
    }

    /// A name bound by a parameter or a quantifier.
    struct Binding {
        let value: Int
        let domain: Domain
    }

    let layout: StateLayout

    // MARK: - Expressions

    func ground(_ expr: Expr, _ scope: [String: Binding]) throws -> (GroundTerm, ValueType) {
        switch expr {
        case .bool(let b):
            return (.constant(b ? 1 : 0), .boolean)
        case .number(let n):
            return (.constant(n), .integer)
        case .literal(let domain, let valueName):
            guard let value = domain.runtimeValue(named: valueName) else {
                throw Failure(message: "unknown value '\(valueName)' of domain \(domain.name) (its values: \(domain.valueNames.joined(separator: ", ")))")
            }
            return (.constant(value), ValueType(domain))
        case .parameter(let name):
            guard let binding = scope[name] else { throw Failure(message: "unknown name '\(name)'") }
            return (.constant(binding.value), ValueType(binding.domain))
        case .variable(let name):
            let v = try variable(name)
            guard layout.variables[v].index == nil else {
                throw Failure(message: "array variable '\(name)' is used without an index")
            }
            return (.slot(layout.offsets[v]), ValueType(layout.variables[v].domain))
        case .element(let name, let indexExpr):
            let v = try variable(name)
            guard let indexDomain = layout.variables[v].index else {
                throw Failure(message: "scalar variable '\(name)' is used with an index")
            }
            let (index, indexType) = try ground(indexExpr, scope)
            try requireIndex(indexType, indexDomain, "index of '\(name)'", index)
            let slots = Array(layout.slots(of: v))
            return (.makeSelect(slots: slots, index: index, indexLowerBound: indexDomain.lowerBound),
                    ValueType(layout.variables[v].domain))
        case .not(let a):
            return (.makeNot(try boolean(a, scope)), .boolean)
        case .and(let xs):
            return (.makeAnd(try xs.map { try boolean($0, scope) }), .boolean)
        case .or(let xs):
            return (.makeOr(try xs.map { try boolean($0, scope) }), .boolean)
        case .implies(let a, let b):
            return (.makeOr([.makeNot(try boolean(a, scope)), try boolean(b, scope)]), .boolean)
        case .equal(let a, let b):
            let (ta, ya) = try ground(a, scope)
            let (tb, yb) = try ground(b, scope)
            guard comparable(ya, yb) else {
                throw Failure(message: "cannot compare \(a) (\(ya)) with \(b) (\(yb))")
            }
            return (.makeEqual(ta, tb), .boolean)
        case .less(let a, let b):
            let (ta, tb) = try numeric(a, b, scope, "<")
            return (.makeLess(ta, tb), .boolean)
        case .lessOrEqual(let a, let b):
            let (ta, tb) = try numeric(a, b, scope, "<=")
            return (.makeLessOrEqual(ta, tb), .boolean)
        case .add(let a, let b):
            let (ta, tb) = try numeric(a, b, scope, "+")
            return (.makeAdd(ta, tb), .integer)
        case .subtract(let a, let b):
            let (ta, tb) = try numeric(a, b, scope, "-")
            return (.makeSubtract(ta, tb), .integer)
        case .ite(let c, let a, let b):
            let tc = try boolean(c, scope)
            let (ta, ya) = try ground(a, scope)
            let (tb, yb) = try ground(b, scope)
            guard comparable(ya, yb) else {
                throw Failure(message: "the branches of \(expr) have different types (\(ya) and \(yb))")
            }
            return (.makeIte(tc, ta, tb), merged(ya, yb))
        case .forAll(let name, let domain, let body):
            return (.makeAnd(try expand(name, domain, body, scope)), .boolean)
        case .exists(let name, let domain, let body):
            return (.makeOr(try expand(name, domain, body, scope)), .boolean)
        case .count(let name, let domain, let body):
            let terms = try expand(name, domain, body, scope).map { GroundTerm.makeIte($0, .constant(1), .constant(0)) }
            return (terms.reduce(GroundTerm.constant(0)) { .makeAdd($0, $1) }, .integer)
        }
    }

    func boolean(_ expr: Expr, _ scope: [String: Binding]) throws -> GroundTerm {
        let (term, type) = try ground(expr, scope)
        guard type == .boolean else { throw Failure(message: "\(expr) is \(type), not a condition") }
        return term
    }

    /// A value for a slot of `domain`: checked for type, and for range when it is a constant.
    func value(_ expr: Expr, for domain: Domain, _ scope: [String: Binding], _ what: String) throws -> GroundTerm {
        let (term, type) = try ground(expr, scope)
        guard comparable(type, ValueType(domain)) else {
            throw Failure(message: "\(what) gets \(expr), which is \(type), not \(domain.name)")
        }
        if let constant = term.constantValue, !domain.contains(runtimeValue: constant) {
            throw Failure(message: "\(what) gets \(expr) = \(domain.name(ofRuntimeValue: constant)), which is outside its domain \(domain)")
        }
        return term
    }

    private func variable(_ name: String) throws -> Int {
        guard let v = layout.variable(named: name) else { throw Failure(message: "unknown variable '\(name)'") }
        return v
    }

    private func numeric(_ a: Expr, _ b: Expr, _ scope: [String: Binding], _ op: String) throws -> (GroundTerm, GroundTerm) {
        let (ta, ya) = try ground(a, scope)
        let (tb, yb) = try ground(b, scope)
        guard ya.isNumeric, yb.isNumeric else {
            throw Failure(message: "'\(op)' needs numbers, but \(a) is \(ya) and \(b) is \(yb)")
        }
        return (ta, tb)
    }

    private func expand(_ name: String, _ domain: Domain, _ body: Expr, _ scope: [String: Binding]) throws -> [GroundTerm] {
        try (0..<domain.size).map { position in
            var inner = scope
            inner[name] = Binding(value: domain.lowerBound + position, domain: domain)
            return try boolean(body, inner)
        }
    }

    func requireIndex(_ type: ValueType, _ indexDomain: Domain, _ what: String, _ term: GroundTerm) throws {
        guard comparable(type, ValueType(indexDomain)) else {
            throw Failure(message: "\(what) is \(type), not \(indexDomain.name)")
        }
        if let constant = term.constantValue, !indexDomain.contains(runtimeValue: constant) {
            throw Failure(message: "\(what) is \(indexDomain.name(ofRuntimeValue: constant)), outside \(indexDomain)")
        }
    }

    func comparable(_ a: ValueType, _ b: ValueType) -> Bool {
        switch (a, b) {
        case (.boolean, .boolean): return true
        case (.domain(let x), .domain(let y)) where !x.isNumeric || !y.isNumeric:
            return x == y || x.baseName == y.baseName
        default: return a.isNumeric && b.isNumeric
        }
    }

    private func merged(_ a: ValueType, _ b: ValueType) -> ValueType {
        if case .domain(let d) = a, case .optional = d.kind { return a }
        if case .domain(let d) = b, case .optional = d.kind { return b }
        if a == .integer { return b }
        return a
    }

    // MARK: - Updates

    /// A path of `If` conditions: the condition's identity and the branch taken.
    typealias Path = [(id: Int, taken: Bool)]

    /// Flattens an action's updates into ground updates, each with the conjunction of its `If` conditions.
    func updates(_ updates: [Update], _ scope: [String: Binding]) throws -> [(GroundUpdate, Path)] {
        var result: [(GroundUpdate, Path)] = []
        var nextCondition = 0
        func visit(_ list: [Update], _ conditions: [GroundTerm], _ path: Path) throws {
            for update in list {
                switch update {
                case .goto(let label):
                    throw Failure(message: "goto \(label) outside a process")
                case .when(let c, let t, let e):
                    let condition = try boolean(c, scope)
                    // A condition fixed by the parameters keeps only the branch taken, so that
                    // "for every other CPU" updates do not collide with the acting CPU's own.
                    if let fixed = condition.constantValue {
                        try visit(fixed != 0 ? t : e, conditions, path)
                        continue
                    }
                    let id = nextCondition
                    nextCondition += 1
                    try visit(t, conditions + [condition], path + [(id, true)])
                    try visit(e, conditions + [.makeNot(condition)], path + [(id, false)])
                case .assign(let targetExpr, let valueExpr):
                    let text = update.description
                    let (target, domain, name) = try self.target(targetExpr, scope)
                    let value = try value(valueExpr, for: domain, scope, "'\(name)'")
                    result.append((GroundUpdate(target: target, value: value, condition: .makeAnd(conditions),
                                                domain: domain, text: text), path))
                }
            }
        }
        try visit(updates, [], [])
        return result
    }

    private func target(_ expr: Expr, _ scope: [String: Binding]) throws -> (GroundUpdate.Target, Domain, String) {
        switch expr {
        case .variable(let name):
            let v = try variable(name)
            guard layout.variables[v].index == nil else {
                throw Failure(message: "array variable '\(name)' is assigned without an index")
            }
            return (.slot(layout.offsets[v]), layout.variables[v].domain, name)
        case .element(let name, let indexExpr):
            let v = try variable(name)
            guard let indexDomain = layout.variables[v].index else {
                throw Failure(message: "scalar variable '\(name)' is assigned with an index")
            }
            let (index, type) = try ground(indexExpr, scope)
            try requireIndex(type, indexDomain, "index of '\(name)'", index)
            let slots = Array(layout.slots(of: v))
            if let constant = index.constantValue {
                let slot = slots[constant - indexDomain.lowerBound]
                return (.slot(slot), layout.variables[v].domain, layout.slots[slot].name)
            }
            return (.select(slots: slots, index: index, indexLowerBound: indexDomain.lowerBound),
                    layout.variables[v].domain, "\(name)[\(indexExpr)]")
        default:
            throw Failure(message: "the left side of <- must be a variable or an array element, not \(expr)")
        }
    }

    /// Whether two `If` paths can both be taken in one state, as far as the structure shows.
    static func compatible(_ a: Path, _ b: Path) -> Bool {
        for x in a { for y in b where x.id == y.id && x.taken != y.taken { return false } }
        return true
    }
}
