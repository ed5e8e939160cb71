import TransitionSystems

extension GroundTerm {
    /// The smallest and largest runtime integers the term can take when every slot holds a value of its domain.
    ///
    /// Truth values count as 0 and 1. An array read takes the values of its elements; an
    /// index outside the array is a runtime error, not a value, so it widens nothing.
    func bounds(_ layout: StateLayout) -> ClosedRange<Int> {
        switch self {
        case .constant(let v):
            return v...v
        case .slot(let s):
            return layout.slots[s].domain.lowerBound...layout.slots[s].domain.upperBound
        case .select(let slots, _, _):
            let lower = slots.map { layout.slots[$0].domain.lowerBound }.min() ?? 0
            let upper = slots.map { layout.slots[$0].domain.upperBound }.max() ?? 0
            return lower...upper
        case .not, .and, .or, .equal, .less, .lessOrEqual:
            return 0...1
        case .add(let a, let b):
            let (x, y) = (a.bounds(layout), b.bounds(layout))
            return (x.lowerBound + y.lowerBound)...(x.upperBound + y.upperBound)
        case .subtract(let a, let b):
            let (x, y) = (a.bounds(layout), b.bounds(layout))
            return (x.lowerBound - y.upperBound)...(x.upperBound - y.lowerBound)
        case .ite(_, let a, let b):
            let (x, y) = (a.bounds(layout), b.bounds(layout))
            return min(x.lowerBound, y.lowerBound)...max(x.upperBound, y.upperBound)
        }
    }

    /// The bounds of the term and of every subterm, merged: the range an exact encoding must represent.
    func extremes(_ layout: StateLayout) -> ClosedRange<Int> {
        subterms.reduce(bounds(layout)) { range, subterm in
            let inner = subterm.extremes(layout)
            return min(range.lowerBound, inner.lowerBound)...max(range.upperBound, inner.upperBound)
        }
    }

    /// The term's immediate operands, array indices included.
    private var subterms: [GroundTerm] {
        switch self {
        case .constant, .slot: return []
        case .select(_, let index, _): return [index]
        case .not(let a): return [a]
        case .and(let xs), .or(let xs): return xs
        case .equal(let a, let b), .less(let a, let b), .lessOrEqual(let a, let b),
             .add(let a, let b), .subtract(let a, let b): return [a, b]
        case .ite(let c, let a, let b): return [c, a, b]
        }
    }
}
