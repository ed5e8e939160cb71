/// A set of events of one candidate execution, as a bit mask over event ids 0..<64.
public struct EventSet: Hashable, Sendable {
    /// The mask: bit `i` set when event `i` is in the set.
    public var bits: UInt64

    public init(bits: UInt64 = 0) { self.bits = bits }

    /// The set holding exactly `ids`.
    public init<S: Sequence>(_ ids: S) where S.Element == Int {
        var bits: UInt64 = 0
        for id in ids { bits |= 1 << UInt64(id) }
        self.bits = bits
    }

    public static let empty = EventSet()

    public func contains(_ id: Int) -> Bool { bits & (1 << UInt64(id)) != 0 }
    public var isEmpty: Bool { bits == 0 }

    public mutating func insert(_ id: Int) { bits |= 1 << UInt64(id) }

    public static func | (a: EventSet, b: EventSet) -> EventSet { EventSet(bits: a.bits | b.bits) }
    public static func & (a: EventSet, b: EventSet) -> EventSet { EventSet(bits: a.bits & b.bits) }
    public static func - (a: EventSet, b: EventSet) -> EventSet { EventSet(bits: a.bits & ~b.bits) }

    /// The ids in the set, ascending.
    public var ids: [Int] {
        var result: [Int] = []
        var rest = bits
        while rest != 0 {
            let id = rest.trailingZeroBitCount
            result.append(id)
            rest &= rest - 1
        }
        return result
    }
}
