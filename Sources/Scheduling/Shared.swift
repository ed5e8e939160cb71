/// A field shared between actors: every `load`/`store` is a labelled scheduling point.
///
/// `peek`/`poke` access the value without a scheduling point; they are for the
/// environment (a device writing a buffer), for state snapshots, and for scheduler
/// predicates, never for the code under test's own shared accesses.
///
/// Under a `ControlledRuntime` each field is also a synchronising object of its
/// ``MemoryViews``: an `.acquire` load and a `.release` store order the weak fields' accesses
/// around them (see `MemoryViews`); its own value is always the newest (sequentially
/// consistent): only `WeakShared` fields observe older writes.
///
/// `audit` runs after the scheduling point and right before the access, so that a monitor
/// can judge the access at the moment it happens (for example, that the buffer it touches
/// is still owned by the caller).
public final class Shared<Value>: @unchecked Sendable {
    public let name: String
    private let platform: Platform
    private let lock = PlainLock()
    private var value: Value

    public init(_ name: String, _ initial: Value, platform: Platform) {
        self.name = name
        self.value = initial
        self.platform = platform
    }

    /// Reads the field; `order` is `.acquire` for `smp_load_acquire`.
    public func load(_ operation: @autoclosure () -> PointLabel, order: MemoryOrder = .plain, audit: () -> Void = {}) -> Value {
        platform.schedulingPoint(operation())
        audit()
        if let memory = platform.memory {
            if order == .acquire {
                memory.acquire(self, actor: platform.currentActorName)
            } else {
                memory.observe(self, actor: platform.currentActorName)
            }
        }
        return lock.withLock { value }
    }

    /// Writes the field; `order` is `.release` for `smp_store_release`.
    public func store(_ newValue: Value, _ operation: @autoclosure () -> PointLabel, order: MemoryOrder = .plain, audit: () -> Void = {}) {
        platform.schedulingPoint(operation())
        audit()
        lock.withLock { value = newValue }
        if let memory = platform.memory {
            if order == .release {
                memory.release(self, actor: platform.currentActorName)
            } else {
                memory.plainWrite(self)
            }
        }
    }

    /// Reads and changes the field in one step (an atomic read-modify-write, unordered).
    public func update<R>(_ operation: @autoclosure () -> PointLabel, audit: () -> Void = {}, _ body: (inout Value) -> R) -> R {
        platform.schedulingPoint(operation())
        audit()
        if let memory = platform.memory {
            memory.observe(self, actor: platform.currentActorName)
            memory.plainWrite(self)
        }
        return lock.withLock { body(&value) }
    }

    /// Reads the field without a scheduling point.
    public func peek() -> Value {
        lock.withLock { value }
    }

    /// Writes the field without a scheduling point.
    public func poke(_ newValue: Value) {
        lock.withLock { value = newValue }
    }
}
