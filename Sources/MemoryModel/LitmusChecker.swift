/// Answers a litmus test by enumerating its candidate executions and keeping those the model allows.
///
/// The enumeration follows herd7's: every path through each thread with a value for every read (each
/// read's value drawn from its location's value domain), then every reads-from choice that matches
/// those values, every coherence order per location (initial write first), and every order of the
/// critical sections of each spinlock (lock.cat: each lock read takes the previous unlock, a section
/// never unlocked comes last). A candidate whose values depend on themselves through rf, data,
/// address and rmw edges has no solution in herd7 and is dropped.
///
/// The value domains are computed to a fixpoint bounded by the program's write sites: with no loops,
/// each write executes at most once per execution, so a value in any execution is derived through at
/// most that many writes from the initial state, and one more round than there are write sites finds
/// every value an execution can read.
public struct LitmusChecker: Sendable {
    public let model: LinuxKernelMemoryModel
    /// The most paths through one thread before the test is refused as too large.
    public let pathLimit: Int
    /// The most candidate executions before the test is refused as too large.
    public let candidateLimit: Int

    public init(model: LinuxKernelMemoryModel = LinuxKernelMemoryModel(), pathLimit: Int = 20_000,
                candidateLimit: Int = 5_000_000) {
        self.model = model
        self.pathLimit = pathLimit
        self.candidateLimit = candidateLimit
    }

    /// Parses `text` and answers it.
    public func check(source text: String) throws -> LitmusOutcome {
        try check(LitmusParser.parse(text))
    }

    /// Every execution of `test` the model allows (for comparing another model's outcomes with it).
    public func allowedExecutions(_ test: LitmusTest) throws -> [LitmusExecution] {
        var executions: [LitmusExecution] = []
        _ = try check(test, observing: { executions.append($0) })
        return executions
    }

    /// The answer to `test` under the model, with a witness.
    public func check(_ test: LitmusTest) throws -> LitmusOutcome {
        try check(test, observing: nil)
    }

    private func check(_ test: LitmusTest, observing observer: ((LitmusExecution) -> Void)?) throws -> LitmusOutcome {
        try validate(test)
        let domains = try valueDomains(test)
        let traces = try test.threads.map { thread in
            try evaluator(test, thread, domains).traces(limit: pathLimit)
        }
        var tally = Tally()
        tally.observer = observer
        var indices = Array(repeating: 0, count: traces.count)
        combinations: while true {
            try enumerate(test, traces.indices.map { traces[$0][indices[$0]] }, into: &tally)
            var k = indices.count - 1
            while k >= 0 {
                indices[k] += 1
                if indices[k] < traces[k].count { continue combinations }
                indices[k] = 0
                k -= 1
            }
            break
        }
        let answer: LitmusAnswer = tally.satisfying == 0 ? .never : (tally.satisfying == tally.allowed ? .always : .sometimes)
        return LitmusOutcome(test: test, model: LinuxKernelMemoryModel.name, answer: answer, allowedExecutions: tally.allowed,
                             satisfyingExecutions: tally.satisfying, witness: tally.witness,
                             counterexample: tally.counterexample, flags: tally.flags)
    }

    private struct Tally {
        var allowed = 0
        var satisfying = 0
        var candidates = 0
        var witness: LitmusExecution?
        var counterexample: LitmusExecution?
        var flags: Set<ModelFlag> = []
        var observer: ((LitmusExecution) -> Void)?
    }

    // MARK: - Static checks and value domains

    private func validate(_ test: LitmusTest) throws {
        for (location, value) in test.initialMemory {
            if case let .address(target) = value, test.initialMemory[target] == nil {
                throw LitmusError(.evaluation, line: 0, construct: target, "the initial value of \(location) names no shared location")
            }
        }
        try check(test.condition.proposition, test)
    }

    private func check(_ proposition: LitmusProposition, _ test: LitmusTest) throws {
        switch proposition {
        case .true, .false: return
        case let .register(thread, name, _):
            guard thread < test.threads.count else {
                throw LitmusError(.syntax, line: 0, construct: "\(thread):\(name)", "the condition names a thread the test lacks")
            }
            let known = Self.registers(in: test.threads[thread].body).union(test.initialRegisters[thread].map { Array($0.keys) } ?? [])
            guard known.contains(name) else {
                throw LitmusError(.syntax, line: 0, construct: "\(thread):\(name)", "the condition names a register P\(thread) does not have")
            }
        case let .location(name, _):
            guard test.initialMemory[name] != nil else {
                throw LitmusError(.syntax, line: 0, construct: name, "the condition names an unknown location")
            }
        case let .not(p): try check(p, test)
        case let .and(a, b), let .or(a, b):
            try check(a, test)
            try check(b, test)
        }
    }

    private static func registers(in statements: [LitmusStatement]) -> Set<String> {
        var names: Set<String> = []
        for statement in statements {
            switch statement.kind {
            case let .declare(register), let .assign(register, _): names.insert(register)
            case let .branch(_, thenPart, elsePart): names.formUnion(registers(in: thenPart + elsePart))
            default: break
            }
        }
        return names
    }

    private static func writeSites(in statements: [LitmusStatement]) -> Int {
        func atomics(_ e: LitmusExpression) -> Int {
            switch e {
            case .constant, .name: return 0
            case let .plainLoad(a), let .load(_, a, _): return atomics(a)
            case let .atomic(_, a, o, _): return 1 + atomics(a) + atomics(o)
            case let .unary(_, a): return atomics(a)
            case let .binary(_, a, b): return atomics(a) + atomics(b)
            }
        }
        return statements.reduce(0) { total, statement in
            switch statement.kind {
            case let .assign(_, e), let .evaluate(e): return total + atomics(e)
            case let .store(_, a, v, _), let .storeFullFence(a, v, _): return total + 1 + atomics(a) + atomics(v)
            case let .branch(c, t, e): return total + atomics(c) + writeSites(in: t) + writeSites(in: e)
            case .declare, .fence, .lock, .unlock: return total
            }
        }
    }

    private func evaluator(_ test: LitmusTest, _ thread: LitmusThread, _ domains: [String: [Value]]) -> ThreadEvaluator {
        ThreadEvaluator(thread: thread, initialRegisters: test.initialRegisters[thread.index] ?? [:], domains: domains)
    }

    private func valueDomains(_ test: LitmusTest) throws -> [String: [Value]] {
        var domains = test.initialMemory.mapValues { Set([$0]) }
        let rounds = test.threads.reduce(0) { $0 + Self.writeSites(in: $1.body) } + 1
        for _ in 0..<rounds {
            var next = domains
            let sorted = domains.mapValues { $0.sorted() }
            for thread in test.threads {
                for trace in try evaluator(test, thread, sorted).traces(limit: pathLimit) {
                    for step in trace.steps where step.kind == .write {
                        next[step.location!, default: []].insert(step.value!)
                    }
                }
            }
            if next == domains { break }
            domains = next
            if let (location, values) = domains.first(where: { $0.value.count > 64 }) {
                throw LitmusError(.evaluation, line: 0, construct: location, "more than 64 values (\(values.count)) reach this location")
            }
        }
        return domains.mapValues { $0.sorted() }
    }

    // MARK: - Candidate executions of one combination of thread paths

    private struct Section {
        let lockRead: Int
        let lockWrite: Int
        var unlock: Int?
    }

    private func enumerate(_ test: LitmusTest, _ traces: [ThreadTrace], into tally: inout Tally) throws {
        let locations = test.initialMemory.keys.sorted()
        var events: [Event] = []
        var initial: [String: Int] = [:]
        for location in locations {
            initial[location] = events.count
            events.append(Event(id: events.count, thread: nil, kind: .write, location: location,
                                value: test.initialMemory[location], annotation: .once, label: "initial value"))
        }
        var offsets: [Int] = []
        for (thread, trace) in traces.enumerated() {
            offsets.append(events.count)
            for step in trace.steps {
                events.append(Event(id: events.count, thread: thread, kind: step.kind, location: step.location, value: step.value,
                                    annotation: step.annotation, isAtomicRMW: step.isAtomicRMW, line: step.line, label: step.label))
            }
        }
        guard events.count <= Relation.capacity else {
            throw LitmusError(.evaluation, line: 0, construct: test.name,
                              "an execution has \(events.count) events; at most \(Relation.capacity) are modelled")
        }
        let n = events.count
        var po = Relation(size: n), addr = Relation(size: n), data = Relation(size: n), ctrl = Relation(size: n)
        var rmw = Relation(size: n)
        for (thread, trace) in traces.enumerated() {
            let base = offsets[thread]
            for i in trace.steps.indices { for j in (i + 1)..<max(i + 1, trace.steps.count) { po.insert(base + i, base + j) } }
            for (a, b) in trace.addr { addr.insert(base + a, base + b) }
            for (a, b) in trace.data { data.insert(base + a, base + b) }
            for (a, b) in trace.ctrl { ctrl.insert(base + a, base + b) }
            for (a, b) in trace.rmw { rmw.insert(base + a, base + b) }
        }

        // Spinlocks: critical sections per lock, and no ordinary access to a lock.
        let lockEvents = events.filter { [.lockRead, .lockWrite, .unlock].contains($0.kind) }
        let lockLocations = Set(lockEvents.compactMap(\.location))
        if let mixed = events.first(where: { !$0.isInitial && ($0.kind == .read || $0.kind == .write)
                                              && lockLocations.contains($0.location ?? "") }) {
            throw LitmusError(.unsupported, line: mixed.line, construct: mixed.label,
                              "ordinary accesses to a spinlock are not modelled (lock.cat's mixed-lock-accesses)")
        }
        var sections: [String: [Section]] = [:]
        for thread in traces.indices {
            var open: [String: Int] = [:]
            for event in events where event.thread == thread {
                guard let location = event.location else { continue }
                switch event.kind {
                case .lockRead:
                    if open[location] != nil { return }
                    open[location] = sections[location, default: []].count
                    sections[location, default: []].append(Section(lockRead: event.id, lockWrite: event.id + 1, unlock: nil))
                case .unlock:
                    guard let index = open[location] else {
                        throw LitmusError(.unsupported, line: event.line, construct: event.label,
                                          "spin_unlock without a matching spin_lock on this thread")
                    }
                    sections[location]![index].unlock = event.id
                    open[location] = nil
                default:
                    break
                }
            }
        }
        var lockOrders: [[(String, [Section])]] = []
        for location in sections.keys.sorted() {
            let all = sections[location]!
            if all.filter({ $0.unlock == nil }).count > 1 { return }
            let orders = permutations(all).filter { order in order.dropLast().allSatisfy { $0.unlock != nil } }
            lockOrders.append(orders.map { (location, $0) })
        }

        // Ordinary locations: coherence orders and reads-from candidates.
        var coOrders: [[[Int]]] = []
        for location in locations where !lockLocations.contains(location) {
            let writes = events.filter { !$0.isInitial && $0.kind == .write && $0.location == location }.map(\.id)
            coOrders.append(permutations(writes).map { [initial[location]!] + $0 })
        }
        var rfChoices: [[(Int, Int)]] = []
        for read in events where read.kind == .read {
            let sources = events.filter { $0.kind == .write && $0.location == read.location && $0.value == read.value }
            if sources.isEmpty { return }
            rfChoices.append(sources.map { ($0.id, read.id) })
        }

        try product(lockOrders) { lockOrder in
            var baseRF = Relation(size: n)
            var baseCO = Relation(size: n)
            for (location, order) in lockOrder {
                var chain = [initial[location]!]
                for section in order {
                    baseRF.insert(chain.last!, section.lockRead)
                    chain.append(section.lockWrite)
                    if let unlock = section.unlock { chain.append(unlock) }
                }
                insertTotalOrder(chain, into: &baseCO)
            }
            try product(coOrders) { orders in
                var co = baseCO
                for chain in orders { insertTotalOrder(chain, into: &co) }
                try product(rfChoices) { pairs in
                    tally.candidates += 1
                    if tally.candidates > candidateLimit {
                        throw LitmusError(.evaluation, line: 0, construct: test.name,
                                          "more than \(candidateLimit) candidate executions")
                    }
                    var rf = baseRF
                    for (write, read) in pairs { rf.insert(write, read) }
                    guard (rf | data | addr | rmw).isAcyclic else { return }
                    let candidate = CandidateExecution(events: events, po: po, addr: addr, data: data, ctrl: ctrl,
                                                       rmw: rmw, rf: rf, co: co)
                    let judgement = model.judge(candidate)
                    guard judgement.isAllowed else { return }
                    if let fault = traces.compactMap(\.fault).first { throw fault }
                    try record(candidate, judgement, test, traces, orders, &tally)
                }
            }
        }
    }

    private func record(_ candidate: CandidateExecution, _ judgement: ModelJudgement, _ test: LitmusTest,
                        _ traces: [ThreadTrace], _ coOrders: [[Int]], _ tally: inout Tally) throws {
        var memory: [String: Value] = [:]
        for chain in coOrders {
            let last = candidate.events[chain.last!]
            memory[last.location!] = last.value!
        }
        var registers: [Int: [String: Value]] = [:]
        for (thread, trace) in traces.enumerated() {
            var values = trace.registers
            for name in Self.registers(in: test.threads[thread].body) where values[name] == nil { values[name] = .int(0) }
            registers[thread] = values
        }
        let execution = LitmusExecution(execution: candidate, registers: registers, memory: memory, flags: judgement.flags)
        tally.allowed += 1
        tally.observer?(execution)
        tally.flags.formUnion(judgement.flags)
        if test.condition.proposition.holds(registers: registers, memory: memory) {
            tally.satisfying += 1
            if tally.witness == nil { tally.witness = execution }
        } else if tally.counterexample == nil {
            tally.counterexample = execution
        }
    }

    // MARK: - Combinatorics

    private func insertTotalOrder(_ chain: [Int], into relation: inout Relation) {
        for i in chain.indices { for j in (i + 1)..<max(i + 1, chain.count) { relation.insert(chain[i], chain[j]) } }
    }

    private func permutations<T>(_ items: [T]) -> [[T]] {
        guard items.count > 1 else { return [items] }
        var result: [[T]] = []
        for (i, item) in items.enumerated() {
            var rest = items
            rest.remove(at: i)
            for tail in permutations(rest) { result.append([item] + tail) }
        }
        return result
    }

    /// Calls `body` with every choice of one element from each list.
    private func product<T>(_ lists: [[T]], _ body: ([T]) throws -> Void) throws {
        if lists.contains(where: \.isEmpty) { return }
        var indices = Array(repeating: 0, count: lists.count)
        while true {
            try body(lists.indices.map { lists[$0][indices[$0]] })
            var k = lists.count - 1
            while k >= 0 {
                indices[k] += 1
                if indices[k] < lists[k].count { break }
                indices[k] = 0
                k -= 1
            }
            if k < 0 { return }
        }
    }
}
