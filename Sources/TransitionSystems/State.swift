/// A state of a transition system: the stored value of every slot of its ``StateLayout``.
public struct State: Hashable, Sendable {
    /// Each slot's value as a position in the slot's domain.
    public var slots: [UInt8]

    public init(slots: [UInt8]) { self.slots = slots }

    /// The runtime value of slot `slot`.
    public func value(ofSlot slot: Int, in layout: StateLayout) -> Int {
        Int(slots[slot]) + layout.slots[slot].domain.lowerBound
    }

    /// The value of every slot as `name = value`, the way traces and messages print it.
    public func description(in layout: StateLayout) -> String {
        layout.slots.indices.map { "\(layout.slots[$0].name) = \(valueName(ofSlot: $0, in: layout))" }
            .joined(separator: ", ")
    }

    /// The name of slot `slot`'s value.
    public func valueName(ofSlot slot: Int, in layout: StateLayout) -> String {
        layout.slots[slot].domain.name(ofRuntimeValue: value(ofSlot: slot, in: layout))
    }
}
