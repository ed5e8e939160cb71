import TransitionSystems

/// The time-independent part of the symbolic encoding: widths, next-state functions and
/// the conditions under which evaluation is defined, computed once per system.
///
/// Choices, argued here once:
/// - **Compact domains.** Slot `s` is stored as its position in its domain (runtime value
///   minus the lower bound) in a bit-vector of `slotWidths[s]` bits, just enough for the
///   domain's size; the ``Unroller`` constrains it below the size when the size is not a
///   power of two.
/// - **Exact arithmetic.** Every integer expression is evaluated in two's complement at
///   ``valueWidth`` bits, chosen by interval analysis over every term of the system (guards,
///   updates, indices, invariants, initial conditions) so that every intermediate value,
///   such as `refs - 1` at `refs = 0`, is represented exactly; order is compared signed.
/// - **Grounded choices.** A step fires one ground ``ActionInstance``; which one is a
///   bit-vector of ``choiceWidth`` bits per step, so a model names the actor, the action and
///   its arguments.
/// - **Functional next state.** For each slot, ``writers`` lists the instances that may write
///   it, each with the value the slot has after that instance fires (reading the pre-state,
///   so assignments are simultaneous). The next value is one `ite` over the writers, else
///   the old value: the frame condition costs nothing per instance that leaves a slot alone.
/// - **Fewer interleavings.** Two instances are *independent* when neither writes a slot
///   the other reads or writes. Fired one after the other, independent instances reach
///   the same state in either order, from any state where the first is enabled (neither
///   changes the other's guard or values). So a run that fires `i` then a lower-numbered
///   independent `j` can be replaced by the run firing `j` then `i`, of the same length and
///   with the same last state; repeating that sorts any run into one with no such pair
///   (each swap removes one inversion), visiting the same set of states at each depth's end.
///   ``commutingPredecessors`` lists, per instance, the lower-numbered instances it commutes
///   with, and the ``Unroller`` forbids firing one of them right after it. The states
///   reachable in exactly `k` steps are unchanged, so BMC's shortest depths are exact. The
///   step case of k-induction stays sound: the sorted form of a shortest path to a state is
///   again a shortest (so simple) path to it, with all its earlier states reachable, so its
///   last `k` steps form an allowed path.
struct TransitionEncoding {
    /// One instance that may write a slot, and the slot's value after it fires.
    struct Writer {
        let instance: Int
        /// Over the pre-state; the slot itself where the instance's conditions leave it alone.
        let value: GroundTerm
    }

    let system: TransitionSystem
    /// Bits of every integer expression.
    let valueWidth: Int
    /// Bits of each slot's stored position.
    let slotWidths: [Int]
    /// Bits of the per-step choice of instance.
    let choiceWidth: Int
    /// Per slot, the instances that may write it.
    let writers: [[Writer]]
    /// The initial constraints, as one condition.
    let initialConstraint: GroundTerm
    /// Holds when evaluating the initial constraints meets no runtime error.
    let initialDefined: GroundTerm
    /// Per instance, holds in the states where evaluating its guard and, when enabled, firing it
    /// meets no runtime error: indices in their arrays, values in their domains, no slot written twice.
    let stepDefined: [GroundTerm]
    /// Holds in the states where every instance is ``stepDefined``: the state can be expanded safely.
    let everyStepDefined: GroundTerm
    /// Per invariant (in ``TransitionSystem/invariants`` order), holds when evaluating it meets no runtime error.
    let invariantDefined: [GroundTerm]
    /// Per instance, the lower-numbered instances independent of it, which may not fire right after it;
    /// empty everywhere when the reduction is off.
    let commutingPredecessors: [[Int]]
    /// One instance per transition, or several independent ones (``FrameSemantics``).
    let frames: FrameSemantics
    /// Per slot, the instances that may write it (each at most once), for parallel frames.
    let slotWriters: [[Int]]
    /// Per slot, the instances that read it and do not write it: none of them may fire in a
    /// frame where one of the slot's writers fires.
    let slotReadersOnly: [[Int]]
    /// Per instance, the instances it is not independent of (itself included when it writes a
    /// slot it reads or writes), for the parallel frames' canonical form.
    let conflicting: [[Int]]
    let fault: EncodingFault?

    /// The encoding of `system`; `reducingInterleavings` orders adjacent independent steps (see
    /// above, single frames only); `frames` fires one instance per transition or several
    /// independent ones (``FrameSemantics``); `alsoEncoding` are further terms the encoding will be
    /// asked about (lemmas), whose values the value width must hold too.
    init(system: TransitionSystem, reducingInterleavings: Bool = true, frames: FrameSemantics = .single, fault: EncodingFault? = nil,
         alsoEncoding extraTerms: [GroundTerm] = []) {
        self.system = system
        self.fault = fault
        self.frames = frames
        let layout = system.layout

        slotWidths = layout.slots.map { Self.bits(forCount: $0.domain.size) }
        choiceWidth = Self.bits(forCount: system.instances.count)

        var writers: [[Writer]] = Array(repeating: [], count: layout.count)
        for instance in system.instances {
            var targets: [Int] = []
            for update in instance.updates {
                switch update.target {
                case .slot(let s): targets.append(s)
                case .select(let slots, _, _): targets.append(contentsOf: slots)
                }
            }
            for slot in Set(targets).sorted() {
                if fault == .ignoreWrite(instance: instance.id, slot: slot) { continue }
                var value = GroundTerm.slot(slot)
                for update in instance.updates.reversed() {
                    let applies: GroundTerm
                    switch update.target {
                    case .slot(let s):
                        guard s == slot else { continue }
                        applies = update.condition
                    case .select(let slots, let index, let lower):
                        guard let position = slots.firstIndex(of: slot) else { continue }
                        applies = .makeAnd([update.condition, .equal(index, .constant(lower + position))])
                    }
                    value = applies.isTrue ? update.value : .ite(applies, update.value, value)
                }
                writers[slot].append(Writer(instance: instance.id, value: value))
            }
        }
        self.writers = writers

        let (reads, writes) = Self.footprints(system)
        commutingPredecessors = reducingInterleavings && frames == .single
            ? Self.commutingPredecessors(reads, writes) : system.instances.map { _ in [] }
        var slotWriters: [[Int]] = Array(repeating: [], count: layout.count)
        var slotReadersOnly: [[Int]] = Array(repeating: [], count: layout.count)
        for instance in system.instances.indices {
            for slot in writes[instance] { slotWriters[slot].append(instance) }
            for slot in reads[instance] where !writes[instance].contains(slot) { slotReadersOnly[slot].append(instance) }
        }
        conflicting = frames == .parallel ? reads.indices.map { i in
            reads.indices.filter { j in
                !(writes[i].isDisjoint(with: reads[j]) && writes[i].isDisjoint(with: writes[j]) && writes[j].isDisjoint(with: reads[i]))
            }
        } : []
        self.slotWriters = slotWriters.map { $0.sorted() }
        self.slotReadersOnly = slotReadersOnly.map { $0.sorted() }
        initialConstraint = .makeAnd(system.initialConstraints)
        initialDefined = GroundTerm.and(system.initialConstraints).definedness(layout)
        stepDefined = system.instances.map { Self.stepDefinedness($0, layout) }
        everyStepDefined = .makeAnd(stepDefined)
        invariantDefined = system.invariants.map { $0.term.definedness(layout) }

        var terms: [GroundTerm] = [initialConstraint, initialDefined, everyStepDefined]
        terms += system.initialValues.compactMap { $0 }
        terms += system.invariants.map(\.term) + invariantDefined
        for instance in system.instances {
            terms.append(instance.guardTerm)
            for update in instance.updates {
                terms += [update.condition, update.value]
                if case .select(_, let index, _) = update.target { terms.append(index) }
            }
        }
        terms += writers.flatMap { $0.map(\.value) }
        terms += extraTerms
        var lower = 0, upper = 1
        for slot in layout.slots {
            lower = min(lower, slot.domain.lowerBound)
            upper = max(upper, slot.domain.upperBound)
        }
        for term in terms {
            let range = term.extremes(layout)
            lower = min(lower, range.lowerBound)
            upper = max(upper, range.upperBound)
        }
        var width = 2
        while -(1 << (width - 1)) > lower || (1 << (width - 1)) - 1 < upper { width += 1 }
        valueWidth = max(width, (slotWidths.max() ?? 1) + 1)
    }

    /// Bits to store one of `count` values (at least one).
    static func bits(forCount count: Int) -> Int {
        count <= 2 ? 1 : Int.bitWidth - (count - 1).leadingZeroBitCount
    }

    /// Per instance, the slots it reads (its guard, its definedness, its updates' conditions,
    /// values and indices) and the slots it may write.
    private static func footprints(_ system: TransitionSystem) -> (reads: [Set<Int>], writes: [Set<Int>]) {
        let reads = system.instances.map { instance -> Set<Int> in
            var slots = instance.guardTerm.slotsRead.union(instance.wellDefined.slotsRead)
            for update in instance.updates {
                slots.formUnion(update.condition.slotsRead)
                slots.formUnion(update.value.slotsRead)
                if case .select(_, let index, _) = update.target { slots.formUnion(index.slotsRead) }
            }
            return slots
        }
        let writes = system.instances.map { instance -> Set<Int> in
            Set(instance.updates.flatMap { update -> [Int] in
                switch update.target {
                case .slot(let s): return [s]
                case .select(let slots, _, _): return slots
                }
            })
        }
        return (reads, writes)
    }

    /// Per instance, the lower-numbered instances that read and write nothing it writes and write nothing it reads.
    private static func commutingPredecessors(_ reads: [Set<Int>], _ writes: [Set<Int>]) -> [[Int]] {
        reads.indices.map { i in
            (0..<i).filter { j in
                writes[i].isDisjoint(with: reads[j]) && writes[i].isDisjoint(with: writes[j]) && writes[j].isDisjoint(with: reads[i])
            }
        }
    }

    /// The condition under which evaluating the guard and firing the instance meets no runtime error.
    private static func stepDefinedness(_ instance: ActionInstance, _ layout: StateLayout) -> GroundTerm {
        var firing: [GroundTerm] = [instance.wellDefined]
        for update in instance.updates {
            var applied = [update.value.definedness(layout)]
            if case .select(_, let index, _) = update.target { applied.append(index.definedness(layout)) }
            firing.append(.makeAnd([update.condition.definedness(layout), .implication(update.condition, .makeAnd(applied))]))
        }
        return .makeAnd([instance.guardTerm.definedness(layout), .implication(instance.guardTerm, .makeAnd(firing))])
    }
}
