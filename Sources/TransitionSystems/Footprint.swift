/// The state slots an action instance may read and may write, taken from its grounded terms.
///
/// Reads are every slot its guard, its updates' values and conditions, and its dynamic array
/// indices mention; writes are every slot an update may target (all the elements of an array
/// written at an index known only in a state). Both are over-approximations, which is the
/// safe direction for everything built on them: two instances judged independent here commute
/// and cannot enable or disable each other in any state.
public struct Footprint: Sendable, Hashable {
    public let reads: Set<Int>
    public let writes: Set<Int>

    public init(reads: Set<Int>, writes: Set<Int>) {
        self.reads = reads
        self.writes = writes
    }

    /// The footprint of `instance`.
    public init(_ instance: ActionInstance) {
        var reads = instance.guardTerm.slotsRead
        var writes = Set<Int>()
        for update in instance.updates {
            reads.formUnion(update.value.slotsRead)
            reads.formUnion(update.condition.slotsRead)
            switch update.target {
            case .slot(let slot):
                writes.insert(slot)
            case .select(let slots, let index, _):
                writes.formUnion(slots)
                reads.formUnion(index.slotsRead)
            }
        }
        self.init(reads: reads, writes: writes)
    }

    /// Whether the two instances are statically independent: neither writes a slot the other
    /// reads or writes. Then, in every state where both are enabled, firing one keeps the
    /// other enabled, and firing them in either order reaches the same state; and firing one
    /// cannot enable or disable the other.
    public func isIndependent(of other: Footprint) -> Bool {
        writes.isDisjoint(with: other.reads) && writes.isDisjoint(with: other.writes) && other.writes.isDisjoint(with: reads)
    }
}

extension TransitionSystem {
    /// The footprint of every instance, in instance order.
    public var footprints: [Footprint] { instances.map(Footprint.init) }
}
