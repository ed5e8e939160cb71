import CZ3
import Dispatch
import Synchronization

/// Backs a check's timeout with interrupts: Z3's `timeout` parameter can be lost when its timer
/// fires before the search starts (seen with a 1 ms timeout on a loaded machine: the check then ran
/// to its end, minutes later). From shortly after the timeout on, until it is stopped, the watchdog
/// calls `Z3_interrupt` on the context every few milliseconds, so the check returns unknown
/// ("canceled") at the latest one period after its timeout plus the grace.
final class CheckWatchdog {
    private let stopped = StopFlag()
    private let timer: DispatchSourceTimer

    /// Starts watching a check on `context` that may take `timeout`.
    init(context: Context, timeout: Duration) {
        let raw = UncheckedContext(context.raw)
        timer = DispatchSource.makeTimerSource(queue: .global())
        let grace = Duration.milliseconds(20)
        let (seconds, attoseconds) = (timeout + grace).components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        timer.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .milliseconds(10))
        timer.setEventHandler { [stopped] in
            // Under the lock, so that no interrupt lands once `stop` has returned.
            stopped.value.withLock { isStopped in
                if !isStopped { Z3_interrupt(raw.value) }
            }
        }
        timer.resume()
    }

    /// Ends the watch; no interrupt is sent after this returns.
    func stop() {
        stopped.value.withLock { $0 = true }
        timer.cancel()
    }

    /// Whether the watch has ended, shared with the timer's handler.
    private final class StopFlag: Sendable {
        let value = Mutex(false)
    }

    /// The context pointer, handed to the timer's queue. `Z3_interrupt` is the one call Z3 allows
    /// from another thread while a check runs.
    private struct UncheckedContext: @unchecked Sendable {
        let value: Z3_context?
        init(_ value: Z3_context?) { self.value = value }
    }
}
