/// One allowed execution of a litmus test, kept as a witness: its events, which write each read
/// took, the coherence order per location, and the final values.
public struct LitmusExecution: Sendable {
    public let execution: CandidateExecution
    /// Final register values per thread.
    public let registers: [Int: [String: Value]]
    /// Final value of each location (its coherence-last write), lock locations left out.
    public let memory: [String: Value]
    public let flags: Set<ModelFlag>

    public init(execution: CandidateExecution, registers: [Int: [String: Value]], memory: [String: Value], flags: Set<ModelFlag>) {
        self.execution = execution
        self.registers = registers
        self.memory = memory
        self.flags = flags
    }

    /// Each read (spinlock reads included) with the write it takes its value from.
    public var readsFrom: [(read: Event, write: Event)] {
        execution.rf.pairs.map { (execution.events[$0.1], execution.events[$0.0]) }
            .sorted { ($0.read.thread ?? -1, $0.read.id) < ($1.read.thread ?? -1, $1.read.id) }
    }

    /// The writes of each location in coherence order, for locations written more than once
    /// besides the initial write.
    public var coherence: [(location: String, writes: [Event])] {
        let writes = execution.events.filter { $0.isWrite }
        let byLocation = Dictionary(grouping: writes) { $0.location ?? "" }
        return byLocation.keys.sorted().compactMap { location in
            let ordered = byLocation[location]!.sorted { a, b in execution.co.contains(a.id, b.id) }
            return ordered.count > 2 ? (location, ordered) : nil
        }
    }
}
