import Traces
import TransitionSystems
import TransportSpec
import Vocabulary

/// The transport spec a trace is a run of, built for the trace's configuration and the
/// replayed variant: what each step stands for in the implementation, and what it does in
/// the spec's words.
///
/// A trace's variant and configuration are read strictly (``Trace/transportConfiguration(variant:)``).
struct TraceSpec {
    let configuration: TransportConfiguration
    let instance: TransportSpec.Instance

    /// The parameter of the steps that place the IRQ path or the worker on a CPU, with execution
    /// contexts (Spec/ExecutionContexts.swift `contextCPU`).
    static let placementParameter = "on"

    /// One trace step as the replay takes it.
    enum Mapped {
        /// An environment event the simulation fires: `device:bufN`, `deadline:cpuN`.
        case environment(id: String)
        /// Code of the actor `id` (`cpu0`, `irq`, `worker`) of spec process `process`, beginning
        /// at one of `begins` and running up to one of `ends` (see `ends(of:instance:after:in:)`).
        case code(id: String, process: String, begins: [Operation], ends: Set<Operation>)
    }

    /// The spec of `variant` at the configuration `trace` records; `switches` as the replay runs them.
    init(trace: Trace, variant: Variant, switches: Switches?) throws {
        configuration = try trace.transportConfiguration(variant: variant)
        do {
            instance = try TransportSpec.build(configuration, switches: switches)
        } catch {
            throw TraceError.inconsistent("\(error)")
        }
    }

    /// Per process, action name to what the action does in the spec's words.
    var docs: [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for process in instance.spec.processes {
            result[process.name] = Dictionary(process.actions.map { ($0.name, $0.doc) }, uniquingKeysWith: { first, _ in first })
        }
        return result
    }

    /// How the replay takes step `number` of `trace`, or why it cannot.
    func map(_ number: Int, of trace: Trace) -> Result<Mapped, MappingError> {
        let step = trace.steps[number]
        guard let actor = step.actor, let action = step.action else {
            return .failure(MappingError("the step names no actor or action"))
        }
        let (process, instanceName) = Self.split(actor)
        guard let entry = instance.counterparts.entry(process: process, action: action) else {
            return .failure(MappingError("the \(configuration.variant) spec has no action '\(action)' of '\(process)'"))
        }
        switch entry.counterpart {
        case .deviceReply:
            guard let buffer = step.parameters.first(where: { $0.name == "m" })?.value, buffer.hasPrefix("msg"),
                  let index = Int(buffer.dropFirst(3)) else {
                return .failure(MappingError("the device replies to a buffer named by m=msgK"))
            }
            return .success(.environment(id: "device:buf\(index)"))
        case .deadline:
            guard let cpu = instanceName else { return .failure(MappingError("a deadline belongs to a CPU")) }
            return .success(.environment(id: "deadline:\(cpu)"))
        case .code(let begins):
            let id = instanceName ?? process
            return .success(.code(id: id, process: process, begins: begins, ends: ends(of: process, instance: instanceName, after: number, in: trace)))
        }
    }

    /// The operations that end a step of actor `process[name]` taken at `number`: those that
    /// begin a step the process can take from the program counter the trace shows after it.
    /// A trace of another variant (a schedule replayed on `fixed`) may show a program counter
    /// this variant has no step from; then those that begin the actor's next step in the trace,
    /// or, after its last step, every operation that begins a step of the process.
    private func ends(of process: String, instance name: String?, after number: Int, in trace: Trace) -> Set<Operation> {
        let counterparts = instance.counterparts
        if let pc = instance.spec.processes.first(where: { $0.name == process })?.pc,
           let label = Self.value(of: pc.name, instance: name, in: trace.steps[number].values) {
            let fromThere = counterparts.operations(process: process, at: label)
            if !fromThere.isEmpty { return Set(fromThere) }
        }
        let actor = trace.steps[number].actor
        if let later = trace.steps[(number + 1)...].first(where: { $0.actor == actor }), let action = later.action,
           case .code(let begins)? = counterparts.entry(process: process, action: action)?.counterpart {
            return Set(begins)
        }
        return Set(counterparts.operations(process: process))
    }

    /// `("sender", "cpu1")` for `sender[cpu1]`, `("irq", nil)` for `irq`.
    static func split(_ actor: String) -> (String, String?) {
        guard let open = actor.firstIndex(of: "["), actor.hasSuffix("]") else { return (actor, nil) }
        return (String(actor[..<open]), String(actor[actor.index(after: open)..<actor.index(before: actor.endIndex)]))
    }

    /// The value of `name` (or of its element `instance`) in a trace state, as the trace prints it.
    static func value(of name: String, instance: String?, in values: [String: TraceValue]) -> String? {
        guard let value = values[name] else { return nil }
        guard let instance else { return value.description }
        guard case .map(let entries) = value else { return nil }
        return entries.first { $0.key == .string(instance) }?.value.description
    }
}

extension Trace {
    /// The transport configuration the trace records in `#meta.configuration` (sizes, core,
    /// `contexts` with `irq-cpu`, `shutdown`) for `variant`, read strictly: an unknown name, a
    /// malformed size or setting is a ``TraceError``, never a fallback to a default.
    public func transportConfiguration(variant: Variant) throws -> TransportConfiguration {
        func size(_ key: String) throws -> Int {
            guard let text = self.configuration[key] else { return 2 }
            guard let value = Int(text), value > 0 else {
                throw TraceError.inconsistent("#meta.configuration.\(key) is '\(text)', not a positive number")
            }
            return value
        }
        var core: CoreVersion?
        if let name = self.configuration["core"] {
            do { core = try CoreVersion.named(name) } catch { throw TraceError.inconsistent("\(error)") }
        }
        func setting(_ key: String) throws -> Bool {
            switch self.configuration[key] {
            case nil, "off"?: return false
            case "on"?: return true
            case let text?: throw TraceError.inconsistent("#meta.configuration.\(key) is '\(text)', not on or off")
            }
        }
        let cpus = try size("cpus")
        var contexts: ExecutionContexts?
        if try setting("contexts") {
            switch self.configuration["irq-cpu"] {
            case nil, "any"?: contexts = ExecutionContexts()
            case let text?:
                guard let n = Int(text), (0..<cpus).contains(n) else {
                    throw TraceError.inconsistent("#meta.configuration.irq-cpu is '\(text)', not any or a CPU from 0 to \(cpus - 1)")
                }
                contexts = ExecutionContexts(irqCPU: n)
            }
        } else if let text = self.configuration["irq-cpu"] {
            throw TraceError.inconsistent("#meta.configuration.irq-cpu is '\(text)' without contexts on")
        }
        var tokens: Int?
        if let text = self.configuration["tokens"], text != "unique" {
            guard let n = Int(text), n >= cpus else {
                throw TraceError.inconsistent("#meta.configuration.tokens is '\(text)', not unique or a number of tokens from \(cpus) (the CPUs)")
            }
            tokens = n
        }
        return TransportConfiguration(cpus: cpus, buffers: try size("buffers"), variant: variant, core: core,
                                      contexts: contexts, shutdown: try setting("shutdown"), tokens: tokens)
    }
}
