import TransitionSystems

/// Every reachable state of a spec, without reductions, read by slot name (`irq_cpu`,
/// `sender_pc[cpu0]`) as the value names traces print, and every transition between them.
struct ReachableStates: Sendable {
    let system: TransitionSystem
    /// The reachable states, initial ones first.
    private(set) var states: [State] = []
    /// Each transition: the state it leaves (a position in ``states``) and the instance that fires.
    private(set) var transitions: [(from: Int, instance: Int)] = []
    private let slots: [String: Int]

    /// Explores breadth-first, every reachable state, or the first `limit` found.
    init(_ spec: Spec, upTo limit: Int = .max) throws {
        system = try TransitionSystem(spec)
        slots = Dictionary(uniqueKeysWithValues: system.layout.slots.enumerated().map { ($1.name, $0) })
        let interpreter = Interpreter(system)
        var index: [State: Int] = [:]
        states = try interpreter.initialStates()
        for state in states { index[state] = index.count }
        var next = 0
        while next < states.count && states.count < limit {
            for (instance, successor) in try interpreter.successors(of: states[next]) {
                transitions.append((next, instance))
                if index[successor] == nil {
                    index[successor] = states.count
                    states.append(successor)
                }
            }
            next += 1
        }
    }

    /// The value of slot `name` in `state`, as traces print it (`cpu0`, `none`, `pd_get`, `TRUE`).
    func value(_ name: String, in state: State) -> String {
        guard let slot = slots[name] else { preconditionFailure("no slot '\(name)'") }
        return state.valueName(ofSlot: slot, in: system.layout)
    }

    /// Every slot of `state` but `excluded`, by name.
    func values(of state: State, excluding excluded: Set<String> = []) -> [String: String] {
        slots.filter { !excluded.contains($0.key) }.mapValues { state.valueName(ofSlot: $0, in: system.layout) }
    }
}
