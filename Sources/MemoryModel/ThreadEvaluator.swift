/// Runs one litmus thread with chosen read values, turning its statements into events.
///
/// Values flow through registers together with the set of reads they come from, so each access
/// records the dependencies herd7 gives it: `addr` from the reads its address was computed from,
/// `data` from the reads a stored value was computed from, `ctrl` from the reads of every enclosing
/// `if` condition to each event of the branch taken. Reads take each value of their location's
/// domain in turn (``ChoiceSequence``); whether some write supplies that value is the enumerator's concern.
struct ThreadEvaluator {
    typealias Tracked = (value: Value, sources: Set<Int>)

    let thread: LitmusThread
    let initialRegisters: [String: Value]
    /// The values each location may hold.
    let domains: [String: [Value]]

    /// Every trace of the thread under `domains`; throws when there are more than `limit`.
    func traces(limit: Int) throws -> [ThreadTrace] {
        var sequence = ChoiceSequence()
        var result: [ThreadTrace] = []
        repeat {
            var run = Run(evaluator: self, choices: sequence)
            try run.execute()
            sequence = run.choices
            result.append(run.trace)
            if result.count > limit {
                throw LitmusError(.evaluation, line: 0, construct: "P\(thread.index)",
                                  "more than \(limit) paths through the thread")
            }
        } while sequence.advance()
        return result
    }

    /// One run of the thread along one choice sequence.
    private struct Run {
        let evaluator: ThreadEvaluator
        var choices: ChoiceSequence
        var trace = ThreadTrace()
        var registers: [String: Tracked] = [:]
        var control: Set<Int> = []

        init(evaluator: ThreadEvaluator, choices: ChoiceSequence) {
            self.evaluator = evaluator
            self.choices = choices
            for (name, value) in evaluator.initialRegisters { registers[name] = (value, []) }
        }

        /// A fault stops the run; the trace keeps the events made so far.
        struct Stop: Error {}

        mutating func execute() throws {
            do {
                try run(evaluator.thread.body)
            } catch is Stop {
                return
            }
            for (name, tracked) in registers { trace.registers[name] = tracked.value }
        }

        private mutating func run(_ statements: [LitmusStatement]) throws {
            for statement in statements { try run(statement) }
        }

        private mutating func run(_ statement: LitmusStatement) throws {
            let line = statement.line
            switch statement.kind {
            case let .declare(register):
                if registers[register] == nil {
                    registers[register] = (evaluator.initialRegisters[register] ?? .int(0), [])
                }
            case let .assign(register, expression):
                registers[register] = try evaluate(expression, line: line)
            case let .store(annotation, address, value, label):
                try store(annotation, address: address, value: value, label: label, line: line)
            case let .storeFullFence(address, value, label):
                try store(.once, address: address, value: value, label: label, line: line)
                emit(.fence(.mb), location: nil, value: nil, annotation: .once, line: line, label: label)
            case let .fence(kind, label):
                emit(.fence(kind), location: nil, value: nil, annotation: .once, line: line, label: label)
            case let .lock(expression, label):
                let (location, sources) = try locate(expression, line: line)
                let read = emit(.lockRead, location: location, value: .int(0), annotation: .acquire, line: line, label: label)
                let write = emit(.lockWrite, location: location, value: .int(1), annotation: .once, line: line, label: label)
                trace.rmw.append((read, write))
                for source in sources { trace.addr += [(source, read), (source, write)] }
            case let .unlock(expression, label):
                let (location, sources) = try locate(expression, line: line)
                let unlock = emit(.unlock, location: location, value: .int(0), annotation: .release, line: line, label: label)
                for source in sources { trace.addr.append((source, unlock)) }
            case let .evaluate(expression):
                _ = try evaluate(expression, line: line)
            case let .branch(condition, thenPart, elsePart):
                let tracked = try evaluate(condition, line: line)
                let saved = control
                control.formUnion(tracked.sources)
                try run(tracked.value.isTrue ? thenPart : elsePart)
                control = saved
            }
        }

        private mutating func store(_ annotation: Annotation, address: LitmusExpression, value: LitmusExpression,
                                    label: String, line: Int) throws {
            let (location, addressSources) = try locate(address, line: line)
            let stored = try evaluate(value, line: line)
            let write = emit(.write, location: location, value: stored.value, annotation: annotation, line: line, label: label)
            for source in addressSources { trace.addr.append((source, write)) }
            for source in stored.sources { trace.data.append((source, write)) }
        }

        @discardableResult
        private mutating func emit(_ kind: Event.Kind, location: String?, value: Value?, annotation: Annotation,
                                   isAtomicRMW: Bool = false, line: Int, label: String) -> Int {
            let index = trace.steps.count
            trace.steps.append(ThreadTrace.Step(kind: kind, location: location, value: value, annotation: annotation,
                                                isAtomicRMW: isAtomicRMW, line: line, label: label))
            for source in control { trace.ctrl.append((source, index)) }
            return index
        }

        /// The location an address expression points to, and the reads the address came from.
        private mutating func locate(_ expression: LitmusExpression, line: Int) throws -> (String, Set<Int>) {
            let tracked = try evaluate(expression, line: line)
            guard case let .address(location) = tracked.value else {
                trace.fault = LitmusError(.evaluation, line: line, construct: "\(tracked.value)",
                                          "an execution dereferences the integer \(tracked.value)")
                throw Stop()
            }
            guard evaluator.domains[location] != nil else {
                throw LitmusError(.evaluation, line: line, construct: location, "no such shared location")
            }
            return (location, tracked.sources)
        }

        private mutating func read(_ location: String) -> Value {
            let domain = evaluator.domains[location] ?? [.int(0)]
            return domain[choices.choose(domain.count)]
        }

        private mutating func evaluate(_ expression: LitmusExpression, line: Int) throws -> Tracked {
            switch expression {
            case let .constant(value):
                return (value, [])
            case let .name(name):
                if let tracked = registers[name] { return tracked }
                if evaluator.thread.parameters.contains(name) { return (.address(name), []) }
                throw LitmusError(.evaluation, line: line, construct: name, "not a declared register or parameter of P\(evaluator.thread.index)")
            case let .plainLoad(address):
                return try load(.plain, address: address, label: "*\(address)", line: line)
            case let .load(annotation, address, label):
                return try load(annotation, address: address, label: label, line: line)
            case let .atomic(operation, address, operand, label):
                return try atomic(operation, address: address, operand: operand, label: label, line: line)
            case let .unary(op, inner):
                let tracked = try evaluate(inner, line: line)
                switch op {
                case "!": return (.int(tracked.value.isTrue ? 0 : 1), tracked.sources)
                case "-": return (.int(0 &- (try integer(tracked.value, op, line))), tracked.sources)
                default: return (.int(~(try integer(tracked.value, op, line))), tracked.sources)
                }
            case let .binary(op, left, right):
                let a = try evaluate(left, line: line)
                if op == "&&" && !a.value.isTrue { return (.int(0), a.sources) }
                if op == "||" && a.value.isTrue { return (.int(1), a.sources) }
                let b = try evaluate(right, line: line)
                let sources = a.sources.union(b.sources)
                switch op {
                case "&&", "||": return (.int(b.value.isTrue ? 1 : 0), sources)
                case "==": return (.int(a.value == b.value ? 1 : 0), sources)
                case "!=": return (.int(a.value != b.value ? 1 : 0), sources)
                default: break
                }
                let x = try integer(a.value, op, line)
                let y = try integer(b.value, op, line)
                let result: Int
                switch op {
                case "+": result = x &+ y
                case "-": result = x &- y
                case "*": result = x &* y
                case "/", "%":
                    guard y != 0 else { throw LitmusError(.evaluation, line: line, construct: op, "division by zero") }
                    result = op == "/" ? x / y : x % y
                case "&": result = x & y
                case "|": result = x | y
                case "^": result = x ^ y
                case "<": result = x < y ? 1 : 0
                case ">": result = x > y ? 1 : 0
                case "<=": result = x <= y ? 1 : 0
                default: result = x >= y ? 1 : 0
                }
                return (.int(result), sources)
            }
        }

        private func integer(_ value: Value, _ op: String, _ line: Int) throws -> Int {
            guard case let .int(n) = value else {
                throw LitmusError(.unsupported, line: line, construct: op, "arithmetic on the address \(value) is not modelled")
            }
            return n
        }

        private mutating func load(_ annotation: Annotation, address: LitmusExpression, label: String, line: Int) throws -> Tracked {
            let (location, sources) = try locate(address, line: line)
            let value = read(location)
            let event = emit(.read, location: location, value: value, annotation: annotation, line: line, label: label)
            for source in sources { trace.addr.append((source, event)) }
            return (value, [event])
        }

        private mutating func atomic(_ operation: AtomicOperation, address: LitmusExpression, operand: LitmusExpression,
                                     label: String, line: Int) throws -> Tracked {
            let (location, addressSources) = try locate(address, line: line)
            let argument = try evaluate(operand, line: line)
            if operation.ordering == .full {
                emit(.fence(.mb), location: nil, value: nil, annotation: .once, line: line, label: label)
            }
            let annotations = operation.annotations
            let old = read(location)
            let readIndex = emit(.read, location: location, value: old, annotation: annotations.read, isAtomicRMW: true,
                                 line: line, label: label)
            let new: Value
            switch operation.arithmetic {
            case .exchange: new = argument.value
            case .add: new = .int(try integer(old, label, line) &+ (try integer(argument.value, label, line)))
            case .sub: new = .int(try integer(old, label, line) &- (try integer(argument.value, label, line)))
            }
            let writeIndex = emit(.write, location: location, value: new, annotation: annotations.write, isAtomicRMW: true,
                                  line: line, label: label)
            trace.rmw.append((readIndex, writeIndex))
            for source in addressSources { trace.addr += [(source, readIndex), (source, writeIndex)] }
            for source in argument.sources { trace.data.append((source, writeIndex)) }
            if operation.ordering == .full {
                emit(.fence(.mb), location: nil, value: nil, annotation: .once, line: line, label: label)
            }
            switch operation.returns {
            case .nothing: return (.int(0), [])
            case .oldValue: return (old, [readIndex])
            case .newValue: return (new, [readIndex])
            case .newIsZero: return (.int(new == .int(0) ? 1 : 0), [readIndex])
            }
        }
    }
}
