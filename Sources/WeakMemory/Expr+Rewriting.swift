import TransitionSystems

extension Expr {
    /// The expression with every subexpression for which `replace` answers replaced, top-down.
    func rewritten(_ replace: (Expr) -> Expr?) -> Expr {
        if let r = replace(self) { return r }
        switch self {
        case .bool, .number, .literal, .variable, .parameter: return self
        case .element(let name, let index): return .element(name, index.rewritten(replace))
        case .not(let a): return .not(a.rewritten(replace))
        case .and(let xs): return .and(xs.map { $0.rewritten(replace) })
        case .or(let xs): return .or(xs.map { $0.rewritten(replace) })
        case .implies(let a, let b): return .implies(a.rewritten(replace), b.rewritten(replace))
        case .equal(let a, let b): return .equal(a.rewritten(replace), b.rewritten(replace))
        case .less(let a, let b): return .less(a.rewritten(replace), b.rewritten(replace))
        case .lessOrEqual(let a, let b): return .lessOrEqual(a.rewritten(replace), b.rewritten(replace))
        case .add(let a, let b): return .add(a.rewritten(replace), b.rewritten(replace))
        case .subtract(let a, let b): return .subtract(a.rewritten(replace), b.rewritten(replace))
        case .ite(let c, let a, let b): return .ite(c.rewritten(replace), a.rewritten(replace), b.rewritten(replace))
        case .forAll(let n, let d, let body): return .forAll(n, d, body.rewritten(replace))
        case .exists(let n, let d, let body): return .exists(n, d, body.rewritten(replace))
        case .count(let n, let d, let body): return .count(n, d, body.rewritten(replace))
        }
    }

    /// The expression with the parameter `name` replaced by `value`.
    func substituting(_ name: String, with value: Expr) -> Expr {
        rewritten { e in
            if case .parameter(name) = e { return value }
            return nil
        }
    }

    /// Every read of one of `variables` in the expression: the variable and its index (nil for a scalar).
    func reads(of variables: Set<String>) -> [(variable: String, index: Expr?)] {
        var found: [(String, Expr?)] = []
        _ = rewritten { e in
            switch e {
            case .variable(let name) where variables.contains(name):
                found.append((name, nil))
                return e
            case .element(let name, let index) where variables.contains(name):
                found.append((name, index))
                found += index.reads(of: variables).map { ($0.variable, $0.index) }
                return e
            default: return nil
            }
        }
        return found
    }
}

/// `max(a, b)` on positions.
func maximum(_ a: Expr, _ b: Expr) -> Expr { .ite(a < b, b, a) }
