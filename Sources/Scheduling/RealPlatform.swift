#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The platform of real threads: scheduling points are free, waits block in the kernel.
public final class RealPlatform: Platform, @unchecked Sendable {
    private let stateLock = PlainLock()
    private var stopping = false
    private var threads: [NativeThread] = []
    private let idle = ConditionLock()
    private let stackSize: Int

    public init(stackSize: Int = 1 << 20) {
        self.stackSize = stackSize
    }

    public var isControlled: Bool { false }

    public var currentActorName: String { NativeThread.currentName ?? "main" }

    public var currentStep: Int { 0 }

    public var isStopping: Bool { stateLock.withLock { stopping } }

    @inline(__always)
    public func schedulingPoint(_ operation: @autoclosure () -> PointLabel) {}

    public func blockingPoint(_ operation: @autoclosure () -> PointLabel, until ready: @escaping () -> Bool) {
        while !ready() { sched_yield() }
    }

    public func relax(_ operation: @autoclosure () -> PointLabel, wakeWhen: @escaping () -> Bool) {
        sched_yield()
    }

    public func idlePoint(_ operation: @autoclosure () -> PointLabel, until ready: @escaping () -> Bool) -> Bool {
        idle.lock()
        defer { idle.unlock() }
        while true {
            if isStopping { return false }
            if ready() { return true }
            idle.wait(timeout: .milliseconds(1))
        }
    }

    public func notifyIdleActors() {
        idle.withLock { idle.broadcast() }
    }

    public func trace(_ message: @autoclosure () -> String) {}

    public func spawnActor(_ name: String, _ body: @escaping () -> Void) {
        let thread = NativeThread.start(name: name, stackSize: stackSize, body)
        stateLock.withLock { threads.append(thread) }
    }

    public func deadlineArmed(_ deadline: Deadline) {}

    /// None: on real threads the hardware's memory applies.
    public var memory: MemoryViews? { nil }

    /// Asks every actor to stop: idle points return false and deadlines count as passed.
    public func stop() {
        stateLock.withLock { stopping = true }
        notifyIdleActors()
    }

    /// Waits for every spawned actor to finish.
    public func joinAll() {
        while let thread = stateLock.withLock({ threads.popLast() }) {
            thread.join()
        }
    }
}
