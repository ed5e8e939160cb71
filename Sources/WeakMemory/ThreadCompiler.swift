import MemoryModel
import TransitionSystems

/// Compiles one litmus thread's statements into steps: one step per statement (an `if` is a
/// step that evaluates its condition and jumps), each with the access kinds its primitive has
/// in linux-kernel.def (v6.12).
struct ThreadCompiler {
    let test: LitmusTest
    let thread: LitmusThread
    let values: Domain
    let memory: [String: Variable]
    let locks: [String: Variable]
    private(set) var registers: [String: Variable] = [:]
    private(set) var labels: [String] = []
    private var steps: [Step] = []

    init(test: LitmusTest, thread: LitmusThread, values: Domain, memory: [String: Variable], locks: [String: Variable]) {
        self.test = test
        self.thread = thread
        self.values = values
        self.memory = memory
        self.locks = locks
    }

    private var place: String { "\(test.name), P\(thread.index)" }

    mutating func compile() throws -> [Step] {
        declareRegisters(thread.body)
        for (name, value) in test.initialRegisters[thread.index] ?? [:] {
            guard case let .int(n) = value else { throw WeakMemoryError("\(place): register \(name) starts with an address") }
            registers[name] = Variable(LitmusSpec.registerName(thread.index, name), values, initial: .number(n))
        }
        let entry = try compile(thread.body, next: "done")
        labels = entry == "done" ? ["done"] : [entry] + labels.filter { $0 != entry } + ["done"]
        return steps
    }

    private mutating func declareRegisters(_ statements: [LitmusStatement]) {
        for s in statements {
            switch s.kind {
            case let .declare(r), let .assign(r, _):
                if registers[r] == nil { registers[r] = Variable(LitmusSpec.registerName(thread.index, r), values, initial: 0) }
            case let .branch(_, t, e): declareRegisters(t); declareRegisters(e)
            default: break
            }
        }
    }

    private mutating func newLabel() -> String {
        let label = "s\(labels.count)"
        labels.append(label)
        return label
    }

    /// Compiles `statements` so that control continues at `next`; returns the entry label.
    private mutating func compile(_ statements: [LitmusStatement], next: String) throws -> String {
        var target = next
        for statement in statements.reversed() {
            target = try compile(statement, next: target)
        }
        return target
    }

    private mutating func compile(_ statement: LitmusStatement, next: String) throws -> String {
        var parts: [ActionPart] = []
        var name = "line\(statement.line)"
        switch statement.kind {
        case .declare:
            return next
        case let .assign(r, e):
            parts += try accesses(in: e)
            parts.append(.variable(registers[r]!.name) <- (try integer(e)))
            name += "_\(r)"
        case let .store(annotation, address, value, _):
            let x = try location(address)
            parts += try accesses(in: value)
            parts.append(Writes(x, try kind(annotation)))
            parts.append(x.value <- (try integer(value)))
            name += "_store_\(x.name)"
        case let .storeFullFence(address, value, _):
            let x = try location(address)
            parts += try accesses(in: value)
            parts.append(Writes(x, .once))
            parts.append(Barrier(.mb))
            parts.append(x.value <- (try integer(value)))
            name += "_store_mb_\(x.name)"
        case let .fence(fence, _):
            switch fence {
            case .mb: parts.append(Barrier(.mb))
            case .rmb: parts.append(Barrier(.rmb))
            case .wmb: parts.append(Barrier(.wmb))
            case .afterSpinlock: parts.append(Barrier(.afterSpinlock))
            case .barrier: break
            default: throw WeakMemoryError("\(place): fence \(fence.rawValue) (line \(statement.line)) is not modelled")
            }
            name += "_fence"
        case let .lock(address, _):
            let l = try lock(address)
            parts += [Guard(!l.value), l.value <- true, Locks(l.value)]
            name += "_lock"
        case let .unlock(address, _):
            let l = try lock(address)
            parts += [l.value <- false, Unlocks(l.value)]
            name += "_unlock"
        case .evaluate:
            throw WeakMemoryError("\(place): an expression statement (line \(statement.line)) is not modelled")
        case let .branch(condition, thenPart, elsePart):
            let thenEntry = try compile(thenPart, next: next)
            let elseEntry = try compile(elsePart, next: next)
            parts += try accesses(in: condition)
            let c = try boolean(condition)
            parts.append(If(c) { Goto(thenEntry) } else: { Goto(elseEntry) })
            let label = newLabel()
            steps.append(Step("\(label)_\(name)_if", from: label, doc: "line \(statement.line)") { parts })
            return label
        }
        let label = newLabel()
        steps.append(Step("\(label)_\(name)", from: label, to: next, doc: "line \(statement.line)") { parts })
        return label
    }

    private func location(_ address: LitmusExpression) throws -> Variable {
        guard case let .name(x) = address, let v = memory[x] else {
            throw WeakMemoryError("\(place): an access through \(address) (pointers are not modelled)")
        }
        return v
    }

    private func lock(_ address: LitmusExpression) throws -> Variable {
        guard case let .name(x) = address, let v = locks[x] else { throw WeakMemoryError("\(place): lock \(address)") }
        return v
    }

    private func kind(_ annotation: Annotation) throws -> AccessKind {
        switch annotation {
        case .plain: return .plain
        case .once: return .once
        case .acquire: return .acquire
        case .release: return .release
        case .noreturn: throw WeakMemoryError("\(place): a non-returning RMW is not modelled")
        }
    }

    /// The read annotations of the (at most one) load in `e`.
    private func accesses(in e: LitmusExpression) throws -> [ActionPart] {
        var loads: [(Variable, AccessKind)] = []
        func scan(_ e: LitmusExpression) throws {
            switch e {
            case .constant, .name: return
            case let .plainLoad(a): loads.append((try location(a), .plain))
            case let .load(annotation, a, _): loads.append((try location(a), try kind(annotation)))
            case .atomic: throw WeakMemoryError("\(place): atomic RMW \(e) is not modelled")
            case let .unary(_, a): try scan(a)
            case let .binary(_, a, b): try scan(a); try scan(b)
            }
        }
        try scan(e)
        guard loads.count <= 1 else { throw WeakMemoryError("\(place): more than one load in \(e)") }
        return loads.map { Reads($0.0, $0.1) }
    }

    private func integer(_ e: LitmusExpression) throws -> Expr {
        switch e {
        case let .constant(.int(n)): return .number(n)
        case let .name(r):
            guard let v = registers[r] else { throw WeakMemoryError("\(place): \(r) is no register (pointers are not modelled)") }
            return v.value
        case let .plainLoad(a), let .load(_, a, _): return try location(a).value
        case let .binary(op, a, b) where op == "+": return try integer(a) + integer(b)
        case let .binary(op, a, b) where op == "-": return try integer(a) - integer(b)
        case .unary, .binary: return .ite(try boolean(e), 1, 0)
        default: throw WeakMemoryError("\(place): \(e) is not modelled")
        }
    }

    private func boolean(_ e: LitmusExpression) throws -> Expr {
        switch e {
        case let .unary("!", a): return !(try boolean(a))
        case let .binary(op, a, b):
            switch op {
            case "==": return try integer(a) == integer(b)
            case "!=": return try integer(a) != integer(b)
            case "<": return try integer(a) < integer(b)
            case "<=": return try integer(a) <= integer(b)
            case ">": return try integer(a) > integer(b)
            case ">=": return try integer(a) >= integer(b)
            case "&&": return try boolean(a) && boolean(b)
            case "||": return try boolean(a) || boolean(b)
            default: return try integer(e) != 0
            }
        default: return try integer(e) != 0
        }
    }
}
