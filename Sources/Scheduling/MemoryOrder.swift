/// How an access to shared memory is ordered, as the kernel writes it.
///
/// Under a `ControlledRuntime` the order decides what the access does to the views of
/// ``MemoryViews``; on real threads it changes nothing (the hardware's own ordering applies).
public enum MemoryOrder: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// An unmarked C access (`*p`, `p->f = v`), treated as `once`.
    case plain
    /// `READ_ONCE` / `WRITE_ONCE`.
    case once
    /// `smp_load_acquire`: later accesses see at least what the releaser saw.
    case acquire
    /// `smp_store_release`: earlier accesses are visible to whoever acquires this write.
    case release

    public var description: String { rawValue }
}
