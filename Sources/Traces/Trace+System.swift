import TransitionSystems

extension Trace {
    /// The trace of a run of `system`: `states[0]` initial, `states[i]` reached by `instances[i - 1]`.
    public init(system: TransitionSystem, states: [State], instances: [Int], variant: String? = nil,
                configuration: [String: String] = [:], invariant: String? = nil) {
        precondition(states.count == instances.count + 1, "a trace has one more state than steps")
        let layout = system.layout
        var steps: [Step] = []
        for (i, state) in states.enumerated() {
            var step = Step(actor: nil, action: nil, parameters: [], values: Self.values(of: state, layout))
            if i > 0 {
                let instance = system.instances[instances[i - 1]]
                step.actor = instance.actor
                step.action = instance.action
                step.parameters = instance.arguments.map { .init(name: $0.name, value: $0.value) }
            }
            steps.append(step)
        }
        self.init(spec: system.spec.name, variant: variant, configuration: configuration, invariant: invariant,
                  variables: layout.variables.map(\.name), steps: steps)
    }

    /// Every variable's trace value in `state`.
    public static func values(of state: State, _ layout: StateLayout) -> [String: TraceValue] {
        var values: [String: TraceValue] = [:]
        for (v, variable) in layout.variables.enumerated() {
            let slots = layout.slots(of: v)
            if let index = variable.index {
                values[variable.name] = .map(slots.enumerated().map { position, slot in
                    .init(key: value(index.lowerBound + position, index),
                          value: value(state.value(ofSlot: slot, in: layout), variable.domain))
                })
            } else {
                values[variable.name] = value(state.value(ofSlot: slots.lowerBound, in: layout), variable.domain)
            }
        }
        return values
    }

    static func value(_ runtime: Int, _ domain: Domain) -> TraceValue {
        switch domain.kind {
        case .boolean: return .bool(runtime != 0)
        case .range: return .int(runtime)
        case .enumeration, .optional: return .string(domain.name(ofRuntimeValue: runtime))
        }
    }

    /// The states of the trace in `system`'s layout; throws ``TraceError/inconsistent(_:)`` when a
    /// variable is missing or unknown, or a value lies outside its domain.
    public func states(in system: TransitionSystem) throws -> [State] {
        let layout = system.layout
        let expected = Set(layout.variables.map(\.name))
        for name in variables where !expected.contains(name) {
            throw TraceError.inconsistent("variable '\(name)' is not in spec '\(system.spec.name)'")
        }
        for name in layout.variables.map(\.name) where !variables.contains(name) {
            throw TraceError.inconsistent("the trace has no variable '\(name)' of spec '\(system.spec.name)'")
        }
        return try steps.enumerated().map { index, step in
            var slots = [UInt8](repeating: 0, count: layout.count)
            for (v, variable) in layout.variables.enumerated() {
                let where_ = "state \(index), variable '\(variable.name)'"
                let value = step.values[variable.name]!
                let range = layout.slots(of: v)
                if let indexDomain = variable.index {
                    guard case .map(let entries) = value else { throw TraceError.inconsistent("\(where_): expected a map over \(indexDomain.name)") }
                    var seen = Set<Int>()
                    for entry in entries {
                        let key = try Self.runtime(entry.key, indexDomain, "\(where_) key")
                        guard seen.insert(key).inserted else { throw TraceError.inconsistent("\(where_): key \(entry.key) appears twice") }
                        let slot = range.lowerBound + key - indexDomain.lowerBound
                        slots[slot] = UInt8(try Self.runtime(entry.value, variable.domain, "\(where_)[\(entry.key)]") - variable.domain.lowerBound)
                    }
                    guard seen.count == indexDomain.size else {
                        throw TraceError.inconsistent("\(where_): the map has \(seen.count) of \(indexDomain.size) entries")
                    }
                } else {
                    slots[range.lowerBound] = UInt8(try Self.runtime(value, variable.domain, where_) - variable.domain.lowerBound)
                }
            }
            return State(slots: slots)
        }
    }

    private static func runtime(_ value: TraceValue, _ domain: Domain, _ where_: String) throws -> Int {
        switch (value, domain.kind) {
        case (.bool(let b), .boolean): return b ? 1 : 0
        case (.int(let n), .range) where domain.contains(runtimeValue: n): return n
        case (.string(let s), .enumeration), (.string(let s), .optional):
            if let v = domain.runtimeValue(named: s) { return v }
        default: break
        }
        throw TraceError.inconsistent("\(where_): \(value) is not a value of \(domain)")
    }

    /// The instance each step fired, looked up by actor, action and parameters.
    public func instances(in system: TransitionSystem) throws -> [Int] {
        try steps.dropFirst().enumerated().map { i, step in
            let arguments = Dictionary(step.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            guard let actor = step.actor, let action = step.action,
                  let instance = system.instance(actor: actor, action: action, arguments: arguments) else {
                throw TraceError.inconsistent("step \(i + 1): spec '\(system.spec.name)' has no action \(step.actor ?? "?") \(step.label)")
            }
            return instance.id
        }
    }
}
