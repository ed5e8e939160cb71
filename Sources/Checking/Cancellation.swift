import Foundation
import Synchronization

/// A thread-safe request to stop a run early: a deadline for the whole run (``init(timeLimit:)``),
/// an interrupt (``interrupt()``, such as on SIGINT), or both. One instance may be shared by
/// runs on several threads (``CheckOptions/cancellation``).
///
/// Engines poll ``stopReason`` between units of work: the explicit engine at each level and
/// every few thousand states, the symbolic engines between solver queries; each solver query's
/// timeout is capped at ``remainingSeconds``, and a query that gives up once the run should
/// stop counts as stopped by it. A run stopped this way settles what it settled, and reports
/// each invariant still open as `holds-up-to-depth` the depth it checked completely, with
/// ``StopReason/timeLimit(_:)`` or ``StopReason/interrupted``; never as proved.
public final class Cancellation: Sendable {
    /// The time limit in seconds, or `nil` for none.
    public let timeLimit: Double?
    private let deadline: ContinuousClock.Instant?
    private let interruptedFlag = Atomic<Bool>(false)

    /// A cancellation whose deadline is `timeLimit` seconds from now (none when `nil`).
    public init(timeLimit: Double? = nil) {
        self.timeLimit = timeLimit
        self.deadline = timeLimit.map { ContinuousClock.now.advanced(by: .seconds($0)) }
    }

    /// Asks every run sharing this cancellation to stop; safe from any thread.
    public func interrupt() {
        interruptedFlag.store(true, ordering: .relaxed)
    }

    /// Whether ``interrupt()`` was called.
    public var isInterrupted: Bool { interruptedFlag.load(ordering: .relaxed) }

    /// Why runs should stop now, or `nil` while they may go on: an interrupt first, then the deadline.
    public var stopReason: StopReason? {
        if isInterrupted { return .interrupted }
        if let deadline, let timeLimit, ContinuousClock.now >= deadline { return .timeLimit(timeLimit) }
        return nil
    }

    /// Seconds left before the deadline (zero once it has passed), or `nil` without a time limit.
    public var remainingSeconds: Double? {
        guard let deadline else { return nil }
        let left = ContinuousClock.now.duration(to: deadline)
        let (seconds, attoseconds) = left.components
        return max(0, Double(seconds) + Double(attoseconds) / 1e18)
    }
}
