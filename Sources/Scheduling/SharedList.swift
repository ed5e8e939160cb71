/// A list shared between actors (a kernel `list_head` under its lock): every operation is a
/// labelled scheduling point.
public final class SharedList<Element>: @unchecked Sendable {
    public let name: String
    private let platform: Platform
    private let lock = PlainLock()
    private var elements: [Element] = []

    public init(_ name: String, platform: Platform) {
        self.name = name
        self.platform = platform
    }

    /// Appends at the tail (`list_add_tail`).
    public func append(_ element: Element, _ operation: @autoclosure () -> PointLabel, audit: () -> Void = {}) {
        platform.schedulingPoint(operation())
        audit()
        lock.withLock { elements.append(element) }
    }

    /// Removes and returns the head, if any (`list_first_entry` + `list_del`).
    public func removeFirst(_ operation: @autoclosure () -> PointLabel, audit: () -> Void = {}) -> Element? {
        platform.schedulingPoint(operation())
        audit()
        return lock.withLock { elements.isEmpty ? nil : elements.removeFirst() }
    }

    /// The elements, head first, read without a scheduling point.
    public func peekAll() -> [Element] {
        lock.withLock { elements }
    }

    /// Whether the list is empty, read without a scheduling point.
    public var isEmptyNow: Bool {
        lock.withLock { elements.isEmpty }
    }

    /// Appends without a scheduling point (initial set-up only).
    public func appendQuietly(_ element: Element) {
        lock.withLock { elements.append(element) }
    }
}
