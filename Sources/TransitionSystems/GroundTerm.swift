/// An expression after loading: names resolved to state slots, parameters replaced by
/// values, quantifiers expanded, constants folded.
///
/// Every engine consumes this one form: the interpreter compiles it to closures, the
/// symbolic engines translate it to Z3 terms. Values are runtime integers (see ``Domain``);
/// truth values are 0 and 1.
public indirect enum GroundTerm: Sendable, Hashable {
    /// A runtime integer (or truth value as 0/1).
    case constant(Int)
    /// The runtime value held in a state slot.
    case slot(Int)
    /// The value of `slots[index - indexLowerBound]`: an array read whose index is only known in a state.
    case select(slots: [Int], index: GroundTerm, indexLowerBound: Int)
    case not(GroundTerm)
    case and([GroundTerm])
    case or([GroundTerm])
    case equal(GroundTerm, GroundTerm)
    case less(GroundTerm, GroundTerm)
    case lessOrEqual(GroundTerm, GroundTerm)
    case add(GroundTerm, GroundTerm)
    case subtract(GroundTerm, GroundTerm)
    case ite(GroundTerm, GroundTerm, GroundTerm)

    static let `true` = GroundTerm.constant(1)
    static let `false` = GroundTerm.constant(0)

    /// The constant, if the term is one.
    public var constantValue: Int? {
        if case .constant(let v) = self { return v }
        return nil
    }

    /// The slots the term reads.
    public var slotsRead: Set<Int> {
        var result = Set<Int>()
        func visit(_ t: GroundTerm) {
            switch t {
            case .constant: break
            case .slot(let s): result.insert(s)
            case .select(let slots, let index, _): result.formUnion(slots); visit(index)
            case .not(let a): visit(a)
            case .and(let xs), .or(let xs): xs.forEach(visit)
            case .equal(let a, let b), .less(let a, let b), .lessOrEqual(let a, let b),
                 .add(let a, let b), .subtract(let a, let b): visit(a); visit(b)
            case .ite(let c, let a, let b): visit(c); visit(a); visit(b)
            }
        }
        visit(self)
        return result
    }

    /// The conjuncts `slot == constant` of the term read as a conjunction, in order: what a
    /// guard pins (a process's program counter, for every step with a `from:` label).
    public var pinnedSlots: [(slot: Int, value: Int)] {
        let conjuncts: [GroundTerm]
        if case .and(let xs) = self { conjuncts = xs } else { conjuncts = [self] }
        return conjuncts.compactMap { conjunct in
            switch conjunct {
            case .equal(.slot(let s), .constant(let v)), .equal(.constant(let v), .slot(let s)): return (s, v)
            default: return nil
            }
        }
    }
}

// MARK: - Folding constructors

/// Constructors that fold constants as they build, shared by the loader and the engines.
extension GroundTerm {
    public static func makeNot(_ a: GroundTerm) -> GroundTerm {
        if let v = a.constantValue { return .constant(v == 0 ? 1 : 0) }
        if case .not(let inner) = a { return inner }
        return .not(a)
    }

    public static func makeAnd(_ xs: [GroundTerm]) -> GroundTerm {
        var kept: [GroundTerm] = []
        for x in xs {
            if let v = x.constantValue {
                if v == 0 { return .false }
                continue
            }
            if case .and(let inner) = x { kept.append(contentsOf: inner) } else { kept.append(x) }
        }
        if kept.isEmpty { return .true }
        return kept.count == 1 ? kept[0] : .and(kept)
    }

    public static func makeOr(_ xs: [GroundTerm]) -> GroundTerm {
        var kept: [GroundTerm] = []
        for x in xs {
            if let v = x.constantValue {
                if v != 0 { return .true }
                continue
            }
            if case .or(let inner) = x { kept.append(contentsOf: inner) } else { kept.append(x) }
        }
        if kept.isEmpty { return .false }
        return kept.count == 1 ? kept[0] : .or(kept)
    }

    public static func makeEqual(_ a: GroundTerm, _ b: GroundTerm) -> GroundTerm {
        if let x = a.constantValue, let y = b.constantValue { return .constant(x == y ? 1 : 0) }
        if a == b { return .true }
        return .equal(a, b)
    }

    public static func makeLess(_ a: GroundTerm, _ b: GroundTerm) -> GroundTerm {
        if let x = a.constantValue, let y = b.constantValue { return .constant(x < y ? 1 : 0) }
        return .less(a, b)
    }

    public static func makeLessOrEqual(_ a: GroundTerm, _ b: GroundTerm) -> GroundTerm {
        if let x = a.constantValue, let y = b.constantValue { return .constant(x <= y ? 1 : 0) }
        return .lessOrEqual(a, b)
    }

    public static func makeAdd(_ a: GroundTerm, _ b: GroundTerm) -> GroundTerm {
        if let x = a.constantValue, let y = b.constantValue { return .constant(x + y) }
        if b.constantValue == 0 { return a }
        if a.constantValue == 0 { return b }
        return .add(a, b)
    }

    public static func makeSubtract(_ a: GroundTerm, _ b: GroundTerm) -> GroundTerm {
        if let x = a.constantValue, let y = b.constantValue { return .constant(x - y) }
        if b.constantValue == 0 { return a }
        return .subtract(a, b)
    }

    public static func makeIte(_ c: GroundTerm, _ a: GroundTerm, _ b: GroundTerm) -> GroundTerm {
        if let v = c.constantValue { return v != 0 ? a : b }
        if a == b { return a }
        return .ite(c, a, b)
    }

    public static func makeSelect(slots: [Int], index: GroundTerm, indexLowerBound: Int) -> GroundTerm {
        if let v = index.constantValue, v - indexLowerBound >= 0, v - indexLowerBound < slots.count {
            return .slot(slots[v - indexLowerBound])
        }
        return .select(slots: slots, index: index, indexLowerBound: indexLowerBound)
    }
}
