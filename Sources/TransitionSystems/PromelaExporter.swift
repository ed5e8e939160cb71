/// Writes a loaded transition system as a Promela model whose state graph is the explicit
/// engine's, so that SPIN can count and check the same states.
///
/// The encoding:
/// - **Variables.** One global per spec variable, arrays as Promela arrays indexed by the index
///   domain's position. Every slot holds its value's *position* in its domain, as
///   ``StateLayout`` stores it (`bit` for truth values, `byte` otherwise); expressions add the
///   domain's lower bound back where it is not 0, so arithmetic sees runtime values.
/// - **Initial states.** With one initial state whose arrays are uniform, the globals' own
///   initializers set it, and SPIN's initial state is the engine's. Otherwise the process begins
///   with `if :: d_step { state 1 } :: d_step { state 2 } ... fi` (the states
///   ``Interpreter/initialStates()`` lists, so `Initially` constraints apply): SPIN then stores
///   one extra state, the root before that choice, which no invariant is checked on
///   (``hasInitialChoice``).
/// - **Steps.** One `d_step { guard -> ... }` per ground action instance, as options of a single
///   `do` loop labelled `end` (a state with no enabled instance is a valid end state, as for the
///   engine). Updates are simultaneous: values, conditions and dynamic indices that read a slot
///   the instance may write are first computed into `hidden` globals (not part of SPIN's state),
///   then written. When an instance's well-definedness condition is not trivially true, an
///   `assert` after the guard reports what the interpreter reports as a runtime error.
/// - **Properties.** Each invariant (not lemma) is one more option, `d_step { !(P) -> assert(P) }`:
///   enabled only in a state violating `P`, it fails there, and otherwise adds no transition and
///   no state. Every state at the loop head is checked, the initial ones included.
///
/// The output depends only on the system and the header lines: the same input gives the same text.
public struct PromelaExporter {
    public let system: TransitionSystem
    /// Comment lines put at the top of the model (spec, variant, configuration).
    public let header: [String]

    private let names: [String]
    private let initialStates: [State]
    private let temporaryPrefix: String

    public init(_ system: TransitionSystem, header: [String] = []) throws {
        self.system = system
        self.header = header
        var used = Set(Self.reserved)
        var names: [String] = []
        for variable in system.layout.variables {
            var name = Self.identifier(variable.name)
            if used.contains(name) {
                var k = 2
                while used.contains("\(name)_\(k)") { k += 1 }
                name = "\(name)_\(k)"
            }
            used.insert(name)
            names.append(name)
        }
        self.names = names
        var prefix = "scmi_"
        while used.contains(where: { $0.hasPrefix(prefix) }) { prefix = "scmi" + prefix }
        self.temporaryPrefix = prefix
        self.initialStates = try Interpreter(system).initialStates()
    }

    /// Whether the model starts with a nondeterministic choice of initial state, so that SPIN
    /// stores one state more than the engine reaches: the root before the choice.
    public var hasInitialChoice: Bool {
        !(initialStates.count == 1 && uniformArrays(initialStates[0]))
    }

    /// The number of states SPIN stores for the model when the engine reaches `reachable` states.
    public func spinStates(forReachable reachable: Int) -> Int {
        reachable + (hasInitialChoice ? 1 : 0)
    }

    /// The Promela model.
    public func render() -> String {
        let layout = system.layout
        var out: [String] = []
        out.append("/*")
        for line in header { out.append(" * " + Self.commentSafe(line)) }
        if !header.isEmpty { out.append(" *") }
        out.append(" * Spec '\(Self.commentSafe(system.spec.name))': \(layout.count) slots, \(system.instances.count) action instances, "
                   + "\(initialStates.count) initial state\(initialStates.count == 1 ? "" : "s").")
        out.append(" * Each variable holds its value's position in its domain (runtime value minus the lower bound).")
        out.append(" * One d_step per action instance; updates are simultaneous (computed into hidden temporaries first).")
        out.append(" * Each invariant is asserted in every state at the loop head, the initial states included.")
        if hasInitialChoice {
            out.append(" * The initial state is chosen by the first statement: SPIN stores one state more than the")
            out.append(" * explicit engine reaches (the root before the choice, where nothing is asserted).")
        } else {
            out.append(" * The globals' initializers give the only initial state: SPIN stores exactly the states the")
            out.append(" * explicit engine reaches (without symmetry reduction).")
        }
        out.append(" * Check: spin -a FILE && gcc -DSAFETY -DNOREDUCE -O2 -o pan pan.c && ./pan -m10000000 -c0")
        out.append(" */")
        out.append("")

        // Variables.
        let single = hasInitialChoice ? nil : initialStates.first
        for (v, variable) in layout.variables.enumerated() {
            let type = variable.domain.kind == .boolean ? "bit" : "byte"
            let slots = layout.slots(of: v)
            var doc = "\(variable.name): \(variable.domain)"
            if let index = variable.index { doc += ", indexed by \(index)" }
            out.append("/* \(Self.commentSafe(doc)) */")
            let initializer = single.map { " = \($0.slots[slots.lowerBound])" } ?? ""
            if let index = variable.index {
                out.append("\(type) \(names[v])[\(index.size)]\(initializer);")
            } else {
                out.append("\(type) \(names[v])\(initializer);")
            }
        }
        let temporaries = system.instances.map { instanceTemporaries($0) }.max() ?? 0
        if temporaries > 0 {
            out.append("")
            out.append("/* Simultaneous assignment: each update's new value (t), condition (f) and element (k), outside the state. */")
            for i in 0..<temporaries {
                out.append("hidden int \(temporaryPrefix)t\(i);")
                out.append("hidden byte \(temporaryPrefix)f\(i);")
                out.append("hidden int \(temporaryPrefix)k\(i);")
            }
        }
        out.append("")
        out.append("active proctype system() {")

        // Initial states.
        if hasInitialChoice {
            if initialStates.isEmpty {
                out.append("    /* No initial state satisfies the spec's initial conditions. */")
                out.append("end_no_initial_state:")
                out.append("    false;")
            } else {
                out.append("    if")
                for state in initialStates {
                    let assignments = layout.slots.indices.map { "\(slotName($0)) = \(state.slots[$0])" }
                    out.append("    :: d_step { " + assignments.joined(separator: "; ") + " }")
                }
                out.append("    fi;")
            }
        }

        out.append("end:")
        out.append("    do")
        for invariant in system.invariants where invariant.invariant.role == .invariant {
            let condition = term(invariant.term)
            out.append("    /* invariant \(Self.commentSafe(invariant.name)) */")
            out.append("    :: d_step { !(\(condition)) -> assert(\(condition)) }")
        }
        for instance in system.instances {
            out.append("    /* \(Self.commentSafe("\(instance.actor) \(instance.label)")) */")
            out.append("    :: d_step {")
            out.append("        \(term(instance.guardTerm)) ->")
            for line in body(of: instance) { out.append("        " + line) }
            out.append("    }")
        }
        out.append("    od")
        out.append("}")
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: - Updates

    /// Whether update `update` reads a slot the instance may write, so it needs temporaries.
    private func needsTemporaries(_ update: GroundUpdate, written: Set<Int>) -> Bool {
        var read = update.value.slotsRead.union(update.condition.slotsRead)
        if case .select(_, let index, _) = update.target { read.formUnion(index.slotsRead) }
        return !read.isDisjoint(with: written)
    }

    private func writtenSlots(_ instance: ActionInstance) -> Set<Int> {
        var written = Set<Int>()
        for update in instance.updates {
            switch update.target {
            case .slot(let s): written.insert(s)
            case .select(let slots, _, _): written.formUnion(slots)
            }
        }
        return written
    }

    private func instanceTemporaries(_ instance: ActionInstance) -> Int {
        let written = writtenSlots(instance)
        return instance.updates.filter { needsTemporaries($0, written: written) }.count
    }

    /// The statements after the guard: the well-definedness check, then the updates.
    private func body(of instance: ActionInstance) -> [String] {
        var lines: [String] = []
        if instance.wellDefined.constantValue != 1 {
            lines.append("assert(\(term(instance.wellDefined)));  /* values and indices in range, no slot written twice */")
        }
        let written = writtenSlots(instance)
        var computed: [Int: Int] = [:]  // update position -> temporary number
        for (u, update) in instance.updates.enumerated() where needsTemporaries(update, written: written) {
            let k = computed.count
            computed[u] = k
            var parts = ["\(temporaryPrefix)t\(k) = \(term(update.value))"]
            if case .select(_, let index, let lower) = update.target {
                parts.append("\(temporaryPrefix)k\(k) = \(offset(index, lower))")
            }
            if update.condition.constantValue == 1 {
                lines.append(parts.joined(separator: "; ") + ";")
            } else {
                lines.append("if :: \(term(update.condition)) -> \(temporaryPrefix)f\(k) = 1; \(parts.joined(separator: "; ")) :: else -> \(temporaryPrefix)f\(k) = 0 fi;")
            }
        }
        for (u, update) in instance.updates.enumerated() {
            let lower = update.domain.lowerBound
            let assignment: String
            if let k = computed[u] {
                let target: String
                switch update.target {
                case .slot(let s): target = slotName(s)
                case .select(let slots, _, _): target = "\(arrayName(slots))[\(temporaryPrefix)k\(k)]"
                }
                assignment = "\(target) = \(stored("\(temporaryPrefix)t\(k)", lower))"
                lines.append(update.condition.constantValue == 1
                    ? assignment + ";"
                    : "if :: \(temporaryPrefix)f\(k) -> \(assignment) :: else -> skip fi;")
            } else {
                let target: String
                switch update.target {
                case .slot(let s): target = slotName(s)
                case .select(let slots, let index, let indexLower): target = "\(arrayName(slots))[\(offset(index, indexLower))]"
                }
                assignment = "\(target) = \(stored(term(update.value), lower))"
                lines.append(update.condition.constantValue == 1
                    ? assignment + ";"
                    : "if :: \(term(update.condition)) -> \(assignment) :: else -> skip fi;")
            }
        }
        if lines.isEmpty { lines.append("skip") }
        return lines
    }

    /// `value` as a domain position: the runtime value minus the domain's lower bound.
    private func stored(_ value: String, _ lower: Int) -> String {
        if lower == 0 { return value }
        return lower > 0 ? "(\(value)) - \(lower)" : "(\(value)) + \(-lower)"
    }

    /// An index term as an array position.
    private func offset(_ index: GroundTerm, _ lower: Int) -> String {
        if let v = index.constantValue { return String(v - lower) }
        return lower == 0 ? term(index) : "(\(term(index)) - \(literal(lower)))"
    }

    // MARK: - Terms

    private func slotName(_ slot: Int) -> String {
        let s = system.layout.slots[slot]
        if let element = s.element { return "\(names[s.variable])[\(element)]" }
        return names[s.variable]
    }

    /// The array whose slots are `slots`, all of them in order (as the loader builds selects).
    private func arrayName(_ slots: [Int]) -> String {
        let variable = system.layout.slots[slots[0]].variable
        precondition(Array(system.layout.slots(of: variable)) == slots, "a select over slots that are not one whole array")
        return names[variable]
    }

    private func literal(_ v: Int) -> String { v < 0 ? "(\(v))" : String(v) }

    /// A term as a Promela expression with the term's runtime value (truth values 0 and 1).
    func term(_ t: GroundTerm) -> String {
        switch t {
        case .constant(let v): return literal(v)
        case .slot(let s):
            let lower = system.layout.slots[s].domain.lowerBound
            return lower == 0 ? slotName(s) : "(\(slotName(s)) + \(literal(lower)))"
        case .select(let slots, let index, let indexLower):
            let lower = system.layout.slots[slots[0]].domain.lowerBound
            let element = "\(arrayName(slots))[\(offset(index, indexLower))]"
            return lower == 0 ? element : "(\(element) + \(literal(lower)))"
        case .not(let a): return "(!\(term(a)))"
        case .and(let xs): return "(" + xs.map(term).joined(separator: " && ") + ")"
        case .or(let xs): return "(" + xs.map(term).joined(separator: " || ") + ")"
        case .equal(let a, let b): return "(\(term(a)) == \(term(b)))"
        case .less(let a, let b): return "(\(term(a)) < \(term(b)))"
        case .lessOrEqual(let a, let b): return "(\(term(a)) <= \(term(b)))"
        case .add(let a, let b): return "(\(term(a)) + \(term(b)))"
        case .subtract(let a, let b): return "(\(term(a)) - \(term(b)))"
        case .ite(let c, let a, let b): return "(\(term(c)) -> \(term(a)) : \(term(b)))"
        }
    }

    private func uniformArrays(_ state: State) -> Bool {
        system.layout.variables.indices.allSatisfy { v in
            let values = system.layout.slots(of: v).map { state.slots[$0] }
            return values.allSatisfy { $0 == values[0] }
        }
    }

    // MARK: - Names

    /// `name` as a Promela identifier: letters, digits and `_`, not starting with a digit.
    static func identifier(_ name: String) -> String {
        var result = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        if result.isEmpty || result.first!.isNumber || result.first == "_" { result = "v" + result }
        return result
    }

    static func commentSafe(_ text: String) -> String {
        var result = ""
        var previous: Character?
        for c in text {
            // "*/" and "/*" become "* /" and "/ *".
            if (previous == "*" && c == "/") || (previous == "/" && c == "*") { result.append(" ") }
            result.append(c)
            previous = c
        }
        return result
    }

    /// Promela keywords, names SPIN's generated C uses for globals, and C keywords.
    static let reserved: [String] = [
        "active", "assert", "atomic", "bit", "bool", "break", "byte", "chan", "d_step", "D_proctype", "do", "else",
        "empty", "enabled", "eval", "false", "fi", "full", "goto", "hidden", "if", "init", "inline", "int", "len",
        "local", "mtype", "nempty", "never", "nfull", "od", "of", "pc_value", "printf", "printm", "priority",
        "proctype", "provided", "run", "short", "skip", "timeout", "true", "typedef", "unless", "unsigned", "xr",
        "xs", "c_code", "c_decl", "c_expr", "c_state", "c_track", "select", "get_priority", "set_priority", "ltl",
        "notrace", "trace", "np_", "system", "end",
        "auto", "case", "char", "const", "continue", "default", "double", "enum", "extern", "float", "for", "long",
        "register", "return", "signed", "sizeof", "static", "struct", "switch", "union", "void", "volatile", "while",
        "now", "depth", "trpt", "this", "A", "Q", "P", "uchar", "uint", "ushort",
    ]
}
