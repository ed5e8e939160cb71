import Scheduling

/// The SCMI platform behind the virtqueue: it takes requests and returns them in any order,
/// at any later time, or never, writing "reply for token t" into each buffer's input.
///
/// In a controlled run each held request is an environment event ("device:buf1"); the
/// scheduler decides if and when the device replies. On real threads the stress tool calls
/// `reply(to:)` from device threads.
public final class SimulatedDevice: @unchecked Sendable {
    public let vqueue: Virtqueue
    private let lock = PlainLock()
    private var stopped = false

    /// Whether environment events carry readable labels (otherwise just their ids).
    public var labelsEvents = true

    init(vqueue: Virtqueue) {
        self.vqueue = vqueue
    }

    /// Replies to a held request; false if it is no longer held.
    @discardableResult
    public func reply(to request: Virtqueue.Request) -> Bool {
        vqueue.deviceReply(to: request)
    }

    /// Replies to the oldest held request for `buffer`; false if there is none.
    @discardableResult
    public func reply(toBuffer buffer: Int) -> Bool {
        guard let request = vqueue.heldRequests.first(where: { $0.buffer == buffer }) else { return false }
        return reply(to: request)
    }

    /// Replies to every held request, oldest first.
    public func replyToAll() {
        for request in vqueue.heldRequests { reply(to: request) }
    }

    /// Stops offering replies (tear-down).
    public func stop() {
        lock.withLock { stopped = true }
    }

    /// The replies the device could give now, one per held buffer: the events of a
    /// controlled run.
    public func environmentEvents() -> [EnvironmentEvent] {
        guard !lock.withLock({ stopped }), !vqueue.isBroken else { return [] }
        var seen: Set<Int> = []
        var events: [EnvironmentEvent] = []
        for request in vqueue.heldRequests where seen.insert(request.buffer).inserted {
            let token = request.token.map(String.init) ?? "?"
            let id = "device:buf\(request.buffer)"
            events.append(EnvironmentEvent(
                id: id,
                label: labelsEvents ? "device: reply to buf\(request.buffer) (token \(token))" : id,
                perform: { [self] in
                    reply(to: request)
                    vqueue.trace("device wrote \"reply for token \(token)\" into buf\(request.buffer); U = \(vqueue.usedIndex)")
                }
            ))
        }
        return events
    }
}
