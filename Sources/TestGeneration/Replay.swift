import Traces
import VirtioSCMI
import Vocabulary

/// Replays `trace`, a run of the transport spec, against the channel implementation of `variant`.
///
/// Each spec step advances one actor of a `ChannelSimulation` through the scheduling points
/// of the matching kernel code (the spec's ``StepCounterparts``), or fires one environment
/// event (a device reply, a deadline). With `options.comparesState` the implementation's
/// state, abstracted to the spec's variables, is compared with the trace's after every step.
/// Violations the implementation records are attributed to the spec step during which they
/// happened; the replay also observes `no-lost-wakeup` and `no-leak-at-quiescence` on its
/// snapshots. Throws a ``TraceError`` when the trace's configuration names an unknown core
/// or malformed sizes.
public func replay(trace: Trace, variant: Variant, options: ReplayOptions = .conformance) throws -> ReplayOutcome {
    try TraceReplayer(trace: trace, variant: variant, options: options).run()
}

/// Replays `trace` against the implementation of the variant named `name` (the trace's own
/// when nil); throws ``TraceError/inconsistent(_:)`` when there is no such variant.
public func replay(trace: Trace, variantNamed name: String?, options: ReplayOptions = .conformance) throws -> ReplayOutcome {
    guard let name = name ?? trace.variant else {
        throw TraceError.inconsistent("the trace names no variant in #meta.variant; give one")
    }
    do {
        return try replay(trace: trace, variant: try Variant.named(name), options: options)
    } catch let error as VocabularyError {
        throw TraceError.inconsistent(error.message)
    }
}
