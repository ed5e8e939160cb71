import Traces
import VirtioSCMI
import Vocabulary

/// Replays `trace`, a run of the transport spec, against the channel implementation of `variant`.
///
/// Each spec step advances one actor of a `ChannelSimulation` through the scheduling points
/// of the matching kernel code (see `StepMapping`), or fires one environment event (a device
/// reply, a deadline). With `options.comparesState` the implementation's state, abstracted
/// to the spec's variables, is compared with the trace's after every step. Violations the
/// implementation records are attributed to the spec step during which they happened; the
/// replay also observes `no-lost-wakeup` and `no-leak-at-quiescence` on its snapshots.
public func replay(trace: Trace, variant: Variant, options: ReplayOptions = .conformance) -> ReplayOutcome {
    TraceReplayer(trace: trace, variant: variant, options: options).run()
}

/// Replays `trace` against the implementation of the variant named `name` (the trace's own
/// when nil); throws ``TraceError/inconsistent(_:)`` when the implementation has no such variant.
public func replay(trace: Trace, variantNamed name: String?, options: ReplayOptions = .conformance) throws -> ReplayOutcome {
    replay(trace: trace, variant: try Variant.named(name ?? trace.variant), options: options)
}
