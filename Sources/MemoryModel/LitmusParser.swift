import Foundation

/// Reads the herd7 C litmus format as the kernel's tools/memory-model uses it.
///
/// A file is a `C name` line; comments (which may hold the `Result:` line); an initial state
/// `{ int x; int *p = &y; x=1; 0:r0=2; }`; threads `P0(int *x, spinlock_t *l) { ... }`; an optional
/// `locations [...]` line (ignored); and a final clause `exists`, `~exists` or `forall` over
/// `n:r=v` and `x=v` joined by `/\`, `\/` and `~`. Anything it does not model (RCU read-side
/// critical sections, `spin_is_locked`, `spin_trylock`, `cmpxchg`, loops) is an error naming the
/// construct and its line, never skipped.
public struct LitmusParser {
    private var tokens: [LitmusToken] = []
    private var position = 0

    /// Words that begin a type in declarations and parameters.
    private static let typeWords: Set<String> = ["int", "long", "unsigned", "signed", "short", "char", "u8", "u16", "u32",
                                                  "u64", "s32", "s64", "intptr_t", "uintptr_t", "bool", "_Bool",
                                                  "spinlock_t", "atomic_t", "const", "volatile"]

    /// Calls that belong to RCU or SRCU, which the checker does not model.
    private static let rcuCalls: Set<String> = ["rcu_read_lock", "rcu_read_unlock", "synchronize_rcu",
                                                "synchronize_rcu_expedited", "srcu_read_lock", "srcu_read_unlock",
                                                "srcu_down_read", "srcu_up_read", "synchronize_srcu",
                                                "synchronize_srcu_expedited", "smp_mb__after_srcu_read_unlock",
                                                "call_rcu", "rcu_barrier"]

    private static let fences: [String: FenceKind] = [
        "smp_mb": .mb, "smp_rmb": .rmb, "smp_wmb": .wmb, "smp_mb__before_atomic": .beforeAtomic,
        "smp_mb__after_atomic": .afterAtomic, "smp_mb__after_spinlock": .afterSpinlock,
        "smp_mb__after_unlock_lock": .afterUnlockLock, "barrier": .barrier,
    ]

    public init() {}

    /// Parses the text of one litmus file.
    public static func parse(_ text: String) throws -> LitmusTest {
        var parser = LitmusParser()
        return try parser.parseTest(text)
    }

    private mutating func parseTest(_ text: String) throws -> LitmusTest {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let headerIndex = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw LitmusError(.syntax, line: 1, construct: "", "empty file")
        }
        let header = lines[headerIndex].trimmingCharacters(in: .whitespaces)
        let headerWords = header.split(separator: " ", maxSplits: 1).map(String.init)
        guard headerWords.first == "C" else {
            throw LitmusError(.unsupported, line: headerIndex + 1, construct: headerWords.first ?? header,
                              "only C litmus tests are modelled (the first line must be 'C name')")
        }
        guard headerWords.count == 2 else {
            throw LitmusError(.syntax, line: headerIndex + 1, construct: header, "the test has no name")
        }
        let name = headerWords[1].trimmingCharacters(in: .whitespaces)
        let body = lines[(headerIndex + 1)...].joined(separator: "\n")
        tokens = try LitmusLexer.tokens(body, firstLine: headerIndex + 2)
        position = 0

        var memory: [String: Value] = [:]
        var registers: [Int: [String: Value]] = [:]
        if current.isSymbol("{") {
            try parseInitialState(memory: &memory, registers: &registers)
        }
        var threads: [LitmusThread] = []
        while current.kind == .identifier, let index = threadIndex(current.text) {
            guard index == threads.count else {
                throw LitmusError(.syntax, line: current.line, construct: current.text, "threads must be numbered P0, P1, ... in order")
            }
            threads.append(try parseThread(index))
        }
        guard !threads.isEmpty else {
            throw LitmusError(.syntax, line: current.line, construct: current.text, "expected a thread P0(...) { ... }")
        }
        for thread in threads {
            for parameter in thread.parameters where memory[parameter] == nil { memory[parameter] = .int(0) }
        }
        let condition = try parseFinalClause()
        return LitmusTest(name: name, initialMemory: memory, initialRegisters: registers, threads: threads,
                          condition: condition, expected: Self.expectedResult(in: text),
                          expectsDataRace: Self.expectedResultLine(in: text)?.contains("DATARACE") ?? false)
    }

    /// The word after `Result:` in the file, if any.
    public static func expectedResult(in text: String) -> String? {
        guard let line = expectedResultLine(in: text) else { return nil }
        let word = line.drop { $0 == " " || $0 == "\t" }.prefix { $0.isLetter }
        return word.isEmpty ? nil : String(word)
    }

    /// The rest of the line after the first `Result:`, if any.
    static func expectedResultLine(in text: String) -> Substring? {
        guard let range = text.range(of: "Result:") else { return nil }
        return text[range.upperBound...].prefix { $0 != "\n" }
    }

    private func threadIndex(_ text: String) -> Int? {
        guard text.hasPrefix("P"), text.count > 1 else { return nil }
        return Int(text.dropFirst())
    }

    // MARK: - Tokens

    private var current: LitmusToken { tokens[position] }
    private var next: LitmusToken { tokens[min(position + 1, tokens.count - 1)] }

    private mutating func advance() -> LitmusToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private mutating func expect(_ symbol: String, _ context: String) throws {
        guard current.isSymbol(symbol) else {
            throw LitmusError(.syntax, line: current.line, construct: current.text, "expected '\(symbol)' \(context)")
        }
        _ = advance()
    }

    private mutating func identifier(_ context: String) throws -> String {
        guard current.kind == .identifier else {
            throw LitmusError(.syntax, line: current.line, construct: current.text, "expected a name \(context)")
        }
        return advance().text
    }

    // MARK: - Initial state

    private mutating func parseInitialState(memory: inout [String: Value], registers: inout [Int: [String: Value]]) throws {
        try expect("{", "to open the initial state")
        while !current.isSymbol("}") {
            if current.kind == .end {
                throw LitmusError(.syntax, line: current.line, construct: current.text, "the initial state is not closed by '}'")
            }
            if current.isSymbol(";") { _ = advance(); continue }
            if current.kind == .number && next.isSymbol(":") {
                let thread = Int(advance().text) ?? 0
                _ = advance()
                let register = try identifier("for an initial register")
                try expect("=", "after an initial register")
                registers[thread, default: [:]][register] = try parseLiteral()
                try expect(";", "after an initial value")
                continue
            }
            while current.kind == .identifier && Self.typeWords.contains(current.text) { _ = advance() }
            while current.isSymbol("*") { _ = advance() }
            let location = try identifier("in the initial state")
            if current.isSymbol("[") {
                throw LitmusError(.unsupported, line: current.line, construct: "\(location)[", "arrays are not modelled")
            }
            if current.isSymbol("=") {
                _ = advance()
                memory[location] = try parseLiteral()
            } else if memory[location] == nil {
                memory[location] = .int(0)
            }
            try expect(";", "after a declaration in the initial state")
        }
        _ = advance()
    }

    /// A value in the initial state or a final clause: an integer, a location name, or `&name`.
    private mutating func parseLiteral() throws -> Value {
        if current.isSymbol("-"), next.kind == .number {
            _ = advance()
            return .int(-(try number(advance())))
        }
        if current.kind == .number { return .int(try number(advance())) }
        if current.isSymbol("&") { _ = advance() }
        return .address(try identifier("as a value"))
    }

    private func number(_ token: LitmusToken) throws -> Int {
        let value = token.text.hasPrefix("0x") ? Int(token.text.dropFirst(2), radix: 16) : Int(token.text)
        guard let value else { throw LitmusError(.syntax, line: token.line, construct: token.text, "not a number") }
        return value
    }

    // MARK: - Threads

    private mutating func parseThread(_ index: Int) throws -> LitmusThread {
        _ = advance()
        try expect("(", "after the thread name")
        var parameters: [String] = []
        while !current.isSymbol(")") {
            while current.kind == .identifier && Self.typeWords.contains(current.text) { _ = advance() }
            while current.isSymbol("*") { _ = advance() }
            parameters.append(try identifier("as a thread parameter"))
            if current.isSymbol(",") { _ = advance() } else if !current.isSymbol(")") {
                throw LitmusError(.syntax, line: current.line, construct: current.text, "expected ',' or ')' in the parameters of P\(index)")
            }
        }
        _ = advance()
        let body = try parseBlock()
        return LitmusThread(index: index, parameters: parameters, body: body)
    }

    private mutating func parseBlock() throws -> [LitmusStatement] {
        try expect("{", "to open a block")
        var statements: [LitmusStatement] = []
        while !current.isSymbol("}") {
            if current.kind == .end {
                throw LitmusError(.syntax, line: current.line, construct: current.text, "a block is not closed by '}'")
            }
            statements += try parseStatement()
        }
        _ = advance()
        return statements
    }

    private mutating func parseStatement() throws -> [LitmusStatement] {
        let line = current.line
        if current.isSymbol("{") { return try parseBlock() }
        if current.isSymbol(";") { _ = advance(); return [] }
        if current.isSymbol("*") {
            _ = advance()
            let address = try parseUnary()
            try expect("=", "in a plain store")
            let value = try parseExpression()
            try expect(";", "after a store")
            return [LitmusStatement(.store(.plain, address: address, value: value, label: "*\(describe(address)) = \(describe(value))"), line: line)]
        }
        guard current.kind == .identifier else {
            throw LitmusError(.syntax, line: line, construct: current.text, "expected a statement")
        }
        let word = current.text
        if word == "if" {
            _ = advance()
            try expect("(", "after 'if'")
            let condition = try parseExpression()
            try expect(")", "after the condition")
            let thenPart = try parseStatement()
            var elsePart: [LitmusStatement] = []
            if current.isIdentifier("else") {
                _ = advance()
                elsePart = try parseStatement()
            }
            return [LitmusStatement(.branch(condition, then: thenPart, else: elsePart), line: line)]
        }
        if ["while", "for", "do", "switch", "goto", "return", "break", "continue"].contains(word) {
            throw LitmusError(.unsupported, line: line, construct: word, "only straight-line code with 'if' is modelled")
        }
        if Self.typeWords.contains(word) {
            return try parseDeclaration()
        }
        if next.isSymbol("=") {
            _ = advance()
            _ = advance()
            let value = try parseExpression()
            try expect(";", "after an assignment")
            return [LitmusStatement(.assign(register: word, value), line: line)]
        }
        if next.isSymbol("(") {
            let statement = try parseCallStatement()
            try expect(";", "after a call")
            return [statement]
        }
        throw LitmusError(.syntax, line: line, construct: word, "expected an assignment or a call")
    }

    private mutating func parseDeclaration() throws -> [LitmusStatement] {
        let line = current.line
        while current.kind == .identifier && Self.typeWords.contains(current.text) { _ = advance() }
        var statements: [LitmusStatement] = []
        while true {
            while current.isSymbol("*") { _ = advance() }
            let register = try identifier("in a declaration")
            if current.isSymbol("=") {
                _ = advance()
                statements.append(LitmusStatement(.assign(register: register, try parseExpression()), line: line))
            } else {
                statements.append(LitmusStatement(.declare(register: register), line: line))
            }
            if current.isSymbol(",") { _ = advance(); continue }
            try expect(";", "after a declaration")
            return statements
        }
    }

    private mutating func parseCallStatement() throws -> LitmusStatement {
        let token = current
        let name = token.text
        let line = token.line
        if let kind = Self.fences[name] {
            _ = advance()
            try expect("(", "after \(name)")
            try expect(")", "\(name) takes no arguments")
            return LitmusStatement(.fence(kind, label: "\(name)()"), line: line)
        }
        switch name {
        case "WRITE_ONCE", "smp_store_release", "rcu_assign_pointer", "smp_store_mb", "atomic_set", "atomic_set_release":
            _ = advance()
            try expect("(", "after \(name)")
            let target = try parseExpression()
            try expect(",", "between the arguments of \(name)")
            let value = try parseExpression()
            try expect(")", "after the arguments of \(name)")
            let label = "\(name)(\(describe(target)), \(describe(value)))"
            let address: LitmusExpression
            if ["WRITE_ONCE", "rcu_assign_pointer", "smp_store_mb"].contains(name) {
                guard case let .plainLoad(inner) = target else {
                    throw LitmusError(.syntax, line: line, construct: name, "the first argument must be '*pointer'")
                }
                address = inner
            } else {
                address = target
            }
            switch name {
            case "smp_store_mb":
                return LitmusStatement(.storeFullFence(address: address, value: value, label: label), line: line)
            case "smp_store_release", "rcu_assign_pointer", "atomic_set_release":
                return LitmusStatement(.store(.release, address: address, value: value, label: label), line: line)
            default:
                return LitmusStatement(.store(.once, address: address, value: value, label: label), line: line)
            }
        case "spin_lock", "spin_unlock":
            _ = advance()
            try expect("(", "after \(name)")
            let lock = try parseExpression()
            try expect(")", "after the argument of \(name)")
            let label = "\(name)(\(describe(lock)))"
            return LitmusStatement(name == "spin_lock" ? .lock(lock, label: label) : .unlock(lock, label: label), line: line)
        default:
            return LitmusStatement(.evaluate(try parsePrimary()), line: line)
        }
    }

    // MARK: - Expressions

    private static let binaryLevels: [[String]] = [["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="],
                                                   ["<", ">", "<=", ">="], ["+", "-"], ["*", "/", "%"]]

    private mutating func parseExpression(level: Int = 0) throws -> LitmusExpression {
        guard level < Self.binaryLevels.count else { return try parseUnary() }
        var left = try parseExpression(level: level + 1)
        while current.kind == .symbol && Self.binaryLevels[level].contains(current.text) {
            let op = advance().text
            let right = try parseExpression(level: level + 1)
            left = .binary(op, left, right)
        }
        return left
    }

    private mutating func parseUnary() throws -> LitmusExpression {
        if current.isSymbol("*") {
            _ = advance()
            return .plainLoad(address: try parseUnary())
        }
        if current.isSymbol("!") || current.isSymbol("-") || current.isSymbol("~") {
            let op = advance().text
            return .unary(op, try parseUnary())
        }
        if current.isSymbol("&") {
            throw LitmusError(.unsupported, line: current.line, construct: "&", "taking an address inside a thread is not modelled")
        }
        if current.isSymbol("->") || next.isSymbol("->") || next.isSymbol(".") || next.isSymbol("[") {
            let token = next.kind == .symbol ? next : current
            throw LitmusError(.unsupported, line: token.line, construct: token.text, "structures and arrays are not modelled")
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws -> LitmusExpression {
        let token = current
        if token.kind == .number { return .constant(.int(try number(advance()))) }
        if token.isSymbol("(") {
            _ = advance()
            let inner = try parseExpression()
            try expect(")", "to close a parenthesis")
            return inner
        }
        guard token.kind == .identifier else {
            throw LitmusError(.syntax, line: token.line, construct: token.text, "expected an expression")
        }
        _ = advance()
        guard current.isSymbol("(") else { return .name(token.text) }
        return try parseCall(token)
    }

    private mutating func parseCall(_ token: LitmusToken) throws -> LitmusExpression {
        let name = token.text
        let line = token.line
        if Self.rcuCalls.contains(name) {
            throw LitmusError(.unsupported, line: line, construct: name, "RCU is not modelled")
        }
        if name == "spin_is_locked" || name == "spin_trylock" {
            throw LitmusError(.unsupported, line: line, construct: name, "lock.cat's lock-fail and read-locked events are not modelled")
        }
        try expect("(", "after \(name)")
        var arguments: [LitmusExpression] = []
        while !current.isSymbol(")") {
            arguments.append(try parseExpression())
            if current.isSymbol(",") { _ = advance() } else if !current.isSymbol(")") {
                throw LitmusError(.syntax, line: current.line, construct: current.text, "expected ',' or ')' in the arguments of \(name)")
            }
        }
        _ = advance()
        let label = "\(name)(\(arguments.map(describe).joined(separator: ", ")))"
        func one() throws -> LitmusExpression {
            guard arguments.count == 1 else {
                throw LitmusError(.syntax, line: line, construct: name, "\(name) takes one argument")
            }
            return arguments[0]
        }
        switch name {
        case "READ_ONCE", "rcu_dereference":
            guard case let .plainLoad(address) = try one() else {
                throw LitmusError(.syntax, line: line, construct: name, "the argument must be '*pointer'")
            }
            return .load(.once, address: address, label: label)
        case "smp_load_acquire", "atomic_read_acquire":
            return .load(.acquire, address: try one(), label: label)
        case "atomic_read":
            return .load(.once, address: try one(), label: label)
        default:
            break
        }
        if let operation = AtomicOperation.named(name) {
            guard arguments.count == operation.arity else {
                throw LitmusError(.syntax, line: line, construct: name, "\(name) takes \(operation.arity) argument(s)")
            }
            switch operation.operandPosition {
            case .fixedOne:
                return .atomic(operation, address: arguments[0], operand: .constant(.int(1)), label: label)
            case .first:
                return .atomic(operation, address: arguments[1], operand: arguments[0], label: label)
            case .second:
                return .atomic(operation, address: arguments[0], operand: arguments[1], label: label)
            }
        }
        throw LitmusError(.unsupported, line: line, construct: name, "this function is not modelled")
    }

    // MARK: - Final clause

    private mutating func parseFinalClause() throws -> LitmusCondition {
        if current.isIdentifier("locations") {
            _ = advance()
            try expect("[", "after 'locations'")
            while !current.isSymbol("]") {
                if current.kind == .end { throw LitmusError(.syntax, line: current.line, construct: "locations", "'[' not closed") }
                _ = advance()
            }
            _ = advance()
        }
        let line = current.line
        let quantifier: LitmusCondition.Quantifier
        if current.isIdentifier("exists") {
            quantifier = .exists
        } else if current.isSymbol("~") && next.isIdentifier("exists") {
            _ = advance()
            quantifier = .notExists
        } else if current.isIdentifier("forall") {
            quantifier = .forall
        } else if current.isIdentifier("filter") {
            throw LitmusError(.unsupported, line: line, construct: "filter", "filter clauses are not modelled")
        } else {
            throw LitmusError(.syntax, line: line, construct: current.text, "expected 'exists', '~exists' or 'forall'")
        }
        _ = advance()
        let proposition = try parseDisjunction()
        if current.isSymbol(";") { _ = advance() }
        guard current.kind == .end else {
            throw LitmusError(.syntax, line: current.line, construct: current.text, "unexpected text after the final clause")
        }
        return LitmusCondition(quantifier, proposition)
    }

    private mutating func parseDisjunction() throws -> LitmusProposition {
        var left = try parseConjunction()
        while current.isSymbol("\\/") {
            _ = advance()
            left = .or(left, try parseConjunction())
        }
        return left
    }

    private mutating func parseConjunction() throws -> LitmusProposition {
        var left = try parseAtom()
        while current.isSymbol("/\\") {
            _ = advance()
            left = .and(left, try parseAtom())
        }
        return left
    }

    private mutating func parseAtom() throws -> LitmusProposition {
        let token = current
        if token.isSymbol("(") {
            _ = advance()
            let inner = try parseDisjunction()
            try expect(")", "to close the condition")
            return inner
        }
        if token.isSymbol("~") {
            _ = advance()
            return .not(try parseAtom())
        }
        if token.isIdentifier("true") { _ = advance(); return .true }
        if token.isIdentifier("false") { _ = advance(); return .false }
        if token.kind == .number && next.isSymbol(":") {
            let thread = try number(advance())
            _ = advance()
            let register = try identifier("after 'n:' in the condition")
            try expectEquals()
            return .register(thread: thread, name: register, equals: try parseLiteral())
        }
        if token.kind == .identifier {
            _ = advance()
            try expectEquals()
            return .location(token.text, equals: try parseLiteral())
        }
        throw LitmusError(.syntax, line: token.line, construct: token.text, "expected 'n:register=value' or 'location=value' in the condition")
    }

    private mutating func expectEquals() throws {
        if current.isSymbol("=") || current.isSymbol("==") {
            _ = advance()
            return
        }
        throw LitmusError(.syntax, line: current.line, construct: current.text, "expected '=' in the condition")
    }

    private func describe(_ expression: LitmusExpression) -> String { expression.description }
}
