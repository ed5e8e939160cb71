import Scheduling

/// A split virtqueue, seen abstractly: the requests the device holds, the used ring, the
/// used index `U` (written by the device), the driver's last-used index `L`, the callback
/// flag and the broken flag.
///
/// Driver operations (`addSGs`, `getBuf`, `poll`, callback control) are labelled
/// scheduling points; the driver serializes all of them under the channel lock except
/// `poll`, which reads `U` without it. Device operations (`deviceReply`) take no scheduling
/// point: the device's write is one environment step. Indices are 16-bit and wrap, as in
/// the kernel.
public final class Virtqueue: @unchecked Sendable {
    /// A request the device holds: the buffer and the token of its request SDU.
    public struct Request: Sendable {
        public let buffer: Int
        public let generation: Int
        public let token: Int?
        let ref: MessageRef
        /// When the request was added (real threads only).
        public let addedAt: ContinuousClock.Instant?
    }

    /// A buffer the device returned, with the length it reported.
    public struct UsedElement: Sendable {
        public let buffer: Int
        public let length: RxLength
        let ref: MessageRef
    }

    /// How many requests can be outstanding (added and not yet dequeued).
    public let capacity: Int
    private let platform: Platform
    private let lock = PlainLock()
    private var held: [Request] = []
    private var used: [UsedElement] = []
    private var lastUsed = 0
    private var callbacksOn = true
    private var broken = false

    /// Called after each driver operation's scheduling point with the operation's name (the
    /// channel audits shutdown safety here).
    var auditAccess: ((String) -> Void)?
    /// Called when the device has new requests (`virtqueue_kick`).
    public var onKick: (() -> Void)?
    /// Called when the device has returned a buffer (the interrupt).
    public var onUsed: (() -> Void)?
    /// Failures injected into `addSGs` after its own checks (the stress tool's
    /// `--inject-add-sgs-failures`); set before any thread uses the queue.
    public var injectedAddFailures: AddFailureInjection?

    init(capacity: Int, platform: Platform) {
        self.capacity = capacity
        self.platform = platform
    }

    // MARK: - Driver side

    /// Publishes a request (`virtqueue_add_sgs`): 0, or `-ENOSPC` when full, `-EIO` when broken,
    /// or the error `injectedAddFailures` draws for this call.
    func addSGs(_ ref: MessageRef, _ operation: @autoclosure () -> PointLabel, audit: () -> Void = {}) -> Int32 {
        platform.schedulingPoint(operation())
        auditAccess?("virtqueue_add_sgs")
        audit()
        let now: ContinuousClock.Instant? = platform.isControlled ? nil : ContinuousClock.now
        let token = ref.message.request.peek()
        return lock.withLock {
            if broken { return -Errno.EIO }
            if held.count + used.count >= capacity { return -Errno.ENOSPC }
            if let error = injectedAddFailures?.nextError() { return error }
            held.append(Request(buffer: ref.message.index, generation: ref.generation, token: token, ref: ref, addedAt: now))
            return 0
        }
    }

    /// Notifies the device (`virtqueue_kick`); part of the `addSGs` step.
    func kick() {
        onKick?()
    }

    /// Dequeues the next used buffer, if `L != U` (`virtqueue_get_buf`).
    func getBuf(_ operation: @autoclosure () -> PointLabel) -> (MessageRef, RxLength)? {
        platform.schedulingPoint(operation())
        auditAccess?("virtqueue_get_buf")
        return lock.withLock {
            guard !broken, !used.isEmpty else { return nil }
            let element = used.removeFirst()
            lastUsed += 1
            return (element.ref, element.length)
        }
    }

    /// Turns completion callbacks off (`virtqueue_disable_cb`).
    func disableCallbacks(_ operation: @autoclosure () -> PointLabel) {
        platform.schedulingPoint(operation())
        auditAccess?("virtqueue_disable_cb")
        lock.withLock { callbacksOn = false }
    }

    /// Turns callbacks on; false if buffers were used meanwhile (`virtqueue_enable_cb`).
    func enableCallbacks(_ operation: @autoclosure () -> PointLabel) -> Bool {
        platform.schedulingPoint(operation())
        auditAccess?("virtqueue_enable_cb")
        return lock.withLock {
            callbacksOn = true
            return broken || used.isEmpty
        }
    }

    /// Turns callbacks on and returns `L` as an opaque index (`virtqueue_enable_cb_prepare`).
    func enableCallbacksPrepare(_ operation: @autoclosure () -> PointLabel) -> UInt16 {
        platform.schedulingPoint(operation())
        auditAccess?("virtqueue_enable_cb_prepare")
        return lock.withLock {
            callbacksOn = true
            return UInt16(truncatingIfNeeded: lastUsed)
        }
    }

    /// True iff the device produced entries since `index` (`virtqueue_poll`: `U != index`).
    func poll(_ index: UInt16, _ operation: @autoclosure () -> PointLabel) -> Bool {
        platform.schedulingPoint(operation())
        auditAccess?("virtqueue_poll")
        return lock.withLock { !broken && UInt16(truncatingIfNeeded: lastUsed + used.count) != index }
    }

    /// Breaks the device (`virtio_break_device`): every later operation fails or returns nothing.
    func breakDevice(_ operation: @autoclosure () -> PointLabel) {
        platform.schedulingPoint(operation())
        lock.withLock { broken = true }
    }

    // MARK: - Device side

    /// The device returns a held request: writes "reply for token t" into the buffer's input
    /// and appends it to the used ring, advancing `U`. False if it is not held (or broken).
    @discardableResult
    public func deviceReply(to request: Request) -> Bool {
        let done: Bool = lock.withLock {
            guard !broken, let position = held.firstIndex(where: { $0.buffer == request.buffer && $0.generation == request.generation }) else {
                return false
            }
            let taken = held.remove(at: position)
            let length = taken.token.map { RxLength.ofReply(to: $0) } ?? RxLength(bytes: 0, replyToken: nil)
            taken.ref.message.input.poke(taken.token.map { .reply(token: $0) } ?? .empty)
            used.append(UsedElement(buffer: taken.buffer, length: length, ref: taken.ref))
            return true
        }
        if done { onUsed?() }
        return done
    }

    // MARK: - Observation (no scheduling points)

    /// Adds a line to the controlled run's log.
    func trace(_ message: @autoclosure () -> String) {
        platform.trace(message())
    }

    /// The requests the device holds, oldest first.
    public var heldRequests: [Request] { lock.withLock { held } }

    /// The used ring's entries between `L` and `U`, oldest first.
    public var usedElements: [UsedElement] { lock.withLock { used } }

    /// `U`, 16 bits.
    public var usedIndex: UInt16 { lock.withLock { UInt16(truncatingIfNeeded: lastUsed + used.count) } }

    /// `L`, 16 bits.
    public var lastUsedIndex: UInt16 { lock.withLock { UInt16(truncatingIfNeeded: lastUsed) } }

    /// Whether `L != U` and the device is not broken: an interrupt may start.
    public var hasUsedBuffers: Bool { lock.withLock { !broken && !used.isEmpty } }

    public var isBroken: Bool { lock.withLock { broken } }

    public var callbacksEnabled: Bool { lock.withLock { callbacksOn } }

    /// Whether `buffer` is held by the device or on the used ring, and where.
    func places(of buffer: Int) -> [String] {
        lock.withLock {
            var places: [String] = []
            if held.contains(where: { $0.buffer == buffer }) { places.append("the device") }
            if used.contains(where: { $0.buffer == buffer }) { places.append("the used ring") }
            return places
        }
    }
}
