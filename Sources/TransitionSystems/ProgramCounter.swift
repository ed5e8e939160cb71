/// A process's program-counter labels as an enum, so that steps name them by case, not by string.
///
/// ```swift
/// enum Mutex: String, ProgramCounter { case idle, critical }
/// Process("proc", over: P, named: "p", labels: Mutex.self) { p in
///     Step("enter", from: Mutex.idle, to: Mutex.critical) { ... }
/// }
/// ```
/// The first case is where the process starts; the cases' raw values are the labels traces show.
public protocol ProgramCounter: RawRepresentable, CaseIterable, Sendable where RawValue == String {}

/// Moves the process's program counter to `label`.
public func Goto<L: ProgramCounter>(_ label: L) -> ActionPart { Goto(label.rawValue) }

extension Step {
    /// A step with no parameters, between typed labels.
    public init<L: ProgramCounter>(
        _ name: String, from: L, to: L? = nil, doc: String = "", source: String = "",
        @ActionBuilder _ body: () -> [ActionPart]
    ) {
        self.init(name, from: from.rawValue, to: to?.rawValue, doc: doc, source: source, body)
    }

    /// A step with one parameter, between typed labels.
    public init<L: ProgramCounter>(
        _ name: String, _ p: Parameter, from: L, to: L? = nil, doc: String = "", source: String = "",
        @ActionBuilder _ body: (Expr) -> [ActionPart]
    ) {
        self.init(name, p, from: from.rawValue, to: to?.rawValue, doc: doc, source: source, body)
    }
}

extension Process {
    /// A process whose labels are the cases of `labels`, in declaration order.
    public init<L: ProgramCounter>(
        _ name: String, over domain: Domain? = nil, named instanceName: String? = nil, labels: L.Type,
        @StepBuilder steps: (Expr) -> [Step]
    ) {
        self.init(name, over: domain, named: instanceName, labels: L.allCases.map(\.rawValue), steps: steps)
    }

    /// Holds when the instance `instance` (omit for a single process) is at `label`.
    public func at<L: ProgramCounter>(_ label: L, _ instance: Expr? = nil) -> Expr {
        at(label.rawValue, instance)
    }
}
