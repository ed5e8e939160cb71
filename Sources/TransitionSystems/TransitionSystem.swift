/// A spec loaded for checking: its state layout, its ground action instances and its
/// grounded invariants and initial conditions.
///
/// Loading checks the spec for the mistakes a compiler cannot catch and reports them
/// all at once, in the spec's own names. The result is immutable and shared by every
/// engine: the concrete interpreter, the explicit-state search, the Z3 encoding.
public final class TransitionSystem: Sendable {
    public let spec: Spec
    public let layout: StateLayout
    /// Every action with every parameter bound, in declaration order.
    public let instances: [ActionInstance]
    /// Each slot's initial value, or `nil` when any value of its domain may start.
    public let initialValues: [GroundTerm?]
    /// Extra conditions every initial state satisfies.
    public let initialConstraints: [GroundTerm]
    /// Properties and lemmas, in declaration order.
    public let invariants: [CompiledInvariant]

    /// Loads `spec`, or throws ``SpecError/invalid(spec:problems:)`` listing every mistake found.
    public init(_ spec: Spec) throws {
        self.spec = spec
        var problems: [String] = []
        let layout = StateLayout(variables: spec.variables)
        self.layout = layout
        let grounder = Grounder(layout: layout)

        Self.checkDeclarations(spec, &problems)

        // Initial values.
        var initialValues: [GroundTerm?] = Array(repeating: nil, count: layout.count)
        for (v, variable) in spec.variables.enumerated() where layout.variable(named: variable.name) == v {
            let slots = Array(layout.slots(of: v))
            for (position, slot) in slots.enumerated() {
                var scope: [String: Grounder.Binding] = [:]
                let expr: Expr
                switch variable.initial {
                case .any: continue
                case .value(let e): expr = e
                case .each(let binder, let e):
                    expr = e
                    if let index = variable.index {
                        scope[binder] = .init(value: index.lowerBound + position, domain: index)
                    }
                }
                do {
                    initialValues[slot] = try grounder.value(expr, for: variable.domain, scope, "the initial value of '\(layout.slots[slot].name)'")
                    if initialValues[slot]?.constantValue == nil {
                        problems.append("the initial value of '\(layout.slots[slot].name)' must not depend on the state: \(expr)")
                    }
                } catch let failure as Grounder.Failure {
                    problems.append("variable '\(variable.name)': \(failure.message)")
                    break
                } catch {}
            }
        }
        self.initialValues = initialValues
        self.initialConstraints = spec.initially.compactMap { expr in
            do { return try grounder.boolean(expr, [:]) } catch let failure as Grounder.Failure {
                problems.append("initial condition \(expr): \(failure.message)")
            } catch {}
            return nil
        }

        // Actions.
        var instances: [ActionInstance] = []
        for (actionIndex, action) in spec.actions.enumerated() {
            let place = "action '\(action.qualifiedName)'"
            problems.append(contentsOf: action.problems.map { "\(place): \($0)" })
            for assignment in Self.assignments(of: action.allParameters) {
                var scope: [String: Grounder.Binding] = [:]
                for (parameter, value) in zip(action.allParameters, assignment) {
                    scope[parameter.name] = .init(value: value, domain: parameter.domain)
                }
                do {
                    let instance = try Self.instance(action, actionIndex, assignment, scope, grounder, id: instances.count)
                    instances.append(instance)
                } catch let failure as Grounder.Failure {
                    problems.append("\(place): \(failure.message)")
                    break
                } catch {}
            }
        }
        self.instances = instances

        // Invariants.
        self.invariants = spec.invariants.compactMap { invariant in
            do { return CompiledInvariant(invariant: invariant, term: try grounder.boolean(invariant.condition, [:])) }
            catch let failure as Grounder.Failure { problems.append("invariant '\(invariant.name)': \(failure.message)") }
            catch {}
            return nil
        }

        if !problems.isEmpty { throw SpecError.invalid(spec: spec.name, problems: problems) }
    }

    /// The invariant or lemma named `name`.
    public func invariant(named name: String) -> CompiledInvariant? {
        invariants.first { $0.name == name }
    }

    /// The instance fired by `actor` running `action` with `arguments` (parameter name to value name).
    public func instance(actor: String, action: String, arguments: [String: String]) -> ActionInstance? {
        instances.first { instance in
            instance.actor == actor && instance.action == action && instance.arguments.count == arguments.count
                && instance.arguments.allSatisfy { arguments[$0.name] == $0.value }
        }
    }

    // MARK: - Loading

    private static func checkDeclarations(_ spec: Spec, _ problems: inout [String]) {
        func duplicates(_ names: [String]) -> [String] {
            var seen = Set<String>(), repeated: [String] = []
            for name in names where !seen.insert(name).inserted && !repeated.contains(name) { repeated.append(name) }
            return repeated
        }
        for name in duplicates(spec.variables.map(\.name)) { problems.append("variable '\(name)' is declared twice") }
        for name in duplicates(spec.processes.map(\.name)) { problems.append("process '\(name)' is declared twice") }
        for name in duplicates(spec.actions.map(\.qualifiedName)) { problems.append("action '\(name)' is declared twice") }
        for name in duplicates(spec.invariants.map(\.name)) { problems.append("invariant '\(name)' is declared twice") }
        for variable in spec.variables {
            for domain in [variable.domain] + (variable.index.map { [$0] } ?? []) {
                if domain.size == 0 { problems.append("variable '\(variable.name)': domain \(domain.name) is empty") }
                if domain.size > 256 { problems.append("variable '\(variable.name)': domain \(domain.name) has \(domain.size) values; at most 256 are supported") }
            }
        }
        for action in spec.actions {
            let names = action.allParameters.map(\.name)
            for name in duplicates(names) { problems.append("action '\(action.qualifiedName)': parameter '\(name)' is declared twice") }
        }
    }

    private static func assignments(of parameters: [Parameter]) -> [[Int]] {
        parameters.reduce([[]]) { partial, parameter in
            partial.flatMap { prefix in
                (0..<parameter.domain.size).map { prefix + [parameter.domain.lowerBound + $0] }
            }
        }
    }

    private static func instance(
        _ action: Action, _ actionIndex: Int, _ assignment: [Int], _ scope: [String: Grounder.Binding],
        _ grounder: Grounder, id: Int
    ) throws -> ActionInstance {
        let guardTerm = GroundTerm.makeAnd(try action.guards.map { try grounder.boolean($0, scope) })
        let flattened = try grounder.updates(action.updates, scope)
        var wellDefined: [GroundTerm] = []
        for (i, (a, pathA)) in flattened.enumerated() {
            // Values and dynamic indices stay inside their domains.
            var inRange: [GroundTerm] = []
            if a.value.constantValue == nil {
                inRange.append(.makeLessOrEqual(.constant(a.domain.lowerBound), a.value))
                inRange.append(.makeLessOrEqual(a.value, .constant(a.domain.upperBound)))
            }
            if case .select(let slots, let index, let lower) = a.target {
                inRange.append(.makeLessOrEqual(.constant(lower), index))
                inRange.append(.makeLessOrEqual(index, .constant(lower + slots.count - 1)))
            }
            if !inRange.isEmpty { wellDefined.append(.makeOr([.makeNot(a.condition), .makeAnd(inRange)])) }
            // No slot written twice.
            for (b, pathB) in flattened[(i + 1)...] where Grounder.compatible(pathA, pathB) {
                switch (a.target, b.target) {
                case (.slot(let x), .slot(let y)) where x == y:
                    throw Grounder.Failure(message: "writes '\(grounder.layout.slots[x].name)' twice (\(a.text) and \(b.text)); use If/else for alternatives")
                case (.select(let xs, let ix, let lx), .select(let ys, let iy, _)) where xs == ys:
                    if ix == iy { throw Grounder.Failure(message: "writes the same element twice (\(a.text) and \(b.text))") }
                    wellDefined.append(.makeOr([.makeNot(a.condition), .makeNot(b.condition), .makeNot(.makeEqual(ix, iy))]))
                    _ = lx
                case (.select(let xs, let index, let lower), .slot(let y)), (.slot(let y), .select(let xs, let index, let lower)):
                    if let position = xs.firstIndex(of: y) {
                        wellDefined.append(.makeOr([.makeNot(a.condition), .makeNot(b.condition),
                                                    .makeNot(.makeEqual(index, .constant(lower + position)))]))
                    }
                default: continue
                }
            }
        }
        let arguments = zip(action.parameters, assignment.suffix(action.parameters.count)).map { parameter, value in
            ActionInstance.Argument(name: parameter.name, value: parameter.domain.name(ofRuntimeValue: value), runtimeValue: value)
        }
        var actor = action.actor
        if let instance = action.instance, let value = assignment.first {
            actor += "[\(instance.domain.name(ofRuntimeValue: value))]"
        }
        return ActionInstance(
            id: id, actionIndex: actionIndex, actor: actor, action: action.name, arguments: arguments,
            guardTerm: guardTerm, updates: flattened.map(\.0), wellDefined: .makeAnd(wellDefined)
        )
    }
}
