/// A candidate execution: the events of every thread with program order, dependencies, the
/// read-modify-write pairs, and a choice of reads-from and coherence order.
///
/// A candidate is what herd7 calls an execution before the model judges it: `rf` maps each read to
/// one write of the same location and value, `co` totally orders the writes of each location with the
/// initial write first. ``LinuxKernelMemoryModel`` decides whether the LKMM allows it.
public struct CandidateExecution: Sendable {
    public let events: [Event]
    /// Program order: within one thread, earlier to later (transitive).
    public let po: Relation
    /// Address dependencies: a read to a later access whose address it computes.
    public let addr: Relation
    /// Data dependencies: a read to a later write whose value it computes.
    public let data: Relation
    /// Control dependencies: a read to the events of an `if` branch its value decides.
    public let ctrl: Relation
    /// Read-modify-write pairs: an atomic RMW's read to its write, and each LKR to its LKW.
    public let rmw: Relation
    /// Reads-from: a write to each read that takes its value.
    public let rf: Relation
    /// Coherence order: per location, a strict total order of the writes (transitive).
    public let co: Relation

    public init(events: [Event], po: Relation, addr: Relation, data: Relation, ctrl: Relation, rmw: Relation,
                rf: Relation, co: Relation) {
        self.events = events
        self.po = po
        self.addr = addr
        self.data = data
        self.ctrl = ctrl
        self.rmw = rmw
        self.rf = rf
        self.co = co
    }

    public var size: Int { events.count }

    /// The events satisfying `predicate`.
    public func set(where predicate: (Event) -> Bool) -> EventSet {
        EventSet(events.filter(predicate).map(\.id))
    }

    /// Pairs of memory events on the same location (cat's `loc`, restricted to memory events).
    public var sameLocation: Relation {
        var result = Relation(size: size)
        for a in events where a.location != nil {
            for b in events where b.location == a.location { result.insert(a.id, b.id) }
        }
        return result
    }

    /// Pairs of events of the same thread (cat's `int`); initial writes are in no thread.
    public var sameThread: Relation {
        var result = Relation(size: size)
        for a in events where a.thread != nil {
            for b in events where b.thread == a.thread { result.insert(a.id, b.id) }
        }
        return result
    }

    /// Pairs of events of different threads (cat's `ext`), initial writes counting as external to all.
    public var external: Relation {
        var result = Relation(size: size)
        for a in events {
            for b in events where a.thread == nil || b.thread == nil || a.thread != b.thread {
                if a.id != b.id { result.insert(a.id, b.id) }
            }
        }
        return result
    }

    /// From-reads, `rf^-1 ; co`: a read to every write coherence-after the one it read.
    public var fr: Relation { rf.inverse.then(co) }
}
