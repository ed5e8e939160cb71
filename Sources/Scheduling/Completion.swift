/// A completion (`struct completion`): a count of `complete` calls that waiters consume.
///
/// `complete`, `tryWait` and `reinit` are labelled scheduling points; `wait` is a blocking
/// point that a controlled scheduler resumes only once the completion is done or the
/// deadline has passed.
public final class Completion: @unchecked Sendable {
    public let name: String
    private let platform: Platform
    private let condition = ConditionLock()
    private var done = 0

    public init(_ name: String, platform: Platform) {
        self.name = name
        self.platform = platform
    }

    /// Signals one waiter (`complete`).
    public func complete(_ operation: @autoclosure () -> PointLabel, audit: () -> Void = {}) {
        platform.schedulingPoint(operation())
        audit()
        condition.withLock {
            done += 1
            condition.broadcast()
        }
    }

    /// Forgets earlier completions (`reinit_completion`).
    public func reinit(_ operation: @autoclosure () -> PointLabel) {
        platform.schedulingPoint(operation())
        condition.withLock { done = 0 }
    }

    /// Consumes a completion if there is one, without waiting (`try_wait_for_completion`).
    public func tryWait(_ operation: @autoclosure () -> PointLabel) -> Bool {
        platform.schedulingPoint(operation())
        return consume()
    }

    /// Waits until completed, or until `deadline` passes (`wait_for_completion_timeout`);
    /// true if it was completed. Without a deadline it waits until completed or the run is
    /// torn down.
    public func wait(_ operation: @autoclosure () -> PointLabel, deadline: Deadline? = nil) -> Bool {
        if platform.isControlled {
            platform.blockingPoint(operation(), until: { [unowned self] in
                self.isDone || deadline?.hasPassedQuietly == true || self.platform.isStopping
            })
            return consume()
        }
        condition.lock()
        defer { condition.unlock() }
        while done == 0 {
            if deadline?.hasPassedQuietly == true || platform.isStopping { return false }
            condition.wait(timeout: .microseconds(200))
        }
        done -= 1
        return true
    }

    /// Whether a completion is available, read without a scheduling point.
    public var isDone: Bool {
        condition.withLock { done > 0 }
    }

    private func consume() -> Bool {
        condition.withLock {
            guard done > 0 else { return false }
            done -= 1
            return true
        }
    }
}
