/// A timeout: on real threads a point on the monotonic clock; under a `ControlledRuntime`
/// a flag that only the scheduler sets, by choosing the event "deadline:<owner>".
///
/// A deadline is armed when its owner starts waiting and disarmed when the owner no longer
/// looks at it, so that a scheduler offers its passing only while it matters.
public final class Deadline: @unchecked Sendable {
    /// The actor whose wait this deadline bounds ("cpu0").
    public let owner: String
    /// How long after arming the deadline passes, on real threads.
    public let timeout: Duration
    private let platform: Platform
    private let lock = PlainLock()
    private var armed = false
    private var passed = false
    private var stop: ContinuousClock.Instant?

    public init(owner: String, timeout: Duration, platform: Platform) {
        self.owner = owner
        self.timeout = timeout
        self.platform = platform
    }

    /// Starts the timer (`stop = ktime_add_ms(ktime_get(), timeout)`). Reading the clock
    /// here is local to the owner, so this is no scheduling point. A deadline that was
    /// made to pass before it was armed stays passed.
    public func arm() {
        lock.withLock {
            armed = true
            stop = platform.isControlled ? nil : ContinuousClock.now.advanced(by: timeout)
        }
        platform.deadlineArmed(self)
    }

    /// Reads the clock (`ktime_after(ktime_get(), stop)`).
    public func hasPassed(_ operation: @autoclosure () -> PointLabel) -> Bool {
        platform.schedulingPoint(operation())
        return hasPassedQuietly
    }

    /// Whether the deadline has passed, read without a scheduling point. During tear-down
    /// every deadline counts as passed.
    public var hasPassedQuietly: Bool {
        if platform.isStopping { return true }
        return lock.withLock {
            if let stop { return ContinuousClock.now >= stop }
            return passed
        }
    }

    /// Stops offering the deadline's passing (its owner no longer looks at it).
    public func disarm() {
        lock.withLock { armed = false }
    }

    /// Makes the deadline pass (the environment's choice in a controlled run).
    public func expire() {
        lock.withLock { passed = true }
    }

    /// True while the deadline is armed and has not passed.
    public var isPending: Bool {
        lock.withLock { armed && !passed && stop == nil }
    }
}
