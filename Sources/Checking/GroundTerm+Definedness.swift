import TransitionSystems

extension GroundTerm {
    /// Holds in the states where the interpreter evaluates the term without a runtime error.
    ///
    /// The only error evaluation can meet is an array read whose index lies outside the
    /// array. The condition follows the interpreter's order of evaluation: `and` stops at
    /// the first false operand, `or` at the first true one, and `ite` evaluates one branch,
    /// so a read guarded by an earlier operand is not an error. Reads whose index cannot
    /// leave the array (by ``bounds(_:)``) add nothing, so for most specs the result is
    /// the constant `true`.
    func definedness(_ layout: StateLayout) -> GroundTerm {
        switch self {
        case .constant, .slot:
            return .constant(1)
        case .select(let slots, let index, let lower):
            let inner = index.definedness(layout)
            let range = index.bounds(layout)
            if range.lowerBound >= lower, range.upperBound <= lower + slots.count - 1 { return inner }
            return .makeAnd([inner, .lessOrEqual(.constant(lower), index), .lessOrEqual(index, .constant(lower + slots.count - 1))])
        case .not(let a):
            return a.definedness(layout)
        case .and(let xs):
            return Self.sequential(xs, layout, stopsWhen: false)
        case .or(let xs):
            return Self.sequential(xs, layout, stopsWhen: true)
        case .equal(let a, let b), .less(let a, let b), .lessOrEqual(let a, let b),
             .add(let a, let b), .subtract(let a, let b):
            return .makeAnd([a.definedness(layout), b.definedness(layout)])
        case .ite(let c, let a, let b):
            return .makeAnd([c.definedness(layout), .implication(c, a.definedness(layout)),
                         .implication(.makeNot(c), b.definedness(layout))])
        }
    }

    /// Definedness of operands evaluated left to right until one is `stopsWhen`.
    private static func sequential(_ xs: [GroundTerm], _ layout: StateLayout, stopsWhen stop: Bool) -> GroundTerm {
        var result = GroundTerm.constant(1)
        for x in xs.reversed() {
            let continues = stop ? GroundTerm.makeNot(x) : x
            result = .makeAnd([x.definedness(layout), .implication(continues, result)])
        }
        return result
    }

    /// `a` implies `b`, folding constants.
    static func implication(_ a: GroundTerm, _ b: GroundTerm) -> GroundTerm {
        .makeOr([.makeNot(a), b])
    }

    /// Whether the term is the constant `true`.
    var isTrue: Bool {
        if let v = constantValue { return v != 0 }
        return false
    }
}
