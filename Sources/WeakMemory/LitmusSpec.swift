import MemoryModel
import TransitionSystems

/// A C litmus test as a spec of the DSL: each thread a process whose steps are its statements,
/// each shared location a weak variable (a spinlock a synchronisation object), each register a
/// variable of its thread; the final clause an invariant "no finished run satisfies it".
///
/// Checked under `lkmm-nolb` (the spec declares it), the invariant is violated exactly when the
/// operational model reaches the clause: the explicit engine's answer to Sometimes/Never.
public enum LitmusSpec {
    /// The invariant that the final clause's proposition is never reached.
    public static let invariantName = "final-clause-unreached"

    /// The spec for `test`, or an error naming the construct it does not model.
    public static func make(_ test: LitmusTest) throws -> Spec {
        let locks = lockLocations(test)
        let locations = test.initialMemory.keys.sorted().filter { !locks.contains($0) }
        var constants: Set<Int> = [0]
        for case let .int(n) in test.initialMemory.values { constants.insert(n) }
        for registers in test.initialRegisters.values { for case let .int(n) in registers.values { constants.insert(n) } }
        for thread in test.threads { collectConstants(thread.body, into: &constants) }
        let values = Domain.range("Value", constants.min()!...constants.max()!)
        var memory: [String: Variable] = [:]
        for location in locations {
            guard case let .int(initial) = test.initialMemory[location] ?? .int(0) else {
                throw WeakMemoryError("\(test.name): the initial value of \(location) is an address (pointers are not modelled)")
            }
            memory[location] = Variable(location, values, initial: .number(initial), doc: "Shared location \(location).")
        }
        let lockVariables = locks.sorted().map { Variable($0, .boolean, initial: false, doc: "Spinlock \($0) is held.") }
        var registerVariables: [Variable] = []
        var processes: [Process] = []
        var finished: [Expr] = []
        for thread in test.threads {
            var compiler = ThreadCompiler(test: test, thread: thread, values: values, memory: memory,
                                          locks: Dictionary(uniqueKeysWithValues: lockVariables.map { ($0.name, $0) }))
            let steps = try compiler.compile()
            registerVariables += compiler.registers.values.sorted { $0.name < $1.name }
            let process = Process("P\(thread.index)", labels: compiler.labels) { _ in steps }
            finished.append(process.at("done"))
            processes.append(process)
        }
        let proposition = try translate(test.condition.proposition, test, values)
        let weak = locations.map { memory[$0]! }
        return Spec(test.name, doc: "Litmus test \(test.name), under the weak-memory transformation.") {
            WeakMemoryDeclaration(weak: weak, sync: lockVariables, history: max(2, writeCount(test) + 1), defaultModel: .lkmmNoLB)
            weak
            lockVariables
            registerVariables
            for p in processes { p }
            Invariant(invariantName, "No finished run satisfies the final clause's proposition.") { !(.and(finished) && proposition) }
        }
    }

    /// The register variable of thread `thread` named `name`.
    public static func registerName(_ thread: Int, _ name: String) -> String { "P\(thread):\(name)" }

    static func lockLocations(_ test: LitmusTest) -> Set<String> {
        var found: Set<String> = []
        func scan(_ statements: [LitmusStatement]) {
            for s in statements {
                switch s.kind {
                case let .lock(.name(l), _), let .unlock(.name(l), _): found.insert(l)
                case let .branch(_, t, e): scan(t); scan(e)
                default: break
                }
            }
        }
        for thread in test.threads { scan(thread.body) }
        return found
    }

    static func writeCount(_ test: LitmusTest) -> Int {
        func count(_ statements: [LitmusStatement]) -> Int {
            statements.reduce(0) { total, s in
                switch s.kind {
                case .store, .storeFullFence: return total + 1
                case let .branch(_, t, e): return total + count(t) + count(e)
                default: return total
                }
            }
        }
        return test.threads.reduce(0) { $0 + count($1.body) }
    }

    private static func collectConstants(_ statements: [LitmusStatement], into set: inout Set<Int>) {
        func scan(_ e: LitmusExpression) {
            switch e {
            case let .constant(.int(n)): set.insert(n)
            case let .plainLoad(a), let .load(_, a, _), let .unary(_, a): scan(a)
            case let .atomic(_, a, o, _): scan(a); scan(o)
            case let .binary(_, a, b): scan(a); scan(b)
            default: break
            }
        }
        for s in statements {
            switch s.kind {
            case let .assign(_, e), let .evaluate(e): scan(e)
            case let .store(_, a, v, _), let .storeFullFence(a, v, _): scan(a); scan(v)
            case let .branch(c, t, e): scan(c); collectConstants(t, into: &set); collectConstants(e, into: &set)
            default: break
            }
        }
    }

    private static func translate(_ p: LitmusProposition, _ test: LitmusTest, _ values: Domain) throws -> Expr {
        switch p {
        case .true: return .bool(true)
        case .false: return .bool(false)
        case let .register(thread, name, .int(v)): return .variable(registerName(thread, name)) == .number(v)
        case let .location(name, .int(v)): return .variable(name) == .number(v)
        case let .not(a): return !(try translate(a, test, values))
        case let .and(a, b): return try translate(a, test, values) && translate(b, test, values)
        case let .or(a, b): return try translate(a, test, values) || translate(b, test, values)
        default: throw WeakMemoryError("\(test.name): the final clause compares with an address")
        }
    }
}
