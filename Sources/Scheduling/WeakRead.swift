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
