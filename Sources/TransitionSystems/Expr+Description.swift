extension Expr: CustomStringConvertible {
    /// The expression in the plain notation reports and reviews use: `poll_status[m] == POLL_DONE`.
    public var description: String { render(precedence: 0) }

    private func render(precedence outer: Int) -> String {
        func wrap(_ text: String, _ precedence: Int) -> String {
            precedence < outer ? "(\(text))" : text
        }
        switch self {
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .number(let n): return String(n)
        case .literal(_, let value): return value
        case .variable(let name): return name
        case .element(let name, let index): return "\(name)[\(index.render(precedence: 0))]"
        case .parameter(let name): return name
        case .not(.equal(let a, let b)):
            return wrap("\(a.render(precedence: 5)) != \(b.render(precedence: 5))", 4)
        case .not(let a): return "!" + a.render(precedence: 9)
        case .and(let xs):
            return xs.isEmpty ? "TRUE" : wrap(xs.map { $0.render(precedence: 3) }.joined(separator: " && "), 2)
        case .or(let xs):
            return xs.isEmpty ? "FALSE" : wrap(xs.map { $0.render(precedence: 2) }.joined(separator: " || "), 1)
        case .implies(let a, let b): return wrap("\(a.render(precedence: 1)) => \(b.render(precedence: 1))", 0)
        case .equal(let a, let b): return wrap("\(a.render(precedence: 5)) == \(b.render(precedence: 5))", 4)
        case .less(let a, let b): return wrap("\(a.render(precedence: 5)) < \(b.render(precedence: 5))", 4)
        case .lessOrEqual(let a, let b): return wrap("\(a.render(precedence: 5)) <= \(b.render(precedence: 5))", 4)
        case .add(let a, let b): return wrap("\(a.render(precedence: 6)) + \(b.render(precedence: 7))", 6)
        case .subtract(let a, let b): return wrap("\(a.render(precedence: 6)) - \(b.render(precedence: 7))", 6)
        case .ite(let c, let a, let b):
            return "(IF \(c.render(precedence: 0)) THEN \(a.render(precedence: 0)) ELSE \(b.render(precedence: 0)))"
        case .forAll(let name, let domain, let body):
            return wrap("\\A \(name) \\in \(domain.name): \(body.render(precedence: 0))", 0)
        case .exists(let name, let domain, let body):
            return wrap("\\E \(name) \\in \(domain.name): \(body.render(precedence: 0))", 0)
        case .count(let name, let domain, let body):
            return "#{\(name) \\in \(domain.name): \(body.render(precedence: 0))}"
        }
    }
}

extension Update: CustomStringConvertible {
    /// The update in plain notation: `poll_status[m] := POLL_DONE`, `IF c THEN ... ELSE ...`.
    public var description: String {
        switch self {
        case .assign(let target, let value): return "\(target) := \(value)"
        case .goto(let label): return "goto \(label)"
        case .when(let c, let t, let e):
            let thenText = t.map(\.description).joined(separator: "; ")
            if e.isEmpty { return "IF \(c) THEN \(thenText)" }
            return "IF \(c) THEN \(thenText) ELSE \(e.map(\.description).joined(separator: "; "))"
        }
    }
}
