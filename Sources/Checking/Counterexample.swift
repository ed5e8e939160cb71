import Traces
import TransitionSystems

/// A run that an engine found breaking an invariant: the system's concrete states and the
/// action instances that fired between them. It is what the engine found and nothing else;
/// the caller names the run's variant and configuration when it turns it into a ``Trace``
/// (``Trace/init(system:counterexample:variant:configuration:invariant:)``).
public struct Counterexample: Sendable {
    /// One step of the run: the instance that fired and the state it led to.
    public struct Step: Sendable {
        public let instance: ActionInstance
        public let state: State
    }

    /// `states[0]` is initial; `states[i]` is reached by `instances[i - 1]`.
    public let states: [State]
    /// The instances that fired, one per step.
    public let instances: [ActionInstance]

    public init(states: [State], instances: [ActionInstance]) {
        precondition(states.count == instances.count + 1, "a counterexample has one more state than steps")
        self.states = states
        self.instances = instances
    }

    /// The run of `system` through `states` by the instances numbered `instances`.
    public init(system: TransitionSystem, states: [State], instances: [Int]) {
        self.init(states: states, instances: instances.map { system.instances[$0] })
    }

    /// The number of transitions: one less than the number of states.
    public var depth: Int { instances.count }

    /// The initial state.
    public var initial: State { states[0] }

    /// Each step after the initial state.
    public var steps: [Step] {
        zip(instances, states.dropFirst()).map { Step(instance: $0, state: $1) }
    }
}

extension Trace {
    /// The trace of `counterexample`, a run of `system`, labelled with what the caller knows of
    /// the run: the spec's variant and configuration, and the invariant it breaks.
    public init(system: TransitionSystem, counterexample: Counterexample, variant: String? = nil,
                configuration: [String: String] = [:], invariant: String? = nil) {
        self.init(system: system, states: counterexample.states, instances: counterexample.instances.map(\.id),
                  variant: variant, configuration: configuration, invariant: invariant)
    }
}

extension CheckResult {
    /// The counterexample as a trace of `system` breaking ``invariant``, labelled with `variant`
    /// and `configuration`; `nil` unless the result is a violation.
    public func trace(in system: TransitionSystem, variant: String? = nil,
                      configuration: [String: String] = [:]) -> Trace? {
        counterexample.map { Trace(system: system, counterexample: $0, variant: variant, configuration: configuration,
                                   invariant: invariant) }
    }
}
