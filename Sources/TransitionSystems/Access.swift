/// How one step of a spec touches weak memory, in the kernel's own terms (tools/memory-model at
/// v6.12: linux-kernel.def maps each primitive to these kinds).
///
/// A step states the kind of its read and of its write of each weak variable, the fences it
/// executes after them, the synchronisation objects it acquires before and releases after them,
/// and ghost resets. Under sequential consistency every annotation is ignored, so a spec checked
/// under `sc` behaves exactly as it did before it was annotated.
public enum Access: Sendable {
    /// Every read of the weak variable in this step has this kind.
    case read(String, AccessKind)
    /// Every write of the weak variable in this step has this kind.
    case write(String, AccessKind)
    /// A fence executed after the step's reads and writes.
    case fence(Fence)
    /// An acquire of a synchronisation object (a lock, a flag the spec keeps coherent), before the
    /// step's other accesses: the step sees every write its last releaser had seen.
    case acquire(Expr)
    /// A release of a synchronisation object, after the step's other accesses.
    case release(Expr)
    /// `spin_lock`: an acquire that also opens an unlock-lock pair for `po-unlock-lock-po`.
    case lock(Expr)
    /// `spin_unlock`: a release that also closes the thread's `po-unlock-lock-po` prefix.
    case unlock(Expr)
    /// A ghost reset of a weak element: every earlier write of it is from now on equivalent to
    /// `value` (for example "the length of an earlier request"), so its history collapses to one
    /// write of `value` that every thread sees. Only for ghost variables whose meaning is relative
    /// to a request the step starts.
    case reset(Expr, Expr)
}

/// The kind of a read or a write of a weak variable.
public enum AccessKind: String, Sendable, CaseIterable {
    /// An unmarked C access (`*p`, `p->f = v`), treated as `once` (no compiler transformations).
    case plain
    /// `READ_ONCE` / `WRITE_ONCE`.
    case once
    /// `smp_load_acquire`.
    case acquire
    /// `smp_store_release`.
    case release
}

/// A fence of the LKMM that the weak-memory transformation models.
public enum Fence: String, Sendable, CaseIterable {
    /// `smp_mb()`, also the barrier half of `smp_store_mb()`.
    case mb
    /// `smp_rmb()`.
    case rmb
    /// `smp_wmb()`.
    case wmb
    /// `smp_mb__after_spinlock()`: a full fence right after a lock acquisition.
    case afterSpinlock = "after-spinlock"
}

/// The step reads the weak variable with this kind.
public func Reads(_ variable: Variable, _ kind: AccessKind) -> ActionPart { .access(.read(variable.name, kind)) }

/// The step writes the weak variable with this kind.
public func Writes(_ variable: Variable, _ kind: AccessKind) -> ActionPart { .access(.write(variable.name, kind)) }

/// The step executes a fence after its reads and writes.
public func Barrier(_ fence: Fence) -> ActionPart { .access(.fence(fence)) }

/// The step acquires a synchronisation object (an element of a variable declared `sync`).
public func Acquires(_ object: Expr) -> ActionPart { .access(.acquire(object)) }

/// The step releases a synchronisation object (an element of a variable declared `sync`).
public func Releases(_ object: Expr) -> ActionPart { .access(.release(object)) }

/// The step takes a spinlock (an element of a variable declared `sync`).
public func Locks(_ object: Expr) -> ActionPart { .access(.lock(object)) }

/// The step drops a spinlock (an element of a variable declared `sync`).
public func Unlocks(_ object: Expr) -> ActionPart { .access(.unlock(object)) }

/// A ghost reset of a weak element (see ``Access/reset(_:_:)``).
public func GhostReset(_ target: Expr, to value: Expr) -> ActionPart { .access(.reset(target, value)) }
