/// A process of the spec: one actor (the device, the IRQ path) or one per instance of a domain (a sender per CPU).
///
/// A process with labels gets a program-counter variable, `NAME_pc`, that starts at
/// the first label; a step's `from:` adds the guard "the program counter is there",
/// its `to:` (or a `Goto` in its body) moves it.
///
/// ```swift
/// let sender = Process("sender", over: CPU, named: "cpu", labels: ["idle", "polling"]) { cpu in
///     Step("send", from: "idle", to: "polling") { inFlight[cpu] <- true }
/// }
/// ```
public struct Process: Sendable {
    /// The actor's name in traces.
    public let name: String
    /// The instance parameter, for a process that runs once per value of a domain.
    public let instance: Parameter?
    /// The program-counter variable, if the process has labels.
    public let pc: Variable?
    /// The process's actions, in declaration order.
    public let actions: [Action]

    public init(
        _ name: String, over domain: Domain? = nil, named instanceName: String? = nil, labels: [String] = [],
        @StepBuilder steps: (Expr) -> [Step]
    ) {
        self.name = name
        let instance = domain.map { Parameter(instanceName ?? name.lowercased(), $0) }
        self.instance = instance
        let pc: Variable? = labels.isEmpty ? nil : {
            let pcDomain = Domain.enumeration("\(name).label", labels)
            if let domain = instance?.domain {
                return Variable("\(name)_pc", pcDomain, indexedBy: domain, initial: pcDomain[labels[0]], doc: "Where each \(name) is.")
            }
            return Variable("\(name)_pc", pcDomain, initial: pcDomain[labels[0]], doc: "Where the \(name) is.")
        }()
        self.pc = pc
        let selfExpr = Expr.parameter(instance?.name ?? "self")
        self.actions = steps(selfExpr).map { step in
            Process.action(for: step, process: name, instance: instance, pc: pc, selfExpr: selfExpr)
        }
    }

    /// Holds when the instance `instance` (omit for a single process) is at `label`.
    public func at(_ label: String, _ instance: Expr? = nil) -> Expr {
        guard let pc else { return .literal(domain: .boolean, value: "\(name) has no labels") }
        return pcValue(pc, instance) == pc.domain[label]
    }

    private func pcValue(_ pc: Variable, _ instance: Expr?) -> Expr {
        if let instance { return pc[instance] }
        return pc.value
    }

    private static func action(for step: Step, process: String, instance: Parameter?, pc: Variable?, selfExpr: Expr) -> Action {
        var action = Action(
            name: step.name, actor: process, instance: instance, parameters: step.parameters,
            doc: step.doc, source: step.source
        )
        let pcTarget: Expr? = pc.map { instance == nil ? $0.value : $0[selfExpr] }
        func resolveGoto(_ update: Update) -> Update {
            switch update {
            case .assign: return update
            case .when(let c, let t, let e): return .when(c, then: t.map(resolveGoto), otherwise: e.map(resolveGoto))
            case .goto(let label):
                guard let pc, let pcTarget else {
                    action.problems.append("Goto(\"\(label)\") in a process without labels")
                    return .when(.bool(false), then: [], otherwise: [])
                }
                return .assign(target: pcTarget, value: pc.domain[label])
            }
        }
        if let from = step.from {
            if let pc, let pcTarget { action.guards.append(pcTarget == pc.domain[from]) }
            else { action.problems.append("from: \"\(from)\" in a process without labels") }
        }
        for part in step.parts {
            switch part {
            case .guardCondition(let condition): action.guards.append(condition)
            case .update(let update): action.updates.append(resolveGoto(update))
            case .misplaced(let what): action.problems.append(what)
            case .access(let access): action.accesses.append(access)
            }
        }
        if let to = step.to {
            if let pc, let pcTarget { action.updates.append(.assign(target: pcTarget, value: pc.domain[to])) }
            else { action.problems.append("to: \"\(to)\" in a process without labels") }
        }
        return action
    }
}
