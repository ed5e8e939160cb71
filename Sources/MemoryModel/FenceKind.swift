/// The fences of the LKMM (linux-kernel.bell, `Barriers`, at v6.12), without RCU's.
public enum FenceKind: String, Hashable, Sendable, CaseIterable {
    /// `smp_mb()`: a full fence.
    case mb
    /// `smp_rmb()`: orders reads.
    case rmb
    /// `smp_wmb()`: orders writes.
    case wmb
    /// `smp_mb__before_atomic()`: full ordering before the next RMW.
    case beforeAtomic = "before-atomic"
    /// `smp_mb__after_atomic()`: full ordering after the previous RMW.
    case afterAtomic = "after-atomic"
    /// `smp_mb__after_spinlock()`: full ordering after the previous lock acquisition.
    case afterSpinlock = "after-spinlock"
    /// `smp_mb__after_unlock_lock()`: an unlock followed by a lock acts as a full fence.
    case afterUnlockLock = "after-unlock-lock"
    /// `barrier()`: a compiler barrier; it only bounds plain accesses for the mixed-access check.
    case barrier
}
