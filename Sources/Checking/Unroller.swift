import Foundation
import SMT
import TransitionSystems

/// Instantiates a ``TransitionEncoding`` along a path of steps on one solver: the only
/// place that indexes time.
///
/// Step `k` has one bit-vector per state slot, created with its domain constraint the first
/// time anything mentions step `k`, and transition `k` (from step `k` to `k + 1`) has one
/// choice term naming the instance that fired. Variables are fresh constants named after
/// their slot and step (`holds[u0]@3`), so unrollers sharing a context never share one.
/// Engines ask for
/// ``formula(_:at:)`` of a ground term at a step, assert ``initialValues()`` and
/// ``assertTransition(from:)``, and read states and choices back from a model; they never
/// name a variable themselves. Terms are translated once per step and cached; ``termCount``
/// counts the terms the encoding created, the size figure of `--stats`.
///
/// Questions go to the solver under assumption literals (``activation(for:_:)``), never
/// inside push/pop scopes, so the SAT solver under Z3's bit-vector logic keeps its learned
/// clauses from one question and one depth to the next.
final class Unroller {
    let encoding: TransitionEncoding
    let context: Context
    let solver: Solver
    /// Seconds allowed per solver query, or `nil`.
    let timeout: Double?
    /// The run's time limit or interrupt: each query's timeout is capped at the time left.
    let cancellation: Cancellation?
    private let prefix: String
    private let layout: StateLayout
    private var slotVariables: [[Term]] = []
    private var choiceVariables: [Term] = []
    /// Parallel frames: per transition, one Boolean per instance, true when it fires.
    private var fireVariables: [[Term]] = []
    private var formulas: [[GroundTerm: Term]] = []
    private var values: [[GroundTerm: Term]] = []
    /// Terms created by the encoding so far.
    private(set) var termCount = 0
    /// Seconds spent in the solver so far.
    private(set) var solverSeconds = 0.0
    /// Transitions asserted so far: the path has states `0...transitions`.
    private(set) var transitions = 0

    /// An unroller whose variables start with `prefix`, asserting into a new solver on `context`.
    init(encoding: TransitionEncoding, context: Context, prefix: String, timeout: Double?,
         cancellation: Cancellation? = nil) throws {
        self.encoding = encoding
        self.context = context
        self.prefix = prefix
        self.timeout = timeout
        self.cancellation = cancellation
        self.layout = encoding.system.layout
        self.solver = try Solver(context: context, logic: "QF_BV")
    }

    /// The number of steps whose state variables exist.
    var stepCount: Int { slotVariables.count }

    // MARK: - Variables

    /// The variable holding slot `slot`'s position in its domain at step `k`.
    func slot(_ slot: Int, at k: Int) throws -> Term {
        try ensureStep(k)
        return slotVariables[k][slot]
    }

    /// Every slot variable of step `k`.
    func state(at k: Int) throws -> [Term] {
        try ensureStep(k)
        return slotVariables[k]
    }

    /// The choice of transition `k` (from step `k` to `k + 1`): the id of the instance that fired.
    func choice(at k: Int) throws -> Term {
        while choiceVariables.count <= k {
            let sort = try context.bitVectorSort(width: encoding.choiceWidth)
            choiceVariables.append(try context.freshConstant(prefix: "\(prefix)choice@\(choiceVariables.count)", sort: sort))
            termCount += 1
        }
        return choiceVariables[k]
    }

    private func ensureStep(_ k: Int) throws {
        while slotVariables.count <= k {
            let step = slotVariables.count
            var variables: [Term] = []
            for (s, slot) in layout.slots.enumerated() {
                let width = encoding.slotWidths[s]
                let variable = try context.freshConstant(prefix: "\(prefix)\(slot.name)@\(step)", sort: context.bitVectorSort(width: width))
                if slot.domain.size < 1 << width {
                    try solver.assert(variable <= slot.domain.size - 1)
                    termCount += 1
                }
                variables.append(variable)
            }
            termCount += variables.count
            slotVariables.append(variables)
            formulas.append([:])
            values.append([:])
        }
    }

    // MARK: - Translating ground terms

    /// The ground term, read as a condition at step `k`.
    func formula(_ t: GroundTerm, at k: Int) throws -> Term {
        try ensureStep(k)
        if let cached = formulas[k][t] { return cached }
        let result: Term
        switch t {
        case .constant(let v):
            result = context.bool(v != 0)
        case .slot, .select, .add, .subtract:
            result = try !equals(t, 0, at: k)
        case .not(let a):
            result = try !formula(a, at: k)
        case .and(let xs):
            result = try context.and(xs.map { try formula($0, at: k) })
        case .or(let xs):
            result = try context.or(xs.map { try formula($0, at: k) })
        case .equal(let a, let b):
            if let c = b.constantValue { result = try equals(a, c, at: k) }
            else if let c = a.constantValue { result = try equals(b, c, at: k) }
            else if case .slot(let x) = a, case .slot(let y) = b, layout.slots[x].domain.lowerBound == layout.slots[y].domain.lowerBound,
                    encoding.slotWidths[x] == encoding.slotWidths[y] {
                result = try slot(x, at: k) == slot(y, at: k)
            } else { result = try value(a, at: k) == value(b, at: k) }
        case .less(let a, let b):
            result = try compare(a, b, at: k, strict: true)
        case .lessOrEqual(let a, let b):
            result = try compare(a, b, at: k, strict: false)
        case .ite(let c, let a, let b):
            result = try context.ite(formula(c, at: k), then: formula(a, at: k), else: formula(b, at: k))
        }
        termCount += 1
        formulas[k][t] = result
        return result
    }

    /// The ground term's runtime integer at step `k`, in two's complement at the encoding's value width.
    func value(_ t: GroundTerm, at k: Int) throws -> Term {
        try ensureStep(k)
        if let cached = values[k][t] { return cached }
        let width = encoding.valueWidth
        let result: Term
        switch t {
        case .constant(let v):
            result = try context.bitVector(v, width: width)
        case .slot(let s):
            let stored = slotVariables[k][s]
            let widened = width > encoding.slotWidths[s] ? try stored.zeroExtended(by: width - encoding.slotWidths[s]) : stored
            let lower = layout.slots[s].domain.lowerBound
            result = lower == 0 ? widened : try widened + lower
        case .select(let slots, let index, let lower):
            var chosen = try value(.slot(slots[slots.count - 1]), at: k)
            for position in stride(from: slots.count - 2, through: 0, by: -1) {
                chosen = try context.ite(equals(index, lower + position, at: k),
                                         then: value(.slot(slots[position]), at: k), else: chosen)
            }
            result = chosen
        case .not, .and, .or, .equal, .less, .lessOrEqual:
            result = try context.ite(formula(t, at: k), then: context.bitVector(1, width: width),
                                     else: context.bitVector(0, width: width))
        case .add(let a, let b):
            result = try value(a, at: k) + value(b, at: k)
        case .subtract(let a, let b):
            result = try value(a, at: k) - value(b, at: k)
        case .ite(let c, let a, let b):
            result = try context.ite(formula(c, at: k), then: value(a, at: k), else: value(b, at: k))
        }
        termCount += 1
        values[k][t] = result
        return result
    }

    /// The ground term's value at step `k` as a position in slot `slot`'s domain, at the slot's width.
    ///
    /// Constants, reads of slots with the same lower bound and `ite`s of those stay narrow;
    /// anything else is computed at the value width and cut down. A value outside the domain
    /// wraps, which only happens on a step that is not ``TransitionEncoding/stepDefined``.
    func stored(_ t: GroundTerm, in slot: Int, at k: Int) throws -> Term {
        let width = encoding.slotWidths[slot]
        let lower = layout.slots[slot].domain.lowerBound
        switch t {
        case .constant(let v):
            return try context.bitVector(v - lower, width: width)
        case .slot(let s) where layout.slots[s].domain.lowerBound == lower && encoding.slotWidths[s] <= width:
            let variable = try self.slot(s, at: k)
            return encoding.slotWidths[s] == width ? variable : try variable.zeroExtended(by: width - encoding.slotWidths[s])
        case .ite(let c, let a, let b):
            termCount += 1
            return try context.ite(formula(c, at: k), then: stored(a, in: slot, at: k), else: stored(b, in: slot, at: k))
        default:
            termCount += 2
            let position = lower == 0 ? try value(t, at: k) : try value(t, at: k) - lower
            return try position.extracted(high: width - 1, low: 0)
        }
    }

    /// `t == c` at step `k`; slots, and the elements of an array read, are compared at their own width.
    private func equals(_ t: GroundTerm, _ c: Int, at k: Int) throws -> Term {
        switch t {
        case .constant(let v):
            return context.bool(v == c)
        case .slot(let s):
            let domain = layout.slots[s].domain
            guard domain.contains(runtimeValue: c) else { return context.bool(false) }
            return try slot(s, at: k) == context.bitVector(c - domain.lowerBound, width: encoding.slotWidths[s])
        case .select(let slots, let index, let lower):
            var result = try equals(.slot(slots[slots.count - 1]), c, at: k)
            for position in stride(from: slots.count - 2, through: 0, by: -1) {
                result = try context.ite(equals(index, lower + position, at: k),
                                         then: equals(.slot(slots[position]), c, at: k), else: result)
            }
            termCount += slots.count
            return result
        default:
            return try value(t, at: k) == context.bitVector(c, width: encoding.valueWidth)
        }
    }

    /// `a < b` or `a <= b` at step `k`: unsigned when neither side can be negative, else signed
    /// (both sides with the sign bit flipped, compared unsigned).
    private func compare(_ a: GroundTerm, _ b: GroundTerm, at k: Int, strict: Bool) throws -> Term {
        var x = try value(a, at: k), y = try value(b, at: k)
        if a.bounds(layout).lowerBound < 0 || b.bounds(layout).lowerBound < 0 {
            let sign = try context.bitVector(1 << (encoding.valueWidth - 1), width: encoding.valueWidth)
            x = try x ^ sign
            y = try y ^ sign
            termCount += 2
        }
        return try strict ? x < y : x <= y
    }

    // MARK: - The path

    /// Step 0's fixed initial values; the initial constraints are a ground term like any other
    /// (``TransitionEncoding/initialConstraint``).
    func initialValues() throws -> Term {
        var parts: [Term] = []
        for (s, initial) in encoding.system.initialValues.enumerated() {
            guard let value = initial?.constantValue else { continue }
            parts.append(try slot(s, at: 0) == context.bitVector(value - layout.slots[s].domain.lowerBound, width: encoding.slotWidths[s]))
        }
        termCount += parts.count
        return try context.and(parts)
    }

    /// Transition `k`: the chosen instance is enabled at step `k`, it is not a commuting
    /// predecessor of the one chosen at `k - 1`, and step `k + 1` holds each slot's next value.
    /// With parallel frames, a set of pairwise independent instances instead
    /// (``assertParallelTransition(from:)``). Asserts it and counts it in ``transitions``;
    /// transitions are added in order.
    func assertTransition(from k: Int) throws {
        precondition(k == transitions, "transitions are unrolled in order")
        try ensureStep(k + 1)
        if encoding.frames == .parallel {
            try assertParallelTransition(from: k)
            transitions += 1
            return
        }
        let system = encoding.system
        let choice = try choice(at: k)
        let count = system.instances.count
        guard count > 0 else {
            try solver.assert(context.bool(false))
            transitions += 1
            return
        }
        if count < 1 << encoding.choiceWidth {
            try solver.assert(choice <= count - 1)
        }
        var fires: [Term] = []
        for instance in system.instances {
            let fire = try choice == context.bitVector(instance.id, width: encoding.choiceWidth)
            fires.append(fire)
            if !instance.guardTerm.isTrue {
                try solver.assert(fire.implies(formula(instance.guardTerm, at: k)))
            }
        }
        termCount += 2 * count
        if k > 0 {
            let previous = choiceVariables[k - 1]
            for (i, predecessors) in encoding.commutingPredecessors.enumerated() where !predecessors.isEmpty {
                let firedBefore = try previous == context.bitVector(i, width: encoding.choiceWidth)
                try solver.assert(firedBefore.implies(!context.or(predecessors.map { fires[$0] })))
                termCount += predecessors.count + 2
            }
        }
        for slot in layout.slots.indices {
            var next: Term
            if encoding.fault == .dropFrame(slot: slot) {
                next = try context.freshConstant(prefix: "havoc", sort: context.bitVectorSort(width: encoding.slotWidths[slot]))
            } else {
                next = try self.slot(slot, at: k)
            }
            for writer in encoding.writers[slot].reversed() {
                next = try context.ite(fires[writer.instance], then: stored(writer.value, in: slot, at: k), else: next)
            }
            try solver.assert(self.slot(slot, at: k + 1) == next)
            termCount += encoding.writers[slot].count + 1
        }
        transitions += 1
    }

    /// A parallel frame: each instance that fires is enabled at step `k`; no two that fire
    /// conflict (per slot, at most one of its writers fires, and none of its other readers fires
    /// with one); each slot's next value is the one its firing writer computes from step `k`,
    /// else its old value. Which instances fire is one Boolean per instance.
    private func assertParallelTransition(from k: Int) throws {
        let system = encoding.system
        var fires: [Term] = []
        for instance in system.instances {
            let fire = try context.freshConstant(prefix: "\(prefix)fire\(instance.id)@\(k)", sort: context.boolSort)
            fires.append(fire)
            if !instance.guardTerm.isTrue {
                try solver.assert(fire.implies(formula(instance.guardTerm, at: k)))
            }
        }
        fireVariables.append(fires)
        termCount += 2 * fires.count
        if k > 0 {
            // Canonical form: an instance independent of everything the previous frame fired
            // could have fired in that frame (its guard and values read nothing the frame wrote),
            // so it must. Moving it earlier keeps the run's last state and adds no frame; repeating
            // the move ends (each move lowers the sum of frame indices). So every run, and every
            // prefix of one, has a canonical form of no more frames ending in the same state: every
            // state a run passes, a violation in particular, is still the end of a canonical run.
            let previous = fireVariables[k - 1]
            for (i, fire) in fires.enumerated() {
                try solver.assert(fire.implies(context.or(encoding.conflicting[i].map { previous[$0] })))
            }
            termCount += fires.count * 2
        }
        for slot in layout.slots.indices {
            let writers = encoding.slotWriters[slot]
            guard !writers.isEmpty else { continue }
            try assertAtMostOne(writers.map { fires[$0] })
            let readers = encoding.slotReadersOnly[slot]
            if !readers.isEmpty {
                let written = try context.or(writers.map { fires[$0] })
                for reader in readers { try solver.assert(!(fires[reader] && written)) }
                termCount += readers.count + 1
            }
        }
        for slot in layout.slots.indices {
            var next = try self.slot(slot, at: k)
            for writer in encoding.writers[slot].reversed() {
                next = try context.ite(fires[writer.instance], then: stored(writer.value, in: slot, at: k), else: next)
            }
            try solver.assert(self.slot(slot, at: k + 1) == next)
            termCount += encoding.writers[slot].count + 1
        }
    }

    /// At most one of `literals` holds: pairwise for a few, a sequential counter (Sinz 2005) for more.
    private func assertAtMostOne(_ literals: [Term]) throws {
        guard literals.count > 1 else { return }
        if literals.count <= 6 {
            for i in literals.indices {
                for j in literals.indices where j > i { try solver.assert(!(literals[i] && literals[j])) }
            }
            termCount += literals.count * (literals.count - 1) / 2
            return
        }
        // seen[i]: one of literals[0...i] holds.
        var seen = literals[0]
        for literal in literals.dropFirst() {
            try solver.assert(!(seen && literal))
            let next = try context.freshConstant(prefix: "\(prefix)amo", sort: context.boolSort)
            try solver.assert(next == (seen || literal))
            seen = next
        }
        termCount += 3 * literals.count
    }

    /// Holds when steps `i` and `j` are the same state.
    func sameState(_ i: Int, _ j: Int) throws -> Term {
        let a = try state(at: i), b = try state(at: j)
        termCount += a.count + 1
        return try context.and(zip(a, b).map { try $0 == $1 })
    }

    // MARK: - Solving

    /// A fresh literal that implies `formula`: assume it to ask for `formula` in one query,
    /// assert its negation to retire it.
    func activation(for formula: Term, _ name: String) throws -> Term {
        let literal = try context.freshConstant(prefix: "\(prefix)\(name)", sort: context.boolSort)
        try solver.assert(literal.implies(formula))
        termCount += 2
        return literal
    }

    /// Checks the assertions under `assumptions`, within the per-query timeout and the time the
    /// run has left. Once the run should stop (``Cancellation/stopReason``), answers `unknown`
    /// (`canceled`) without asking; the engines then report the cancellation, not the solver.
    func check(assuming assumptions: [Term] = []) throws -> SMT.CheckResult {
        if cancellation?.stopReason != nil { return .unknown(reason: "canceled") }
        var limit = timeout
        if let remaining = cancellation?.remainingSeconds {
            guard remaining > 0 else { return .unknown(reason: "canceled") }
            limit = min(limit ?? remaining, remaining)
        }
        let start = Date()
        defer { solverSeconds += Date().timeIntervalSince(start) }
        return try solver.check(assuming: assumptions, timeout: limit.map { .seconds($0) })
    }

    /// Clauses the SAT solver has made so far, from its statistics (when it reports them).
    func clauseCount() -> Int? {
        let statistics = solver.statistics()
        let keys = statistics.keys.filter { $0.hasPrefix("sat mk clause") }
        guard !keys.isEmpty else { return nil }
        return keys.reduce(0) { $0 + Int(statistics[$1] ?? 0) }
    }

    // MARK: - Reading models

    /// The state at step `k` in `model`.
    func state(at k: Int, in model: Model) throws -> State {
        var bytes: [UInt8] = []
        for (s, variable) in try state(at: k).enumerated() {
            let position = try model.int(variable)
            guard position < layout.slots[s].domain.size else {
                throw InternalError("the solver's model puts \(layout.slots[s].name) at position \(position) of \(layout.slots[s].domain) at step \(k)")
            }
            bytes.append(UInt8(position))
        }
        return State(slots: bytes)
    }

    /// The instance that fired in transition `k` in `model`.
    func instance(at k: Int, in model: Model) throws -> Int {
        let id = try model.int(choice(at: k))
        guard id < encoding.system.instances.count else {
            throw InternalError("the solver's model fires instance \(id) of \(encoding.system.instances.count) at step \(k + 1)")
        }
        return id
    }

    /// The instances parallel frame `k` fires in `model`, in instance order.
    func fired(at k: Int, in model: Model) throws -> [Int] {
        try fireVariables[k].indices.filter { try model.bool(fireVariables[k][$0]) }
    }

    /// The path's states `0...depth` and the instances between them, as the model has them.
    /// Parallel frames are expanded into one step per instance, in instance order, with the
    /// states between them computed by the interpreter; each frame's expansion must end in the
    /// state the model has at the frame's end.
    func path(to depth: Int, in model: Model) throws -> (states: [State], instances: [Int]) {
        let frameStates = try (0...depth).map { try state(at: $0, in: model) }
        guard encoding.frames == .parallel else {
            return (frameStates, try (0..<depth).map { try instance(at: $0, in: model) })
        }
        let interpreter = Interpreter(encoding.system)
        var states = [frameStates[0]], instances: [Int] = []
        for k in 0..<depth {
            for id in try fired(at: k, in: model) {
                guard let next = try interpreter.successor(of: states[states.count - 1], by: id) else {
                    let instance = encoding.system.instances[id]
                    throw InternalError("frame \(k + 1) of the solver's run fires \(instance.actor) \(instance.label), which the interpreter finds disabled after the frame's earlier instances")
                }
                states.append(next)
                instances.append(id)
            }
            guard states[states.count - 1] == frameStates[k + 1] else {
                throw InternalError("frame \(k + 1) of the solver's run, fired one instance after the other, ends in \(states[states.count - 1].description(in: layout)), not in \(frameStates[k + 1].description(in: layout))")
            }
        }
        return (states, instances)
    }
}
