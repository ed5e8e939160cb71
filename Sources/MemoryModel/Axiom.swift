/// The LKMM's constraints on a candidate execution, named as linux-kernel.cat and lock.cat (v6.12) name them.
public enum Axiom: String, Hashable, Sendable, CaseIterable {
    /// `acyclic po-loc | com`: sequential consistency per location.
    case coherence
    /// `empty rmw & (fre ; coe)`: nothing intervenes in a read-modify-write.
    case atomic
    /// `acyclic hb`: the happens-before order.
    case happensBefore = "happens-before"
    /// `acyclic pb`: each non-rf link needs a strong fence.
    case propagation
    /// `empty wr-incoh | rw-incoh | ww-incoh`: plain accesses stay coherent where they are bounded.
    case plainCoherence = "plain-coherence"
}
