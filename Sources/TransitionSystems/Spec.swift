/// A specification: state variables, processes with their steps, initial conditions and invariants.
///
/// A `Spec` is plain data built by ``SpecBuilder``; load it into a ``TransitionSystem``
/// to check it for mistakes a compiler cannot catch and to run it.
///
/// ```swift
/// let spec = Spec("counter") {
///     count
///     Process("ticker") { _ in Step("tick") { Guard(count.value < 3); count.value <- count.value + 1 } }
///     Invariant("bounded", "The count never passes 3.") { count.value <= 3 }
/// }
/// ```
public struct Spec: Sendable {
    public var name: String
    public var doc: String
    public var variables: [Variable]
    public var processes: [Process]
    public var invariants: [Invariant]
    /// Extra conditions on initial states, for variables declared with an arbitrary initial value.
    public var initially: [Expr]
    /// Domains whose values are interchangeable (CPUs, buffers): renaming them maps every step to a
    /// step and keeps every invariant's truth. The explicit engine then stores one state per
    /// class of renamed states; the claim is checked on the states it explores (see ``Symmetry``).
    public var symmetric: [Domain]
    /// The variables declared weak and the memory model the spec is meant for; `nil`: sequential consistency.
    public var weakMemory: WeakMemoryDeclaration?

    public init(_ name: String, doc: String = "", symmetric: [Domain] = [], @SpecBuilder _ body: () -> [SpecPart]) {
        self.name = name
        self.doc = doc
        self.symmetric = symmetric
        self.variables = []
        self.processes = []
        self.invariants = []
        self.initially = []
        for part in body() {
            switch part {
            case .variable(let v): variables.append(v)
            case .process(let p):
                processes.append(p)
                if let pc = p.pc { variables.append(pc) }
            case .invariant(let i): invariants.append(i)
            case .initially(let e): initially.append(e)
            case .weakMemory(let declaration): weakMemory = declaration
            }
        }
    }

    /// Every action of every process, in declaration order.
    public var actions: [Action] { processes.flatMap(\.actions) }

    /// The invariants checked for themselves.
    public var properties: [Invariant] { invariants.filter { $0.role == .invariant } }

    /// The auxiliary invariants.
    public var lemmas: [Invariant] { invariants.filter { $0.role == .lemma } }

    /// The invariant named `name`, property or lemma.
    public func invariant(named name: String) -> Invariant? {
        invariants.first { $0.name == name }
    }
}

/// One declaration in a ``Spec`` body.
public enum SpecPart: Sendable {
    case variable(Variable)
    case process(Process)
    case invariant(Invariant)
    case initially(Expr)
    case weakMemory(WeakMemoryDeclaration)
}

/// A constraint on initial states.
public func Initially(_ condition: Expr) -> SpecPart { .initially(condition) }

/// Builds a spec's body from variables, processes, invariants, lemmas and `Initially` constraints,
/// with `if`, `if`/`else` and `for` for declarations that depend on the configuration.
@resultBuilder
public enum SpecBuilder {
    public static func buildExpression(_ v: Variable) -> [SpecPart] { [.variable(v)] }
    public static func buildExpression(_ vs: [Variable]) -> [SpecPart] { vs.map(SpecPart.variable) }
    public static func buildExpression(_ p: Process) -> [SpecPart] { [.process(p)] }
    public static func buildExpression(_ i: Invariant) -> [SpecPart] { [.invariant(i)] }
    public static func buildExpression(_ is: [Invariant]) -> [SpecPart] { `is`.map(SpecPart.invariant) }
    public static func buildExpression(_ part: SpecPart) -> [SpecPart] { [part] }
    public static func buildExpression(_ declaration: WeakMemoryDeclaration) -> [SpecPart] { [.weakMemory(declaration)] }
    public static func buildBlock(_ parts: [SpecPart]...) -> [SpecPart] { parts.flatMap { $0 } }
    public static func buildOptional(_ parts: [SpecPart]?) -> [SpecPart] { parts ?? [] }
    public static func buildEither(first parts: [SpecPart]) -> [SpecPart] { parts }
    public static func buildEither(second parts: [SpecPart]) -> [SpecPart] { parts }
    public static func buildArray(_ parts: [[SpecPart]]) -> [SpecPart] { parts.flatMap { $0 } }
}
