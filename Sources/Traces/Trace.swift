import TransitionSystems

/// A run of a spec: the initial state, then per step the actor, the action with its
/// parameters, and the full state after it.
///
/// Read and written as Apalache's Informal Trace Format (ITF): `vars`, `states`, `#meta`;
/// each step's label sits in its state's `#meta` as `actor`, `action` and `params`.
public struct Trace: Equatable, Sendable {
    /// One state of the trace and, except for the first, the step that led to it.
    public struct Step: Equatable, Sendable {
        /// Who fired the step (`sender[cpu0]`), or `nil` for the initial state.
        public var actor: String?
        /// The action's name, or `nil` for the initial state.
        public var action: String?
        /// The action's own parameters: name and value name, in declaration order.
        public var parameters: [Parameter]
        /// Every variable's value after the step.
        public var values: [String: TraceValue]

        public struct Parameter: Equatable, Sendable {
            public var name: String
            public var value: String

            public init(name: String, value: String) {
                self.name = name
                self.value = value
            }
        }

        public init(actor: String?, action: String?, parameters: [Parameter], values: [String: TraceValue]) {
            self.actor = actor
            self.action = action
            self.parameters = parameters
            self.values = values
        }

        /// `action(p=v, ...)` as reports print it.
        public var label: String {
            guard let action else { return "(initial state)" }
            return parameters.isEmpty ? action : "\(action)(\(parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")))"
        }
    }

    /// The spec's name.
    public var spec: String
    /// The spec variant, if the spec has variants.
    public var variant: String?
    /// The configuration the trace was found at, such as `cpus` and `buffers`.
    public var configuration: [String: String]
    /// The invariant the trace violates, if any.
    public var invariant: String?
    /// The variables, in the spec's order.
    public var variables: [String]
    /// The initial state first, then one per step.
    public var steps: [Step]

    public init(spec: String, variant: String?, configuration: [String: String], invariant: String?,
                variables: [String], steps: [Step]) {
        self.spec = spec
        self.variant = variant
        self.configuration = configuration
        self.invariant = invariant
        self.variables = variables
        self.steps = steps
    }

    /// The number of transitions: one less than the number of states.
    public var depth: Int { max(steps.count - 1, 0) }
}
