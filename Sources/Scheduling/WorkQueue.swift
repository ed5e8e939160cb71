/// A work queue with one work item (`queue_work` on a `work_struct`), run by its own actor.
///
/// Queueing does nothing while the item is already pending; an item queued while it runs
/// runs again afterwards.
public final class WorkQueue: @unchecked Sendable {
    /// The actor that runs the work ("worker").
    public let name: String
    /// The work item's name, used in labels ("deferred_tx_work").
    public let workName: String
    private let platform: Platform
    private let lock = PlainLock()
    private var pending = false
    private var running = false

    public init(_ name: String, workName: String, platform: Platform) {
        self.name = name
        self.workName = workName
        self.platform = platform
    }

    /// Spawns the worker actor, which runs `work` each time the item was queued.
    public func start(_ work: @escaping () -> Void) {
        platform.spawnActor(name) { [self] in
            while platform.idlePoint("run \(workName)", until: { [unowned self] in self.isPending }) {
                lock.withLock {
                    pending = false
                    running = true
                }
                work()
                lock.withLock { running = false }
            }
        }
    }

    /// Queues the work item; false if it was already pending.
    @discardableResult
    public func queueWork(_ operation: @autoclosure () -> String) -> Bool {
        platform.schedulingPoint(operation())
        let queued: Bool = lock.withLock {
            guard !pending else { return false }
            pending = true
            return true
        }
        if queued { platform.notifyIdleActors() }
        return queued
    }

    /// Whether the work item is queued and not yet started, read without a scheduling point.
    public var isPending: Bool { lock.withLock { pending } }

    /// Whether the work is running now, read without a scheduling point.
    public var isRunning: Bool { lock.withLock { running } }
}
