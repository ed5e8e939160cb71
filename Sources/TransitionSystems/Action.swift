/// A parameter of an action: a name bound to each value of a finite domain in turn.
public struct Parameter: Sendable {
    public let name: String
    public let domain: Domain

    public init(_ name: String, _ domain: Domain) {
        self.name = name
        self.domain = domain
    }
}

/// A change an action makes to the state, evaluated on the state before the action.
///
/// All right-hand sides of one action read the state as it was before the action
/// (simultaneous assignment, as in TLA+): write the value a variable will have,
/// not a sequence of statements. Writing one variable twice in one action is an
/// error reported when the spec is loaded, or when the action runs if the indices
/// are only known then.
public indirect enum Update: Sendable {
    /// `target := value`; `target` is a variable or an array element.
    case assign(target: Expr, value: Expr)
    /// The first list when the condition holds, else the second.
    case when(Expr, then: [Update], otherwise: [Update])
    /// Moves the process's program counter to the label; only inside a process with labels.
    case goto(String)
}

/// A guarded atomic action of a process, with parameters.
///
/// An action is enabled in a state when every guard holds; it then changes the
/// state by its updates, all at once. An action of a process that runs on several
/// instances (one per CPU) is parameterised by the instance too.
public struct Action: Sendable {
    /// The action's name, unique within its process.
    public var name: String
    /// The process the action belongs to: the actor in traces.
    public var actor: String
    /// The process instance parameter, for processes that run on several instances.
    public var instance: Parameter?
    /// The action's own parameters.
    public var parameters: [Parameter]
    /// Conditions that must all hold for the action to be enabled.
    public var guards: [Expr]
    /// What the action changes.
    public var updates: [Update]
    /// What the action does, in plain words.
    public var doc: String
    /// The lines of the real code the action stands for, for example `virtio.c: virtio_poll_done(), the get_buf loop`.
    public var source: String
    /// How the action accesses weak memory, in the kernel's terms; only a memory model other than
    /// sequential consistency reads them (``Access``).
    public var accesses: [Access] = []
    /// Mistakes found while the action was built, reported when the spec is loaded.
    public var problems: [String] = []

    public init(
        name: String, actor: String, instance: Parameter? = nil, parameters: [Parameter] = [],
        guards: [Expr] = [], updates: [Update] = [], doc: String = "", source: String = ""
    ) {
        self.name = name
        self.actor = actor
        self.instance = instance
        self.parameters = parameters
        self.guards = guards
        self.updates = updates
        self.doc = doc
        self.source = source
    }

    /// Every parameter, the instance first.
    public var allParameters: [Parameter] {
        (instance.map { [$0] } ?? []) + parameters
    }

    /// `process.action`, the name used in messages.
    public var qualifiedName: String { "\(actor).\(name)" }
}
