import TransitionSystems

/// Small random transition systems, each reproducible from a seed, for differential tests
/// of the engines: every engine must give the same verdict and shortest depth on each.
///
/// A system has a few variables of small domains (an integer range that may start below
/// zero, a truth value, an enumeration, an index into an array, arrays over a two-value
/// index domain), one or two processes (one of them, maybe, replicated per index value
/// and with a program counter) whose steps take parameters and carry guards, If/else
/// updates and array writes at dynamic indices, and two or three invariants (sometimes a
/// lemma among them). Arithmetic is written so that intermediate values may leave their
/// domain (in comparisons such as `val[p] + n <= 1`), but an assigned value never does:
/// `x <- x + 1` only appears under a guard `x < upper bound` (unless asked otherwise). No
/// action writes one variable twice, so no run meets a runtime error.
public enum RandomSystems {
    /// The system generated from `seed`, named `random-SEED`.
    ///
    /// With `unguardedArithmetic`, some increments and decrements lose their guard, so a run
    /// may assign a value outside its domain: a runtime error every engine must report alike.
    ///
    /// With `localSteps`, the system always has the replicated worker, and after each of its
    /// steps the worker takes two steps that touch only its own `loc` element and program
    /// counter, between labels no invariant tests: independent, invisible steps for
    /// partial-order reduction to work on.
    public static func spec(seed: UInt64, unguardedArithmetic: Bool = false, localSteps: Bool = false) -> Spec {
        var builder = Builder(seed: seed, unguardedArithmetic: unguardedArithmetic, localSteps: localSteps)
        return builder.spec()
    }
}

// MARK: - Generation

/// The generator of random specs: SplitMix64, with the draws the builder makes.
private struct SeededGenerator {
    private var base: SplitMix64

    init(seed: UInt64) { base = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { base.next() }

    /// A number in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

    mutating func pick<T>(_ choices: [T]) -> T { choices[int(0...(choices.count - 1))] }
}

private struct Builder {
    /// What a variable holds, which decides the expressions that read and write it.
    enum Kind { case level, truth, mode, index }

    struct StateVariable {
        let variable: Variable
        let kind: Kind
        var isArray: Bool { variable.index != nil }
    }

    private var random: SeededGenerator
    private let seed: UInt64
    private let unguardedArithmetic: Bool
    private let localSteps: Bool
    private let id: Domain
    private let level: Domain
    private let mode: Domain
    private var variables: [StateVariable] = []
    /// Index expressions usable in the step being built: literals, `ptr`, parameters.
    private var indices: [Expr] = []
    /// Program-counter tests usable in invariants.
    private var locations: [Expr] = []

    init(seed: UInt64, unguardedArithmetic: Bool, localSteps: Bool) {
        self.seed = seed
        self.unguardedArithmetic = unguardedArithmetic
        self.localSteps = localSteps
        random = SeededGenerator(seed: seed)
        id = Domain.instances("Id", count: 2, prefix: "i")
        let lower = random.pick([0, 0, -1])
        level = Domain.range("Level", lower...(lower + random.int(2...3)))
        mode = Domain.enumeration("Mode", Array(["A", "B", "C"].prefix(random.int(2...3))))
    }

    mutating func spec() -> Spec {
        declareVariables()
        var processes: [Process] = []
        let replicated = localSteps || random.chance(60)
        if replicated { processes.append(replicatedProcess()) }
        if !replicated || random.chance(50) { processes.append(singleProcess()) }
        indices = [id["i0"], id["i1"]] + (variable(.index, array: false).map { [$0.variable.value] } ?? [])
        var parts: [SpecPart] = variables.map { .variable($0.variable) }
        if localSteps { parts.append(.variable(Self.local(id))) }
        parts += processes.map { .process($0) }
        if let n = variable(.level, array: false), case .any = n.variable.initial {
            parts.append(Initially(n.variable.value <= .number(level.lowerBound + 1)))
        }
        let wanted = random.int(2...3)
        var invariants: [Invariant] = []
        for attempt in 0..<12 where invariants.count < wanted {
            let candidate = invariant(invariants.count)
            // Mostly keep invariants that hold initially, so that violations lie at some depth.
            if random.chance(15) || holdsInitially(candidate, parts) || attempt == 11 { invariants.append(candidate) }
        }
        return Self.spec(seed, parts + invariants.map { .invariant($0) })
    }

    private static func spec(_ seed: UInt64, _ parts: [SpecPart]) -> Spec {
        Spec("random-\(seed)", doc: "A random system from seed \(seed).") {
            for part in parts { part }
        }
    }

    /// Whether `candidate` holds in every initial state of the system declared so far.
    private func holdsInitially(_ candidate: Invariant, _ parts: [SpecPart]) -> Bool {
        guard let system = try? TransitionSystem(Self.spec(seed, parts + [.invariant(candidate)])) else { return false }
        let interpreter = Interpreter(system)
        let index = system.invariants.count - 1
        guard let states = try? interpreter.initialStates() else { return false }
        return states.allSatisfy { (try? interpreter.holds(index, in: $0)) == true }
    }

    // MARK: - Variables

    private mutating func declareVariables() {
        let low = Expr.number(level.lowerBound)
        if random.chance(25) {
            variables.append(StateVariable(variable: Variable("n", level, arbitraryInitialValue: ()), kind: .level))
        } else {
            variables.append(StateVariable(variable: Variable("n", level, initial: low), kind: .level))
        }
        variables.append(StateVariable(variable: Variable("ptr", id, initial: id["i0"]), kind: .index))
        variables.append(StateVariable(variable: Variable("val", level, indexedBy: id, initial: low), kind: .level))
        if random.chance(60) { variables.append(StateVariable(variable: Variable("flag", .boolean, initial: false), kind: .truth)) }
        if random.chance(50) { variables.append(StateVariable(variable: Variable("mode", mode, initial: mode["A"]), kind: .mode)) }
        if random.chance(50) { variables.append(StateVariable(variable: Variable("mark", .boolean, indexedBy: id, initial: false), kind: .truth)) }
    }

    private func variable(_ kind: Kind, array: Bool) -> StateVariable? {
        variables.first { $0.kind == kind && $0.isArray == array }
    }

    // MARK: - Processes

    private mutating func replicatedProcess() -> Process {
        let labels = Array(["idle", "busy", "done"].prefix(random.int(2...3)))
        var steps: [Step] = []
        var allLabels = labels
        for (n, from) in labels.enumerated() {
            let to = labels[(n + 1) % labels.count]
            guard localSteps else {
                steps.append(step("s\(n)", from: from, to: to, instance: .parameter("w"), guarded: n > 0))
                continue
            }
            let (first, second) = ("\(from)_local1", "\(from)_local2")
            allLabels += [first, second]
            steps.append(step("s\(n)", from: from, to: first, instance: .parameter("w"), guarded: n > 0))
            let loc = Self.local(id)
            let w = Expr.parameter("w")
            steps.append(Step("l\(n)a", from: first, to: second) { loc[w] <- !loc[w] })
            steps.append(Step("l\(n)b", from: second, to: to) {})
        }
        if random.chance(40) { steps.append(step("extra", from: labels[random.int(0...(labels.count - 1))], to: nil, instance: .parameter("w"), guarded: true)) }
        let process = Process("worker", over: id, named: "w", labels: allLabels) { _ in steps }
        locations = labels.flatMap { label in [process.at(label, id["i0"]), process.at(label, id["i1"])] }
        return process
    }

    /// The worker's own variable, which only its local steps touch.
    private static func local(_ id: Domain) -> Variable {
        Variable("loc", .boolean, indexedBy: id, initial: false)
    }

    private mutating func singleProcess() -> Process {
        let steps = (0..<random.int(1...3)).map { step("t\($0)", from: nil, to: nil, instance: nil, guarded: $0 > 0) }
        return Process("env") { _ in steps }
    }

    /// A step with an optional parameter, maybe a guard, and updates to distinct variables.
    private mutating func step(_ name: String, from: String?, to: String?, instance: Expr?, guarded: Bool) -> Step {
        let parameters = random.chance(50) ? [Parameter("p", id)] : []
        indices = [id["i0"], id["i1"]] + parameters.map { Expr.parameter($0.name) }
        if let instance { indices.append(instance) }
        if let ptr = variable(.index, array: false) { indices.append(ptr.variable.value) }
        var parts: [ActionPart] = []
        if guarded, random.chance(60) { parts.append(Guard(condition(depth: 0))) }
        var targets = variables
        for _ in 0..<random.int(1...3) where !targets.isEmpty {
            let target = targets.remove(at: random.int(0...(targets.count - 1)))
            parts.append(update(target))
        }
        let body = parts
        return Step(name, parameters: parameters, from: from, to: to) { _ in body }
    }

    /// Writes `target` (at a random index, for an array) once, maybe under an If/else.
    private mutating func update(_ target: StateVariable) -> ActionPart {
        let place = target.isArray ? target.variable[random.pick(indices)] : target.variable.value
        if random.chance(25) {
            let condition = condition(depth: 1)
            let then = assignment(place, target.kind)
            let otherwise = random.chance(50) ? [assignment(place, target.kind)] : []
            return If(condition, then: { then }, else: { otherwise })
        }
        return assignment(place, target.kind)
    }

    /// `place <- value` with a value of the place's domain; increments and decrements are guarded.
    private mutating func assignment(_ place: Expr, _ kind: Kind) -> ActionPart {
        switch kind {
        case .level:
            switch random.int(0...4) {
            case 0: return place <- .number(random.int(level.lowerBound...level.upperBound))
            case 1: return place <- levelAtom()
            case 2 where unguardedArithmetic && random.chance(50): return place <- place + 1
            case 3 where unguardedArithmetic && random.chance(50): return place <- place - 1
            case 2: return If(place < .number(level.upperBound)) { place <- place + 1 }
            case 3: return If(place > .number(level.lowerBound)) { place <- place - 1 } else: { place <- .number(level.upperBound) }
            default: return place <- .ite(condition(depth: 0), then: levelAtom(), else: .number(level.lowerBound))
            }
        case .truth:
            switch random.int(0...2) {
            case 0: return place <- .bool(random.chance(50))
            case 1: return place <- !place
            default: return place <- condition(depth: 0)
            }
        case .mode:
            let a = mode[random.pick(mode.valueNames)], b = mode[random.pick(mode.valueNames)]
            if random.chance(50) { return place <- a }
            return place <- .ite(condition(depth: 0), then: a, else: b)
        case .index:
            switch random.int(0...2) {
            case 0: return place <- random.pick(indices)
            case 1: return place <- .ite(place == id["i0"], then: id["i1"], else: id["i0"])
            default: return place <- id[random.pick(id.valueNames)]
            }
        }
    }

    // MARK: - Expressions

    /// A value of the level domain: a variable, an array element or a constant.
    private mutating func levelAtom() -> Expr {
        random.chance(30) ? .number(random.int(level.lowerBound...level.upperBound)) : levelVariable()
    }

    /// The scalar level variable or an element of the level array.
    private mutating func levelVariable() -> Expr {
        random.chance(50) ? variable(.level, array: false)!.variable.value : variable(.level, array: true)!.variable[random.pick(indices)]
    }

    /// An integer that may leave the level domain: a sum or difference with a variable first.
    private mutating func arithmetic() -> Expr {
        switch random.int(0...3) {
        case 0: return levelVariable() + levelAtom()
        case 1: return levelVariable() - levelAtom()
        case 2: return levelVariable() + 1
        default: return levelVariable()
        }
    }

    /// A condition over the state; `depth` bounds the nesting of connectives.
    private mutating func condition(depth: Int) -> Expr {
        if depth > 0, random.chance(30) {
            let a = condition(depth: depth - 1), b = condition(depth: depth - 1)
            switch random.int(0...2) {
            case 0: return a && b
            case 1: return a || b
            default: return !a
            }
        }
        var atoms: [Expr] = [
            arithmetic() <= levelAtom(),
            levelVariable() < levelAtom(),
            levelVariable() == .number(random.int(level.lowerBound...level.upperBound)),
        ]
        if let flag = variable(.truth, array: false) { atoms.append(flag.variable.value) }
        if let mark = variable(.truth, array: true) {
            atoms.append(mark.variable[random.pick(indices)])
            atoms.append(.count("j", in: id) { mark.variable[$0] } <= 1)
        }
        if let m = variable(.mode, array: false) { atoms.append(m.variable.value == mode[random.pick(mode.valueNames)]) }
        if let ptr = variable(.index, array: false) { atoms.append(ptr.variable.value == id[random.pick(id.valueNames)]) }
        atoms += locations
        return random.pick(atoms)
    }

    private mutating func invariant(_ n: Int) -> Invariant {
        let body = random.chance(30) ? condition(depth: 0).implies(condition(depth: 0)) : condition(depth: 1)
        if n == 0, random.chance(20) {
            return Invariant.lemma("lemma-\(n)", "A random lemma.") { body }
        }
        return Invariant("inv-\(n)", "A random invariant.") { body }
    }
}
