/// Which version of the SCMI core's polling-result decision runs above the transport.
public enum CoreVersion: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// Since "firmware: arm_scmi: Fix timeout checks on polling path" (2025): timed out only
    /// if the loop did not end by an out-of-order completion and one last `poll_done` fails.
    case current
    /// 2022–2025: timed out whenever the deadline has passed by the time the loop ended.
    case y2022 = "2022"

    public var description: String { rawValue }
}
