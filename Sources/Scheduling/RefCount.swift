/// A reference count (`refcount_t`): every operation is a labelled scheduling point.
///
/// Decrementing a count that is already zero is an underflow: the count stays at zero
/// (like the kernel's saturation), the operation reports "not released", and
/// `onUnderflow` is told, with the operation's label.
public final class RefCount: @unchecked Sendable {
    public let name: String
    private let platform: Platform
    private let lock = PlainLock()
    private var count: Int

    /// Called with the operation's label when a decrement finds the count at zero.
    public var onUnderflow: ((String) -> Void)?

    public init(_ name: String, initial: Int = 0, platform: Platform) {
        self.name = name
        self.count = initial
        self.platform = platform
    }

    /// Sets the count (`refcount_set`).
    public func set(_ newValue: Int, _ operation: @autoclosure () -> PointLabel, audit: () -> Void = {}) {
        platform.schedulingPoint(operation())
        audit()
        lock.withLock { count = newValue }
    }

    /// Increments the count (`refcount_inc`).
    public func increment(_ operation: @autoclosure () -> PointLabel, audit: () -> Void = {}) {
        platform.schedulingPoint(operation())
        audit()
        lock.withLock { count += 1 }
    }

    /// Increments the count unless it is zero (`refcount_inc_not_zero`).
    public func incrementIfNotZero(_ operation: @autoclosure () -> PointLabel, audit: () -> Void = {}) -> Bool {
        platform.schedulingPoint(operation())
        audit()
        return lock.withLock {
            guard count != 0 else { return false }
            count += 1
            return true
        }
    }

    /// Decrements the count and tells whether it reached zero (`refcount_dec_and_test`).
    public func decrementAndTest(_ operation: @autoclosure () -> PointLabel, audit: () -> Void = {}) -> Bool {
        let label: PointLabel = platform.isControlled ? operation() : ""
        platform.schedulingPoint(label)
        audit()
        let outcome: Bool? = lock.withLock {
            guard count > 0 else { return nil }
            count -= 1
            return count == 0
        }
        guard let released = outcome else {
            onUnderflow?((platform.isControlled ? label : operation()).description)
            return false
        }
        return released
    }

    /// The count, read without a scheduling point.
    public var value: Int {
        lock.withLock { count }
    }
}
