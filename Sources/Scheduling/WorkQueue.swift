/// A work queue with one work item (`queue_work` on a `work_struct`), run by its own actor.
///
/// Queueing does nothing while the item is already pending; an item queued while it runs
/// runs again afterwards.
public final class WorkQueue: @unchecked Sendable {
    /// The actor that runs the work ("worker").
    public let name: String
    /// The operation at the worker's idle point, where it starts running the work item
    /// (the code under test's "run deferred_tx_work").
    public let startOperation: any Sendable & CustomStringConvertible
    private let platform: Platform
    private let lock = PlainLock()
    private var pending = false
    private var running = false

    public init(_ name: String, startOperation: any Sendable & CustomStringConvertible, platform: Platform) {
        self.name = name
        self.startOperation = startOperation
        self.platform = platform
    }

    /// A work queue whose start point is labelled "run `workName`" (for code without
    /// operations of its own).
    public convenience init(_ name: String, workName: String, platform: Platform) {
        self.init(name, startOperation: "run \(workName)", platform: platform)
    }

    /// Spawns the worker actor, which runs `work` each time the item was queued.
    public func start(_ work: @escaping () -> Void) {
        platform.spawnActor(name) { [self] in
            while platform.idlePoint(PointLabel(startOperation), until: { [unowned self] in self.isPending }) {
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
    public func queueWork(_ operation: @autoclosure () -> PointLabel) -> Bool {
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
