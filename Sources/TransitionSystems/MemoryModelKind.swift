/// The memory model a spec is checked under.
public enum MemoryModelKind: String, Sendable, CaseIterable {
    /// Sequential consistency: every read sees the latest write; annotations are ignored.
    case sc
    /// The Linux-kernel memory model without load buffering: every LKMM execution whose
    /// program order and reads-from together are acyclic, and no other (see `WeakMemory`).
    case lkmmNoLB = "lkmm-nolb"

    /// What the name means, in one line, for reports.
    public var summary: String {
        switch self {
        case .sc: return "sequential consistency"
        case .lkmmNoLB: return "LKMM without load buffering (executions with a po ∪ rf cycle are omitted)"
        }
    }
}
