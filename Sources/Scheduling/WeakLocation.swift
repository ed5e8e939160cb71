/// The identity of a weak field within one ``MemoryViews``: a number, and the field's name.
public struct WeakLocation: Hashable, Sendable, CustomStringConvertible {
    public let id: Int
    public let name: String

    public init(id: Int, name: String) {
        self.id = id
        self.name = name
    }

    public var description: String { name }
}
