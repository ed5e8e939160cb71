/// An interrupt line served by one handler actor: one instance of the handler runs at a
/// time, and it may start whenever `isPending` holds.
public final class InterruptLine: @unchecked Sendable {
    /// The actor that runs the handler ("irq").
    public let name: String
    /// The operation at the handler actor's idle point, where the handler starts (the code
    /// under test's "start complete_cb").
    public let startOperation: any Sendable & CustomStringConvertible
    private let platform: Platform
    private let lock = PlainLock()
    private var running = false

    public init(_ name: String, startOperation: any Sendable & CustomStringConvertible, platform: Platform) {
        self.name = name
        self.startOperation = startOperation
        self.platform = platform
    }

    /// An interrupt line whose start point is labelled "start `handlerName`" (for code
    /// without operations of its own).
    public convenience init(_ name: String, handlerName: String, platform: Platform) {
        self.init(name, startOperation: "start \(handlerName)", platform: platform)
    }

    /// Spawns the handler actor: it runs `handler` whenever `isPending` holds.
    ///
    /// `isPending` is evaluated by the scheduler (controlled) or after `raise()` (real); it
    /// must only peek at state.
    public func start(isPending: @escaping () -> Bool, handler: @escaping () -> Void) {
        platform.spawnActor(name) { [self] in
            while platform.idlePoint(PointLabel(startOperation), until: isPending) {
                lock.withLock { running = true }
                handler()
                lock.withLock { running = false }
            }
        }
    }

    /// Raises the interrupt: wakes the handler actor on real threads.
    public func raise() {
        platform.notifyIdleActors()
    }

    /// Whether the handler is running now, read without a scheduling point.
    public var isRunning: Bool { lock.withLock { running } }
}
