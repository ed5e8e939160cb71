/// The SCMI core's decision after the polling loop (`scmi_wait_for_reply` in
/// drivers/firmware/arm_scmi/driver.c), which runs above every transport variant.
public enum CoreVersion: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// Since "firmware: arm_scmi: Fix timeout checks on polling path" (2025): timed out only
    /// if the loop did not end because `done` completed and one more `poll_done` also fails;
    /// that last `poll_done` runs after a successful one too.
    case current
    /// 2022 to 2025: timed out whenever the deadline has passed by the time of the decision.
    case y2022 = "2022"
    /// The reference page's reading of the current core: one more `poll_done` only when the
    /// loop ended because the deadline passed. The kernel also calls it after a successful
    /// `poll_done`; this reading exists to show races that the kernel's extra call hides
    /// behind a shorter counterexample on `v4`.
    case described

    public var description: String { rawValue }

    /// "current", "2022" or "described", as prose names it.
    public var displayName: String { rawValue }

    /// Whether the decision is "the deadline has passed" (2022) rather than "a last
    /// `poll_done` fails" (current, described).
    public var decidesByDeadline: Bool { self == .y2022 }

    /// Whether the last `poll_done` also runs when the loop ended because `poll_done`
    /// returned true (the kernel's current core; not the reference page's reading).
    public var finalPollAfterPollSuccess: Bool { self == .current }

    /// The core called `name`, or an error that lists the cores there are.
    public static func named(_ name: String) throws -> CoreVersion {
        guard let core = CoreVersion(rawValue: name) else {
            throw VocabularyError("unknown core '\(name)'; known cores: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return core
    }
}
