import Checking
import TransitionSystems

/// Explains a counterexample of a transformed spec in weak-memory terms: which write each weak
/// read took, and how many newer writes of that element it did not yet see.
public struct WeakReadReport {
    let system: TransitionSystem
    let reads: [String: ReadSite]

    public init(system: TransitionSystem, reads: [String: ReadSite]) {
        self.system = system
        self.reads = reads
    }

    /// One line per weak read of the run: `step 17 sender[cpu0].fetch_response: read rx_len[msg0] = FALSE, write 1 of 2 (stale: 1 newer write not yet visible)`.
    public func lines(_ counterexample: Counterexample) -> [String] {
        var lines: [String] = []
        for (k, instance) in counterexample.instances.enumerated() {
            let action = system.spec.actions[instance.actionIndex]
            guard let site = reads[action.qualifiedName],
                  let slot = instance.arguments.first(where: { $0.name == WeakMemoryTransformation.readParameter })?.runtimeValue
            else { continue }
            let before = counterexample.states[k]
            var arguments = Dictionary(instance.arguments.map { ($0.name, $0.runtimeValue) }, uniquingKeysWith: { a, _ in a })
            // The process instance is not an argument; the actor names it: `sender[cpu1]`.
            if let parameter = action.instance, let open = instance.actor.lastIndex(of: "["),
               let value = parameter.domain.runtimeValue(named: String(instance.actor[instance.actor.index(after: open)...].dropLast())) {
                arguments[parameter.name] = value
            }
            guard let variable = system.spec.variables.first(where: { $0.name == site.variable }) else { continue }
            if let performed = evaluate(site.condition, before, arguments), performed == 0 { continue }
            var element: Int? = nil
            var elementName = ""
            if let index = site.index, let domain = variable.index {
                guard let value = evaluate(index, before, arguments) else { continue }
                element = value - domain.lowerBound
                elementName = "[\(domain.name(ofRuntimeValue: value))]"
            }
            func slotValue(_ name: String) -> Int? {
                guard let v = system.layout.variable(named: name) else { return nil }
                return before.value(ofSlot: system.layout.offsets[v] + (element ?? 0), in: system.layout)
            }
            guard let length = slotValue("\(site.variable)@len"),
                  let raw = slotValue("\(site.variable)@\(slot)") else { continue }
            let value = variable.domain.name(ofRuntimeValue: raw)
            let newer = length - 1 - slot
            let staleness = newer == 0 ? "the latest" : "stale: \(newer) newer write\(newer == 1 ? "" : "s") not yet visible"
            lines.append("step \(k + 1) \(instance.actor).\(instance.action): \(site.kind.rawValue) read \(site.variable)\(elementName) = \(value), write \(slot + 1) of \(length) in coherence order (\(staleness))")
        }
        return lines
    }

    /// The runtime value of a simple index expression (variables, elements, parameters, literals).
    private func evaluate(_ e: Expr, _ state: State, _ arguments: [String: Int]) -> Int? {
        let layout = system.layout
        switch e {
        case .number(let n): return n
        case .literal(let domain, let name): return domain.runtimeValue(named: name)
        case .parameter(let name): return arguments[name]
        case .variable(let name):
            guard let v = layout.variable(named: name) else { return nil }
            return state.value(ofSlot: layout.offsets[v], in: layout)
        case .element(let name, let index):
            guard let v = layout.variable(named: name), let i = evaluate(index, state, arguments),
                  let domain = layout.variables[v].index, domain.contains(runtimeValue: i) else { return nil }
            return state.value(ofSlot: layout.offsets[v] + i - domain.lowerBound, in: layout)
        case .bool(let b): return b ? 1 : 0
        case .not(let a): return evaluate(a, state, arguments).map { $0 == 0 ? 1 : 0 }
        case .equal(let a, let b):
            guard let x = evaluate(a, state, arguments), let y = evaluate(b, state, arguments) else { return nil }
            return x == y ? 1 : 0
        case .and(let xs):
            let values = xs.map { evaluate($0, state, arguments) }
            if values.contains(0) { return 0 }
            return values.contains(nil) ? nil : 1
        case .or(let xs):
            let values = xs.map { evaluate($0, state, arguments) }
            if values.contains(where: { ($0 ?? 0) != 0 }) { return 1 }
            return values.contains(nil) ? nil : 0
        default: return nil
        }
    }
}
