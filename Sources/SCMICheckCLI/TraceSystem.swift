import Traces
import TransitionSystems
import WeakMemory

/// The transition system a trace file is a run of.
enum TraceSystem {
    /// The system of `spec`, or, when `trace` names a weak memory model in
    /// `#meta.configuration.memory-model`, of the spec's weak-memory transformation (whose extra
    /// variables and `weak.read`/`weak.write` parameters the trace carries).
    static func of(_ trace: Trace, spec: Spec, file: String) throws -> TransitionSystem {
        guard let name = trace.configuration["memory-model"] else { return try TransitionSystem(spec) }
        guard let model = MemoryModelKind(rawValue: name) else {
            throw UsageError("\(file): #meta.configuration.memory-model is '\(name)', not one of \(MemoryModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        switch model {
        case .sc: return try TransitionSystem(spec)
        case .lkmmNoLB: return try TransitionSystem(try WeakMemoryTransformation(spec).transformed())
        }
    }
}
