import Scheduling
import Vocabulary

/// Collects property violations, each with the step and actor at which it happened.
///
/// Recording never stops the process. Once `stopRecording()` has been called (a controlled
/// run being torn down after its schedule ended) nothing more is kept.
public final class ViolationRecorder: @unchecked Sendable {
    private let platform: Platform
    private let lock = PlainLock()
    private var recorded: [Violation] = []
    private var recording = true
    private var dropped = 0

    /// The most violations kept; later ones are only counted.
    public let capacity: Int

    /// Called with each violation as it is recorded (the stress tool prints them).
    public var onRecord: ((Violation) -> Void)?

    public init(platform: Platform, capacity: Int = 1_000) {
        self.platform = platform
        self.capacity = capacity
    }

    /// Records a violation of `property` at the current step, by the running actor unless
    /// `actor` names who found it (the quiescence check).
    public func record(_ property: Property, _ message: String, actor: String? = nil) {
        let violation = Violation(property: property, message: message, step: platform.currentStep, actor: actor ?? platform.currentActorName)
        let kept: Bool = lock.withLock {
            guard recording else { return false }
            guard recorded.count < capacity else {
                dropped += 1
                return false
            }
            recorded.append(violation)
            return true
        }
        guard kept else { return }
        platform.trace("VIOLATION \(violation)")
        onRecord?(violation)
    }

    /// The violations recorded so far.
    public var violations: [Violation] { lock.withLock { recorded } }

    /// Violations that were not kept because `capacity` was reached.
    public var droppedCount: Int { lock.withLock { dropped } }

    /// Whether some violation of `property` was recorded.
    public func contains(_ property: Property) -> Bool {
        lock.withLock { recorded.contains { $0.property == property } }
    }

    /// Stops recording (tear-down of a controlled run).
    public func stopRecording() {
        lock.withLock { recording = false }
    }
}
