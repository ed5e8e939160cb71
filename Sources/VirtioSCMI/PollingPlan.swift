/// Which transfers are polled: the core decides per transfer.
public enum PollingPlan: Hashable, Codable, Sendable {
    /// Every transfer is polled.
    case allPolled
    /// No transfer is polled.
    case nonePolled
    /// Transfer `k` of CPU `i` is polled iff `i + k` is even (cpu0 starts polled, cpu1 not).
    case alternating
    /// `plan[i][k]` tells whether transfer `k` of CPU `i` is polled (missing: polled).
    case explicit([[Bool]])

    /// Whether transfer `transfer` of CPU `cpu` is polled.
    public func isPolled(cpu: Int, transfer: Int) -> Bool {
        switch self {
        case .allPolled: return true
        case .nonePolled: return false
        case .alternating: return (cpu + transfer) % 2 == 0
        case .explicit(let plan):
            guard cpu < plan.count, transfer < plan[cpu].count else { return true }
            return plan[cpu][transfer]
        }
    }
}
