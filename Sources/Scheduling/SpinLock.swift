/// A spinlock (`spinlock_t`): taking it is a blocking scheduling point.
///
/// Under a `ControlledRuntime` a contended lock makes the caller not runnable until the
/// holder unlocks; on real threads it is a pthread mutex. Unlocking is not a scheduling
/// point: nothing another actor could observe happens between the unlock and the caller's
/// next scheduling point.
///
/// Under a `ControlledRuntime` the lock is a synchronising object of its ``MemoryViews``:
/// `lock` is an acquire and `unlock` a release (LKMM's `spin_lock`/`spin_unlock`), so an
/// actor that takes the lock sees at least what the last holder saw.
///
/// With execution contexts (``CPUContexts``) a spinlock is taken with `spin_lock_irqsave`, as
/// every lock of the code under test is: holding one turns interrupts off on the holder's CPU and
/// keeps the holder from being preempted there.
public final class SpinLock: @unchecked Sendable {
    public let name: String
    private let platform: Platform
    private let mutex = PlainLock()
    private let state = PlainLock()
    private var holder: String?

    public init(_ name: String, platform: Platform) {
        self.name = name
        self.platform = platform
    }

    /// Takes the lock (`spin_lock`).
    public func lock(_ operation: @autoclosure () -> PointLabel) {
        if platform.isControlled {
            platform.blockingPoint(operation(), until: { [unowned self] in self.holderName == nil })
            let me = platform.currentActorName
            state.withLock {
                precondition(holder == nil, "\(me) takes \(name) held by \(holder ?? "?") outside a scheduled run")
                holder = me
            }
            (platform as? ControlledRuntime)?.spinLockTaken(by: me)
            platform.memory?.acquire(self, actor: me)
        } else {
            mutex.lock()
        }
    }

    /// Drops the lock (`spin_unlock`).
    public func unlock() {
        if platform.isControlled {
            platform.memory?.release(self, actor: platform.currentActorName)
            let holder: String? = state.withLock {
                defer { self.holder = nil }
                return self.holder
            }
            if let holder { (platform as? ControlledRuntime)?.spinLockDropped(by: holder) }
        } else {
            mutex.unlock()
        }
    }

    /// Who holds the lock (controlled runs only), read without a scheduling point.
    public var holderName: String? {
        state.withLock { holder }
    }
}
