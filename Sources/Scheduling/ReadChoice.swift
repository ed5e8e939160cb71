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
