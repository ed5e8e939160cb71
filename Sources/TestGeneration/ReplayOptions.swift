import VirtioSCMI
import Vocabulary

/// How ``replay(trace:variant:options:)`` runs a trace against the implementation.
public struct ReplayOptions: Sendable {
    /// The channel's switches; the variant's own when nil. Tests turn one fix off this way.
    public var switches: Switches?
    /// Whether to compare the implementation's state with the trace's after every step.
    /// Off for a schedule replayed on a variant other than the trace's, whose states differ.
    public var comparesState: Bool
    /// Whether a step the implementation cannot take is skipped (and recorded) rather than
    /// ending the replay as a divergence.
    public var skipsStepsItCannotTake: Bool
    /// The most scheduling points one spec step may run through.
    public var maximumPointsPerStep: Int
    /// Which write the implementation's weak reads observe.
    public var weakReads: WeakReads = .asTraced

    /// Which write the implementation's weak reads (a buffer's `rx_len`) observe in a replay.
    public enum WeakReads: String, Sendable {
        /// The write the trace's step took (its `weak.read` parameter, counted back from the
        /// newest write of the element); a trace without weak reads observes the newest.
        case asTraced
        /// Always the newest write: sequential consistency, whatever the trace took (to show
        /// that a weak trace's violation needs its stale read).
        case newest
    }

    public init(switches: Switches? = nil, comparesState: Bool = true, skipsStepsItCannotTake: Bool = false,
                maximumPointsPerStep: Int = 200) {
        self.switches = switches
        self.comparesState = comparesState
        self.skipsStepsItCannotTake = skipsStepsItCannotTake
        self.maximumPointsPerStep = maximumPointsPerStep
    }

    /// Conformance: the trace's own variant, every step taken, the state compared after each.
    public static let conformance = ReplayOptions()

    /// The trace's schedule on another variant, as far as it applies: steps an actor cannot
    /// take are skipped, states are not compared.
    public static let schedule = ReplayOptions(comparesState: false, skipsStepsItCannotTake: true)
}
