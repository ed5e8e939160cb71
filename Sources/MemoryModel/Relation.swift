/// A binary relation over the events of one candidate execution, as one bit row per event.
///
/// The operators are those of herd7's cat language that the LKMM uses: union `|`, intersection `&`,
/// difference `-`, sequence `;` (``then(_:)``), inverse, the optional `?`, the closures `+` and `*`,
/// and the restrictions `[S] ; r` and `r ; [S]`. An execution has at most ``Relation/capacity`` events.
public struct Relation: Equatable, Sendable {
    /// The largest number of events a relation ranges over.
    public static let capacity = 64

    /// The number of events.
    public let size: Int
    /// `rows[a]` holds every `b` with `a -> b`.
    public var rows: [UInt64]

    /// The empty relation over `size` events.
    public init(size: Int) {
        precondition(size <= Relation.capacity, "at most \(Relation.capacity) events")
        self.size = size
        self.rows = Array(repeating: 0, count: size)
    }

    /// The relation holding exactly `pairs`.
    public init<S: Sequence>(size: Int, pairs: S) where S.Element == (Int, Int) {
        self.init(size: size)
        for (a, b) in pairs { insert(a, b) }
    }

    /// The identity on `set`.
    public static func identity(size: Int, on set: EventSet) -> Relation {
        var result = Relation(size: size)
        for id in set.ids where id < size { result.insert(id, id) }
        return result
    }

    /// Every pair from `domain` to `range` (cat's `domain * range`).
    public static func product(size: Int, _ domain: EventSet, _ range: EventSet) -> Relation {
        var result = Relation(size: size)
        for a in domain.ids where a < size { result.rows[a] = range.bits }
        return result
    }

    public func contains(_ a: Int, _ b: Int) -> Bool { rows[a] & (1 << UInt64(b)) != 0 }
    public mutating func insert(_ a: Int, _ b: Int) { rows[a] |= 1 << UInt64(b) }

    public var isEmpty: Bool { rows.allSatisfy { $0 == 0 } }

    /// Every pair, ascending by source then target.
    public var pairs: [(Int, Int)] {
        var result: [(Int, Int)] = []
        for a in 0..<size { for b in EventSet(bits: rows[a]).ids { result.append((a, b)) } }
        return result
    }

    /// The events with an outgoing pair.
    public var domain: EventSet {
        var set = EventSet()
        for a in 0..<size where rows[a] != 0 { set.insert(a) }
        return set
    }

    /// The events with an incoming pair.
    public var range: EventSet { EventSet(bits: rows.reduce(0, |)) }

    public static func | (a: Relation, b: Relation) -> Relation {
        var result = a
        for i in 0..<a.size { result.rows[i] |= b.rows[i] }
        return result
    }

    public static func & (a: Relation, b: Relation) -> Relation {
        var result = a
        for i in 0..<a.size { result.rows[i] &= b.rows[i] }
        return result
    }

    public static func - (a: Relation, b: Relation) -> Relation {
        var result = a
        for i in 0..<a.size { result.rows[i] &= ~b.rows[i] }
        return result
    }

    /// Sequential composition, cat's `self ; next`.
    public func then(_ next: Relation) -> Relation {
        var result = Relation(size: size)
        for a in 0..<size {
            var row: UInt64 = 0
            var middle = rows[a]
            while middle != 0 {
                let m = middle.trailingZeroBitCount
                row |= next.rows[m]
                middle &= middle - 1
            }
            result.rows[a] = row
        }
        return result
    }

    /// The inverse relation, cat's `r^-1`.
    public var inverse: Relation {
        var result = Relation(size: size)
        for (a, b) in pairs { result.insert(b, a) }
        return result
    }

    /// `[set] ; self`: only pairs whose source is in `set`.
    public func from(_ set: EventSet) -> Relation {
        var result = self
        for a in 0..<size where !set.contains(a) { result.rows[a] = 0 }
        return result
    }

    /// `self ; [set]`: only pairs whose target is in `set`.
    public func to(_ set: EventSet) -> Relation {
        var result = self
        for a in 0..<size { result.rows[a] &= set.bits }
        return result
    }

    /// `self?`: the relation with the identity on every event added.
    public var optional: Relation {
        var result = self
        for a in 0..<size { result.rows[a] |= 1 << UInt64(a) }
        return result
    }

    /// `self+`: the transitive closure.
    public var transitiveClosure: Relation {
        var result = self
        for k in 0..<size {
            let bit = UInt64(1) << UInt64(k)
            let rowK = result.rows[k]
            for i in 0..<size where result.rows[i] & bit != 0 { result.rows[i] |= rowK }
        }
        return result
    }

    /// `self*`: the reflexive-transitive closure.
    public var reflexiveTransitiveClosure: Relation { transitiveClosure.optional }

    /// Whether the relation has no cycle (cat's `acyclic`).
    public var isAcyclic: Bool { transitiveClosure.isIrreflexive }

    /// Whether no event is related to itself (cat's `irreflexive`).
    public var isIrreflexive: Bool {
        for a in 0..<size where contains(a, a) { return false }
        return true
    }

    /// The pairs without their identity pairs, cat's `r \ id`.
    public var withoutIdentity: Relation {
        var result = self
        for a in 0..<size { result.rows[a] &= ~(1 << UInt64(a)) }
        return result
    }
}
