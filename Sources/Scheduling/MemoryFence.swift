/// A fence of the Linux-kernel memory model that the controlled runtime models.
public enum MemoryFence: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// `smp_rmb()`: earlier reads before later reads. Later reads see at least the views that
    /// the synchronisation objects this actor read plainly carried.
    case rmb

    public var description: String { rawValue }
}
