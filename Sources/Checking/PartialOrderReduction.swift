import TransitionSystems

/// Ample sets for partial-order reduction, computed from each action instance's static
/// ``Footprint`` and each process's control flow.
///
/// In a state, the search may fire only the enabled instances of one actor (its *ample
/// set*) instead of every enabled instance, when:
///
/// - **C0** the set is not empty;
/// - **C1** (persistence) no instance of another actor that could still fire before this
///   actor moves is dependent on an instance the actor can take at its current program
///   counter. "Could still fire" is judged by the other actor's control flow: an instance
///   whose `from:` label cannot be reached from the actor's current label never fires on
///   such a path. Then no path from the state can run something dependent on the set
///   before a member of the set; in particular the actor's disabled instances stay disabled,
///   since whatever writes what their guards read is dependent on them;
/// - **C2** (invisibility) no member can change a checked invariant's truth: it writes no
///   slot the invariant reads, except a slot the invariant only compares with constants
///   (a program counter tested for labels) that the member moves between values none of
///   those comparisons name (``InvariantReads``);
/// - **C3** (cycle proviso) every successor it leads to is new: when one is already in the
///   store, the state is expanded fully. A cycle of the reduced graph has a state inserted
///   last; its successor on the cycle was stored before it was expanded, so that state was
///   expanded fully, and no enabled instance is ignored forever.
///
/// With C0–C3 every invariant (a stutter-invariant safety property) is violated in the
/// reduced graph if and only if it is violated in the full one (Peled 1993; Clarke, Grumberg
/// and Peled, *Model Checking*, ch. 10), and runtime errors are kept: an instance that would
/// fail stays enabled and failing along reduced steps, which are independent of it, until
/// C3 makes the search fire it. Breadth-first depth is not kept: a counterexample found under
/// the reduction may not be a shortest one.
///
/// With symmetry reduction the ample set is computed on the canonical state: independence,
/// control flow and invariants are preserved by the renamings the search checks (Emerson, Jha
/// and Peled 1997), and the proviso looks up canonical successors.
struct PartialOrderReduction {
    /// One process instance (`sender[cpu0]`) with its control flow.
    private struct Actor {
        /// Its program counter's slot, or `nil` when it has none (or others write it): then
        /// every instance of the actor counts as possible in every state.
        var pcSlot: Int?
        /// Per stored value of the program counter: the instances whose guard starts there,
        /// followed by the instances with no `from:` label. Without a program counter: one list of all.
        var instancesAt: [[Int]] = []
        /// `reach[from][to]`: the program counter can get from `from` to `to` (reflexive).
        var reach: [[Bool]] = []
    }

    private let actors: [Actor]
    /// Each instance's actor.
    private let actorOf: [Int]
    /// Each instance's `from:` program-counter value (stored form), or `nil` for none.
    private let fromPC: [Int?]
    /// Per actor and program-counter value: the instances of other actors dependent on
    /// something the actor may take there, without repeats.
    private let conflictsAt: [[[Int]]]
    /// Whether each instance writes a slot a checked invariant reads.
    private let visible: [Bool]

    /// Ample sets for `system`, keeping the truth of `invariants` (indices into ``TransitionSystem/invariants``).
    init(system: TransitionSystem, invariants: [Int]) {
        let footprints = system.footprints
        let layout = system.layout
        let reads = invariants.map { InvariantReads(system.invariants[$0].term) }
        visible = system.instances.map { instance in
            reads.contains { $0.mayChange(by: instance, writing: footprints[instance.id].writes) }
        }

        // Actors, in order of first appearance.
        var actorIndex: [String: Int] = [:]
        var actorOf: [Int] = []
        var members: [[Int]] = []
        for instance in system.instances {
            let a = actorIndex[instance.actor] ?? {
                actorIndex[instance.actor] = members.count
                members.append([])
                return members.count - 1
            }()
            actorOf.append(a)
            members[a].append(instance.id)
        }
        self.actorOf = actorOf

        // Each actor's program counter: the slot of its process's `NAME_pc` that its guards test.
        var fromPC: [Int?] = Array(repeating: nil, count: system.instances.count)
        var actors: [Actor] = []
        for ids in members {
            let process = system.spec.actions[system.instances[ids[0]].actionIndex].actor
            var pcSlot: Int?
            for id in ids {
                if let (slot, _) = Self.labelTest(system.instances[id].guardTerm, layout: layout, pcVariable: "\(process)_pc") {
                    pcSlot = slot
                    break
                }
            }
            // A program counter some other actor writes does not describe this actor's control flow.
            if let slot = pcSlot,
               system.instances.indices.contains(where: { !ids.contains($0) && footprints[$0].writes.contains(slot) }) {
                pcSlot = nil
            }
            guard let slot = pcSlot else {
                actors.append(Actor(pcSlot: nil, instancesAt: [ids], reach: [[true]]))
                continue
            }
            let size = layout.slots[slot].domain.size
            let lower = layout.slots[slot].domain.lowerBound
            var keyed = Array(repeating: [Int](), count: size)
            var unkeyed: [Int] = []
            var edges = Array(repeating: Set<Int>(), count: size)
            for id in ids {
                let instance = system.instances[id]
                let from = Self.labelTest(instance.guardTerm, layout: layout, pcVariable: "\(process)_pc")
                    .flatMap { $0.slot == slot ? $0.value - lower : nil }
                fromPC[id] = from
                if let from { keyed[from].append(id) } else { unkeyed.append(id) }
                // Where it may move the program counter: constants it writes there, or anywhere.
                var targets = Set<Int>()
                var movesAnywhere = false
                for update in instance.updates {
                    switch update.target {
                    case .slot(let s) where s == slot:
                        if let v = update.value.constantValue { targets.insert(v - lower) } else { movesAnywhere = true }
                    case .select(let slots, _, _) where slots.contains(slot):
                        movesAnywhere = true
                    default: break
                    }
                }
                let all = Set(0..<size)
                for source in from.map({ [$0] }) ?? Array(0..<size) {
                    edges[source].formUnion(movesAnywhere ? all : targets)
                }
            }
            var reach = Array(repeating: Array(repeating: false, count: size), count: size)
            for start in 0..<size {
                var stack = [start]
                reach[start][start] = true
                while let v = stack.popLast() {
                    for w in edges[v] where !reach[start][w] {
                        reach[start][w] = true
                        stack.append(w)
                    }
                }
            }
            actors.append(Actor(pcSlot: slot, instancesAt: keyed.map { $0 + unkeyed }, reach: reach))
        }
        self.actors = actors
        self.fromPC = fromPC

        // Dependence between instances of different actors, gathered per actor and label.
        conflictsAt = actors.enumerated().map { a, actor in
            actor.instancesAt.map { possible in
                var conflicts = Set<Int>()
                for t in possible {
                    for u in footprints.indices where actorOf[u] != a && !footprints[t].isIndependent(of: footprints[u]) {
                        conflicts.insert(u)
                    }
                }
                return conflicts.sorted()
            }
        }
    }

    /// The ample set among `enabled` (instance numbers, in the order they were found) in
    /// `state`: the enabled instances of one actor meeting C0–C2, the smallest such, or `nil`
    /// when none does (then every enabled instance is fired). C3 is the caller's.
    func ample(in state: UnsafeBufferPointer<UInt8>, enabled: [Int]) -> [Int]? {
        guard enabled.count > 1 else { return nil }
        var best: [Int]?
        var tried = Set<Int>()
        for id in enabled {
            let a = actorOf[id]
            guard tried.insert(a).inserted else { continue }
            let own = enabled.filter { actorOf[$0] == a }
            if own.count == enabled.count { return nil }
            if let best, best.count <= own.count { continue }
            if own.contains(where: { visible[$0] }) { continue }
            let actor = actors[a]
            let label = actor.pcSlot.map { Int(state[$0]) } ?? 0
            if conflictsAt[a][label].contains(where: { mayFire($0, in: state) }) { continue }
            best = own
        }
        return best
    }

    /// Whether instance `u` may fire in some future of `state` (before its actor passes a label it needs).
    private func mayFire(_ u: Int, in state: UnsafeBufferPointer<UInt8>) -> Bool {
        let actor = actors[actorOf[u]]
        guard let slot = actor.pcSlot, let from = fromPC[u] else { return true }
        return actor.reach[Int(state[slot])][from]
    }

    /// How an invariant reads the state: slots it reads only through tests `slot == constant`
    /// (a program counter compared with labels), and slots it reads any other way.
    struct InvariantReads {
        /// Per slot read only through equality tests: the constants it is compared with.
        private(set) var tested: [Int: Set<Int>] = [:]
        /// Slots read in any other way.
        private(set) var opaque = Set<Int>()

        init(_ term: GroundTerm) {
            visit(term)
            for slot in opaque { tested[slot] = nil }
        }

        private mutating func visit(_ t: GroundTerm) {
            switch t {
            case .equal(.slot(let s), .constant(let c)), .equal(.constant(let c), .slot(let s)):
                if !opaque.contains(s) { tested[s, default: []].insert(c) }
            case .constant: break
            case .slot(let s): opaque.insert(s)
            case .select(let slots, let index, _): opaque.formUnion(slots); visit(index)
            case .not(let a): visit(a)
            case .and(let xs), .or(let xs): xs.forEach { visit($0) }
            case .equal(let a, let b), .less(let a, let b), .lessOrEqual(let a, let b),
                 .add(let a, let b), .subtract(let a, let b): visit(a); visit(b)
            case .ite(let c, let a, let b): visit(c); visit(a); visit(b)
            }
        }

        /// Whether firing `instance` (which may write `writes`) can change the invariant's truth:
        /// it writes a slot read opaquely, or moves a tested slot from or to a value tested.
        /// A slot the guard pins to an untested value and the instance sets only to untested
        /// constants keeps every test's outcome.
        func mayChange(by instance: ActionInstance, writing writes: Set<Int>) -> Bool {
            for slot in writes {
                if opaque.contains(slot) { return true }
                guard let constants = tested[slot] else { continue }
                guard let before = PartialOrderReduction.guardPins(slot, in: instance.guardTerm),
                      !constants.contains(before) else { return true }
                for update in instance.updates {
                    switch update.target {
                    case .slot(let s) where s == slot:
                        guard let after = update.value.constantValue, !constants.contains(after) else { return true }
                    case .select(let slots, _, _) where slots.contains(slot):
                        return true
                    default: continue
                    }
                }
            }
            return false
        }
    }

    /// The value a conjunct `slot == constant` of `guardTerm` pins `slot` to, if any.
    static func guardPins(_ slot: Int, in guardTerm: GroundTerm) -> Int? {
        guardTerm.pinnedSlots.first { $0.slot == slot }?.value
    }

    /// The `slot == value` conjunct of `guardTerm` that tests `pcVariable`, if any.
    private static func labelTest(_ guardTerm: GroundTerm, layout: StateLayout, pcVariable: String) -> (slot: Int, value: Int)? {
        guardTerm.pinnedSlots.first { layout.variables[layout.slots[$0.slot].variable].name == pcVariable }
    }
}
