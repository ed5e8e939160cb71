/// How many action instances one transition of a symbolic unrolling fires: the choice that
/// decides how deep, in transitions, a bounded search must go to reach a state.
///
/// - ``single``: one instance per transition, so a frame is one step of the explicit engine
///   and BMC's depth is the explicit engine's depth.
/// - ``parallel``: any set of enabled instances that are pairwise independent (no instance
///   writes a slot another reads or writes; ``Footprint``), fired together (∃-step semantics,
///   Rintanen, Heljanko and Niemelä 2006). Fired in any order one after the other they reach
///   the same state, since none changes what another reads: its guard, its values, its
///   indices. So every state a frame reaches is reachable by that many steps, and the frame's
///   run expands into the explicit engine's steps (in instance order), which the
///   ``CounterexampleValidator`` replays. No behaviour is lost, and in particular no state an
///   invariant is broken in: a single instance is a frame too, so every run of `k` steps is a
///   run of at most `k` frames, and a state passed *inside* a frame (after some of its
///   instances) is the end of the frame that fires just those, at the same frame depth. A
///   violation is therefore found at a frame depth no greater than its explicit depth; the
///   counterexample is cut at the first state of its expansion that breaks the invariant. A
///   frame may fire nothing (the state stays), so depth `k` covers every run of at most `k`
///   frames.
public enum FrameSemantics: String, CaseIterable, Sendable {
    case single
    case parallel
}
