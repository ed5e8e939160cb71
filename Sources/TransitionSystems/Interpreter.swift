/// Runs a transition system concretely: initial states, enabled instances, successors, invariants.
///
/// Ground terms are compiled once into closures over a state's bytes. An interpreter
/// is cheap to query but not thread-safe (it records the first runtime error it meets);
/// give each thread its own.
public final class Interpreter {
    typealias Evaluator = (UnsafeBufferPointer<UInt8>) -> Int

    private final class CompiledUpdate {
        let condition: Evaluator
        let value: Evaluator
        /// The slot written; for a dynamic target, computed from the state.
        let target: Evaluator
        let lowerBound: Int
        let upperBound: Int
        let text: String

        init(condition: @escaping Evaluator, value: @escaping Evaluator, target: @escaping Evaluator,
             lowerBound: Int, upperBound: Int, text: String) {
            self.condition = condition
            self.value = value
            self.target = target
            self.lowerBound = lowerBound
            self.upperBound = upperBound
            self.text = text
        }
    }

    private struct CompiledInstance {
        let guardCondition: Evaluator
        let updates: [CompiledUpdate]
    }

    public let system: TransitionSystem
    private var instances: [CompiledInstance] = []
    /// Instances whose guard requires `slot == value`, by slot and stored value: in a state only
    /// the instances listed under each such slot's current value can be enabled.
    private var keyedCandidates: [(slot: Int, byValue: [[Int]])] = []
    /// Instances with no such requirement; they are always tried.
    private var unkeyedCandidates: [Int] = []
    private var invariants: [Evaluator] = []
    private let lowerBounds: [Int]
    /// The first runtime error met since the last check, as a message.
    private var error: ErrorBox

    private final class ErrorBox {
        var message: String?
    }

    public init(_ system: TransitionSystem) {
        self.system = system
        self.lowerBounds = system.layout.slots.map(\.domain.lowerBound)
        self.error = ErrorBox()
        let compiler = Compiler(lowerBounds: lowerBounds, layout: system.layout, error: error)
        self.instances = system.instances.map { instance in
            CompiledInstance(
                guardCondition: compiler.compile(instance.guardTerm),
                updates: instance.updates.map { update in
                    CompiledUpdate(
                        condition: compiler.compile(update.condition),
                        value: compiler.compile(update.value),
                        target: compiler.compileTarget(update.target, system.layout),
                        lowerBound: update.domain.lowerBound,
                        upperBound: update.domain.upperBound,
                        text: update.text
                    )
                }
            )
        }
        self.invariants = system.invariants.map { compiler.compile($0.term) }
        indexCandidates()
    }

    /// Groups instances by the first `slot == constant` conjunct of their guard (a process's
    /// program counter, for every step with a `from:` label).
    private func indexCandidates() {
        var bySlot: [Int: [[Int]]] = [:]
        for instance in system.instances {
            guard let (slot, value) = instance.guardTerm.pinnedSlots.first else {
                unkeyedCandidates.append(instance.id)
                continue
            }
            let domain = system.layout.slots[slot].domain
            let stored = value - domain.lowerBound
            guard stored >= 0, stored < domain.size else { continue }  // never enabled
            var lists = bySlot[slot] ?? Array(repeating: [], count: domain.size)
            lists[stored].append(instance.id)
            bySlot[slot] = lists
        }
        keyedCandidates = bySlot.keys.sorted().map { ($0, bySlot[$0]!) }
    }

    /// Calls `body` with every instance that may be enabled in `state`, in increasing order of
    /// instance number within each group; the others are certainly disabled.
    public func forEachCandidate(in state: UnsafeBufferPointer<UInt8>, _ body: (Int) throws -> Void) rethrows {
        for (slot, byValue) in keyedCandidates {
            for id in byValue[Int(state[slot])] { try body(id) }
        }
        for id in unkeyedCandidates { try body(id) }
    }

    // MARK: - Initial states

    /// Every initial state, in a stable order.
    public func initialStates() throws -> [State] {
        let layout = system.layout
        var free: [Int] = []
        var base = [UInt8](repeating: 0, count: layout.count)
        for slot in 0..<layout.count {
            if let term = system.initialValues[slot], let value = term.constantValue {
                base[slot] = UInt8(value - lowerBounds[slot])
            } else {
                free.append(slot)
            }
        }
        let compiler = Compiler(lowerBounds: lowerBounds, layout: layout, error: error)
        let constraints = system.initialConstraints.map(compiler.compile)
        var result: [State] = []
        var current = base
        func enumerate(_ k: Int) {
            if k == free.count {
                let ok = current.withUnsafeBufferPointer { p in constraints.allSatisfy { $0(p) != 0 } }
                if ok { result.append(State(slots: current)) }
                return
            }
            for v in 0..<layout.slots[free[k]].domain.size {
                current[free[k]] = UInt8(v)
                enumerate(k + 1)
            }
        }
        enumerate(0)
        try throwIfFailed("while computing initial states")
        return result
    }

    // MARK: - Transitions

    /// Whether instance `id` is enabled in `state`.
    public func isEnabled(_ id: Int, in state: State) throws -> Bool {
        let enabled = state.slots.withUnsafeBufferPointer { instances[id].guardCondition($0) != 0 }
        try throwIfFailed("in the guard of \(describe(id))")
        return enabled
    }

    /// The state after instance `id` fires in `state`, or `nil` when it is not enabled.
    public func successor(of state: State, by id: Int) throws -> State? {
        try state.slots.withUnsafeBufferPointer { try successor(of: $0, by: id) }.map(State.init(slots:))
    }

    /// Every enabled instance with the state it leads to, in instance order.
    public func successors(of state: State) throws -> [(instance: Int, state: State)] {
        try state.slots.withUnsafeBufferPointer { p in
            var result: [(instance: Int, state: State)] = []
            try forEachCandidate(in: p) { id in
                if let next = try successor(of: p, by: id) { result.append((id, State(slots: next))) }
            }
            return result.sorted { $0.instance < $1.instance }
        }
    }

    /// The successor's bytes, written into `output`; `false` when the instance is not enabled.
    /// This is the explicit engine's allocation-free path.
    public func successor(of state: UnsafeBufferPointer<UInt8>, by id: Int, into output: inout [UInt8], written: inout [Int]) throws -> Bool {
        guard instances[id].guardCondition(state) != 0 else {
            try throwIfFailed("in the guard of \(describe(id))")
            return false
        }
        output.withUnsafeMutableBufferPointer { out in
            for i in 0..<state.count { out[i] = state[i] }
        }
        written.removeAll(keepingCapacity: true)
        for update in instances[id].updates where update.condition(state) != 0 {
            let slot = update.target(state)
            let value = update.value(state)
            try throwIfFailed("in \(describe(id)), \(update.text)")
            guard value >= update.lowerBound, value <= update.upperBound else {
                throw runtimeError("\(describe(id)) sets \(system.layout.slots[slot].name) to \(value), outside its domain \(system.layout.slots[slot].domain) (\(update.text))")
            }
            if written.contains(slot) {
                throw runtimeError("\(describe(id)) writes \(system.layout.slots[slot].name) twice")
            }
            written.append(slot)
            output[slot] = UInt8(value - lowerBounds[slot])
        }
        return true
    }

    private func successor(of state: UnsafeBufferPointer<UInt8>, by id: Int) throws -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: state.count)
        var written: [Int] = []
        return try successor(of: state, by: id, into: &output, written: &written) ? output : nil
    }

    // MARK: - Invariants

    /// Whether invariant number `index` (in ``TransitionSystem/invariants``) holds in `state`.
    public func holds(_ index: Int, in state: State) throws -> Bool {
        try state.slots.withUnsafeBufferPointer { try holds(index, in: $0) }
    }

    public func holds(_ index: Int, in state: UnsafeBufferPointer<UInt8>) throws -> Bool {
        let result = invariants[index](state) != 0
        try throwIfFailed("in invariant '\(system.invariants[index].name)'")
        return result
    }

    /// The value of `term` in `state`, as a runtime integer.
    public func evaluate(_ term: GroundTerm, in state: State) throws -> Int {
        let compiler = Compiler(lowerBounds: lowerBounds, layout: system.layout, error: error)
        let value = state.slots.withUnsafeBufferPointer { compiler.compile(term)($0) }
        try throwIfFailed("while evaluating an expression")
        return value
    }

    // MARK: - Errors

    private func describe(_ id: Int) -> String {
        let instance = system.instances[id]
        return "\(instance.actor) \(instance.label)"
    }

    private func throwIfFailed(_ context: @autoclosure () -> String) throws {
        if let message = error.message {
            error.message = nil
            throw SpecError.runtime(spec: system.spec.name, message: "\(context()): \(message)")
        }
    }

    private func runtimeError(_ message: String) -> SpecError {
        .runtime(spec: system.spec.name, message: message)
    }

    // MARK: - Compiling terms

    private struct Compiler {
        let lowerBounds: [Int]
        let layout: StateLayout
        let error: ErrorBox

        func compile(_ term: GroundTerm) -> Evaluator {
            switch term {
            case .constant(let v):
                return { _ in v }
            case .slot(let s):
                let lower = lowerBounds[s]
                return { p in Int(p[s]) + lower }
            case .select(let slots, let index, let indexLower):
                let i = compile(index)
                let lowers = slots.map { lowerBounds[$0] }
                let error = self.error
                let names = slots.map { layout.slots[$0].name }
                return { p in
                    let position = i(p) - indexLower
                    guard position >= 0, position < slots.count else {
                        if error.message == nil {
                            error.message = "index \(position + indexLower) is outside the array \(names.first.map { String($0.prefix { $0 != "[" }) } ?? "")"
                        }
                        return 0
                    }
                    return Int(p[slots[position]]) + lowers[position]
                }
            case .not(let a):
                let f = compile(a)
                return { p in f(p) == 0 ? 1 : 0 }
            case .and(let xs):
                let fs = xs.map(compile)
                return { p in
                    for f in fs where f(p) == 0 { return 0 }
                    return 1
                }
            case .or(let xs):
                let fs = xs.map(compile)
                return { p in
                    for f in fs where f(p) != 0 { return 1 }
                    return 0
                }
            case .equal(let a, let b):
                let (f, g) = (compile(a), compile(b))
                return { p in f(p) == g(p) ? 1 : 0 }
            case .less(let a, let b):
                let (f, g) = (compile(a), compile(b))
                return { p in f(p) < g(p) ? 1 : 0 }
            case .lessOrEqual(let a, let b):
                let (f, g) = (compile(a), compile(b))
                return { p in f(p) <= g(p) ? 1 : 0 }
            case .add(let a, let b):
                let (f, g) = (compile(a), compile(b))
                return { p in f(p) + g(p) }
            case .subtract(let a, let b):
                let (f, g) = (compile(a), compile(b))
                return { p in f(p) - g(p) }
            case .ite(let c, let a, let b):
                let (fc, f, g) = (compile(c), compile(a), compile(b))
                return { p in fc(p) != 0 ? f(p) : g(p) }
            }
        }

        func compileTarget(_ target: GroundUpdate.Target, _ layout: StateLayout) -> Evaluator {
            switch target {
            case .slot(let s):
                return { _ in s }
            case .select(let slots, let index, let indexLower):
                let i = compile(index)
                let error = self.error
                return { p in
                    let position = i(p) - indexLower
                    guard position >= 0, position < slots.count else {
                        if error.message == nil { error.message = "assigns an element at index \(position + indexLower), outside the array" }
                        return slots[0]
                    }
                    return slots[position]
                }
            }
        }
    }
}
