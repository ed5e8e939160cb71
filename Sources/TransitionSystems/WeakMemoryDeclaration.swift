/// Which variables of a spec are weak, which are synchronisation objects, and the memory model
/// the spec is meant to be checked under.
///
/// A weak variable keeps a history of writes that threads (process instances) may read out of
/// order, as the memory model allows; every step that reads or writes it states the kind of the
/// access (``Access``). A synchronisation object stays sequentially consistent in value (a lock, or
/// a flag whose stale reads the spec chooses not to model) but carries the releasing thread's view,
/// so acquiring it orders the weak accesses that follow. Variables of neither kind keep
/// sequential consistency and order nothing.
public struct WeakMemoryDeclaration: Sendable {
    /// The weak variables' names.
    public let weak: [String]
    /// The synchronisation objects' names.
    public let sync: [String]
    /// The most writes of one weak element kept at once; a run that needs more stops and can no
    /// longer be a proof.
    public let history: Int
    /// The memory model a run uses when it names none.
    public let defaultModel: MemoryModelKind

    public init(weak: [Variable], sync: [Variable] = [], history: Int = 2, defaultModel: MemoryModelKind = .sc) {
        self.weak = weak.map(\.name)
        self.sync = sync.map(\.name)
        self.history = history
        self.defaultModel = defaultModel
    }
}
