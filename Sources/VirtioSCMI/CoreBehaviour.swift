/// How the SCMI core decides a polled transfer's result, as switches derived from a
/// `CoreVersion`.
public struct CoreBehaviour: Hashable, Codable, Sendable {
    /// How the result of the polling loop is decided.
    public enum TimeoutCheck: String, Hashable, Codable, Sendable {
        /// `-ETIMEDOUT` iff the deadline has passed now (core of 2022–2025).
        case deadlineHasPassed
        /// `-ETIMEDOUT` iff the loop did not end by a completion and a last `poll_done` fails.
        case finalPoll
    }

    public var timeoutCheck: TimeoutCheck

    /// With `.finalPoll`: whether the last `poll_done` also runs when the loop ended because
    /// `poll_done` returned true.
    ///
    /// The kernel's fix records only whether `try_wait_for_completion` ended the loop
    /// (`ooo`) and then calls `poll_done` again whenever it did not — also after a
    /// successful `poll_done`. That is harmless when `poll_done` stays true once true, but
    /// `v4` does not mark its own dequeued buffer POLL_DONE, so there the second call looks
    /// at the ring again and fails. The reference page words it as "did not end by
    /// success"; the kernel is right, so this is true by default, and false reproduces the
    /// page's reading.
    public var finalPollAfterPollSuccess: Bool

    public init(timeoutCheck: TimeoutCheck, finalPollAfterPollSuccess: Bool = true) {
        self.timeoutCheck = timeoutCheck
        self.finalPollAfterPollSuccess = finalPollAfterPollSuccess
    }

    /// The behaviour of a core version.
    public static func `for`(_ version: CoreVersion) -> CoreBehaviour {
        switch version {
        case .current: return CoreBehaviour(timeoutCheck: .finalPoll)
        case .y2022: return CoreBehaviour(timeoutCheck: .deadlineHasPassed)
        }
    }
}
