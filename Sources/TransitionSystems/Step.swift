/// One part of a step's body, as written in an ``ActionBuilder`` block.
public enum ActionPart: Sendable {
    case guardCondition(Expr)
    case update(Update)
    /// How the step accesses weak memory (``Access``); ignored under sequential consistency.
    case access(Access)
    /// Something written where it has no meaning, such as a `Guard` inside `If`; reported when the spec is loaded.
    case misplaced(String)
}

/// A guard: the step is enabled only in states where the condition holds.
public func Guard(_ condition: Expr) -> ActionPart { .guardCondition(condition) }

/// Moves the process's program counter to `label` (instead of a step's `to:`).
public func Goto(_ label: String) -> ActionPart { .update(.goto(label)) }

infix operator <- : AssignmentPrecedence

/// `target <- value`: the target (a variable or an array element) takes the value.
public func <- (target: Expr, value: Expr) -> ActionPart {
    .update(.assign(target: target, value: value))
}

/// Updates that apply only when `condition` holds, and others when it does not.
public func If(
    _ condition: Expr,
    @ActionBuilder then: () -> [ActionPart],
    @ActionBuilder else otherwise: () -> [ActionPart] = { [] }
) -> ActionPart {
    let branches = (then(), otherwise())
    for part in branches.0 + branches.1 {
        switch part {
        case .guardCondition: return .misplaced("a Guard inside an If block (guards belong at the top of a step)")
        case .misplaced(let what): return .misplaced(what)
        case .access: return .misplaced("a memory access annotation inside an If block (annotations belong at the top of a step)")
        case .update: continue
        }
    }
    func updates(_ parts: [ActionPart]) -> [Update] {
        parts.compactMap { if case .update(let u) = $0 { return u } else { return nil } }
    }
    return .update(.when(condition, then: updates(branches.0), otherwise: updates(branches.1)))
}

/// Builds a step's body: guards (`Guard(...)`), assignments (`x <- e`), `If` blocks and `Goto`.
///
/// ```swift
/// Step("free", Parameter("m", Msg), from: "release", to: "idle") { m in
///     Guard(users[m] > 0)
///     users[m] <- users[m] - 1
/// }
/// ```
@resultBuilder
public enum ActionBuilder {
    public static func buildExpression(_ part: ActionPart) -> [ActionPart] { [part] }
    public static func buildExpression(_ parts: [ActionPart]) -> [ActionPart] { parts }
    public static func buildBlock(_ parts: [ActionPart]...) -> [ActionPart] { parts.flatMap { $0 } }
    public static func buildOptional(_ parts: [ActionPart]?) -> [ActionPart] { parts ?? [] }
    public static func buildEither(first parts: [ActionPart]) -> [ActionPart] { parts }
    public static func buildEither(second parts: [ActionPart]) -> [ActionPart] { parts }
    public static func buildArray(_ parts: [[ActionPart]]) -> [ActionPart] { parts.flatMap { $0 } }
}

/// A step of a process before it is placed in one: a name, parameters, program-counter labels and a body.
///
/// The body is built once, when the step is declared, with each parameter standing for
/// itself; the process then adds its program-counter guard and update.
public struct Step: Sendable {
    public let name: String
    public let parameters: [Parameter]
    public let from: String?
    public let to: String?
    public let doc: String
    public let source: String
    let parts: [ActionPart]

    /// A step with no parameters of its own.
    public init(
        _ name: String, from: String? = nil, to: String? = nil, doc: String = "", source: String = "",
        @ActionBuilder _ body: () -> [ActionPart]
    ) {
        self.init(name, parameters: [], from: from, to: to, doc: doc, source: source) { _ in body() }
    }

    /// A step with one parameter.
    public init(
        _ name: String, _ p: Parameter, from: String? = nil, to: String? = nil, doc: String = "", source: String = "",
        @ActionBuilder _ body: (Expr) -> [ActionPart]
    ) {
        self.init(name, parameters: [p], from: from, to: to, doc: doc, source: source) { args in body(args[0]) }
    }

    /// A step with two parameters.
    public init(
        _ name: String, _ p: Parameter, _ q: Parameter, from: String? = nil, to: String? = nil, doc: String = "",
        source: String = "", @ActionBuilder _ body: (Expr, Expr) -> [ActionPart]
    ) {
        self.init(name, parameters: [p, q], from: from, to: to, doc: doc, source: source) { args in body(args[0], args[1]) }
    }

    /// A step with any number of parameters, given to the body in order.
    public init(
        _ name: String, parameters: [Parameter], from: String? = nil, to: String? = nil, doc: String = "",
        source: String = "", body: ([Expr]) -> [ActionPart]
    ) {
        self.name = name
        self.parameters = parameters
        self.from = from
        self.to = to
        self.doc = doc
        self.source = source
        self.parts = body(parameters.map { Expr.parameter($0.name) })
    }
}

/// Builds a process's list of steps.
@resultBuilder
public enum StepBuilder {
    public static func buildExpression(_ step: Step) -> [Step] { [step] }
    public static func buildExpression(_ steps: [Step]) -> [Step] { steps }
    public static func buildBlock(_ steps: [Step]...) -> [Step] { steps.flatMap { $0 } }
    public static func buildOptional(_ steps: [Step]?) -> [Step] { steps ?? [] }
    public static func buildEither(first steps: [Step]) -> [Step] { steps }
    public static func buildEither(second steps: [Step]) -> [Step] { steps }
    public static func buildArray(_ steps: [[Step]]) -> [Step] { steps.flatMap { $0 } }
}
