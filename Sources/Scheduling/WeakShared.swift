/// A shared field whose reads may observe an older write (a field the spec declares weak):
/// every `load`/`store` is a labelled scheduling point, as with `Shared`.
///
/// Under a `ControlledRuntime` it keeps its newest writes (at most ``historyCapacity``),
/// numbered in coherence order from 0, the initial value; a `load` observes the write that
/// the runtime's ``MemoryViews`` picks (the newest unless a schedule says otherwise, and never
/// one older than the reader has seen). On real threads (`Platform.memory` is nil) it is a
/// plain shared field, whatever the hardware's ordering does to it.
///
/// `peek` reads the newest write, for snapshots and scheduler predicates; `poke` replaces
/// every write, outside the code under test.
public final class WeakShared<Value>: @unchecked Sendable {
    /// The most writes kept (Loom keeps 7 stores per atomic); a read can observe no older one.
    public static var historyCapacity: Int { 8 }

    public let name: String
    private let platform: Platform
    private let lock = PlainLock()
    /// The kept writes, oldest first: write number `base + i` is `history[i]`.
    private var history: [Value]
    private var base = 0
    /// The field's identity in the runtime's memory model (nil on real threads).
    public let location: WeakLocation?

    public init(_ name: String, _ initial: Value, platform: Platform) {
        self.name = name
        self.platform = platform
        history = [initial]
        location = platform.memory?.register(name)
    }

    /// Reads the field: the newest write, or under a controlled runtime the write its memory
    /// model picks.
    public func load(_ operation: @autoclosure () -> PointLabel, order: MemoryOrder = .plain, audit: () -> Void = {}) -> Value {
        platform.schedulingPoint(operation())
        audit()
        guard let memory = platform.memory, let location else { return lock.withLock { history.last! } }
        let (oldest, newest) = lock.withLock { (base, base + history.count - 1) }
        let index = memory.read(location, oldest: oldest, newest: newest, actor: platform.currentActorName, order: order)
        return lock.withLock { history[index - base] }
    }

    /// Writes the field: the new write is the newest in coherence order.
    public func store(_ newValue: Value, _ operation: @autoclosure () -> PointLabel, order: MemoryOrder = .plain, audit: () -> Void = {}) {
        platform.schedulingPoint(operation())
        audit()
        let index: Int = lock.withLock {
            guard platform.memory != nil else {
                history = [newValue]
                return 0
            }
            history.append(newValue)
            if history.count > Self.historyCapacity {
                history.removeFirst()
                base += 1
            }
            return base + history.count - 1
        }
        if let memory = platform.memory, let location {
            memory.wrote(location, index: index, actor: platform.currentActorName)
        }
    }

    /// The newest write, without a scheduling point.
    public func peek() -> Value {
        lock.withLock { history.last! }
    }

    /// Replaces every write with `newValue`, without a scheduling point.
    public func poke(_ newValue: Value) {
        let index: Int = lock.withLock {
            base += history.count
            history = [newValue]
            return base
        }
        if let memory = platform.memory, let location { memory.reset(location, to: index) }
    }

    /// The number of the newest write.
    public var newestWrite: Int {
        lock.withLock { base + history.count - 1 }
    }

    /// The kept writes with their numbers, oldest first, without a scheduling point.
    public var writes: [(number: Int, value: Value)] {
        lock.withLock { history.enumerated().map { (base + $0.offset, $0.element) } }
    }
}
