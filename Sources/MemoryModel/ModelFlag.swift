/// A condition the LKMM flags on an allowed execution without forbidding it (cat's `flag`).
public enum ModelFlag: String, Hashable, Sendable, CaseIterable {
    /// linux-kernel.cat's `data-race`: two conflicting accesses, one plain, not ordered.
    case dataRace = "data-race"
}
