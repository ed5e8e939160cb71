/// One assignment of a ground action: `target := value` when `condition` holds.
public struct GroundUpdate: Sendable {
    /// Where the value goes.
    public enum Target: Sendable, Hashable {
        /// A slot known when the spec is loaded.
        case slot(Int)
        /// `slots[index - indexLowerBound]`: an element whose index is only known in a state.
        case select(slots: [Int], index: GroundTerm, indexLowerBound: Int)
    }

    public let target: Target
    public let value: GroundTerm
    /// Holds when the update applies (the conditions of the enclosing `If` blocks).
    public let condition: GroundTerm
    /// The target's domain: the value must stay within it.
    public let domain: Domain
    /// The update as the spec wrote it, for messages.
    public let text: String
}

/// An action with every parameter bound to a value: one choice the system can make.
///
/// Engines work with instances, never with parameters: a model names the instance
/// that fired, a trace step names its actor, action and arguments.
public struct ActionInstance: Sendable {
    /// One bound parameter.
    public struct Argument: Sendable, Hashable {
        public let name: String
        public let value: String
        public let runtimeValue: Int
    }

    /// The instance's position in ``TransitionSystem/instances``.
    public let id: Int
    /// The action's position in the spec's list of actions.
    public let actionIndex: Int
    /// The actor that fires it: the process name, with the instance for replicated processes (`sender[cpu0]`).
    public let actor: String
    /// The action's name.
    public let action: String
    /// The action's own parameters (the instance is part of ``actor``).
    public let arguments: [Argument]
    /// Holds in the states where the instance is enabled.
    public let guardTerm: GroundTerm
    public let updates: [GroundUpdate]
    /// Holds when firing the instance keeps every index and value inside its domain and
    /// writes no slot twice; the interpreter reports a runtime error where it does not.
    public let wellDefined: GroundTerm

    /// `action(name=value, ...)`, as traces print it.
    public var label: String {
        arguments.isEmpty ? action : "\(action)(\(arguments.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")))"
    }
}

/// An invariant or lemma with its condition grounded.
public struct CompiledInvariant: Sendable {
    public let invariant: Invariant
    public let term: GroundTerm

    public var name: String { invariant.name }
}
