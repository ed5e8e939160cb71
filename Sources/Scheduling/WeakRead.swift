/// A read of a weak field (`WeakShared`) that may observe an older write: the question a
/// controlled runtime asks its scheduler (or a step's caller) at the read.
///
/// Writes of one field are numbered in coherence order from 0 (the initial value); a
/// field keeps its newest writes only (see `WeakShared.historyCapacity`).
public struct WeakRead: Hashable, Sendable, CustomStringConvertible {
    /// The actor that reads.
    public let actor: String
    /// The field read ("buf1.rx_len").
    public let location: WeakLocation
    /// The writes the reader may observe: from the newest write its view already contains
    /// (coherence: it never reads older than what it has seen) to the newest write.
    public let allowed: ClosedRange<Int>
    /// The number of the step the read happens in (0 outside a controlled step).
    public let step: Int

    public init(actor: String, location: WeakLocation, allowed: ClosedRange<Int>, step: Int) {
        self.actor = actor
        self.location = location
        self.allowed = allowed
        self.step = step
    }

    /// The newest write: what a sequentially consistent memory returns.
    public var newest: Int { allowed.upperBound }

    public var description: String {
        "\(actor) reads \(location.name) at step \(step) (may observe writes \(allowed.lowerBound)...\(allowed.upperBound))"
    }
}

/// The identity of a weak field within one ``MemoryViews``: a number, and the field's name.
public struct WeakLocation: Hashable, Sendable, CustomStringConvertible {
    public let id: Int
    public let name: String

    public init(id: Int, name: String) {
        self.id = id
        self.name = name
    }

    public var description: String { name }
}

/// A weak read that observed a write older than the newest, as a schedule records it:
/// replaying the schedule makes the read in that step observe the same write.
public struct ReadChoice: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The step the read happened in.
    public var step: Int
    /// The field's name ("buf1.rx_len").
    public var location: String
    /// The write observed, numbered in the field's coherence order from 0.
    public var write: Int

    public init(step: Int, location: String, write: Int) {
        self.step = step
        self.location = location
        self.write = write
    }

    /// `{buf1.rx_len=2}`, the form a printed schedule shows after its step.
    public var description: String { "{\(location)=\(write)}" }
}
