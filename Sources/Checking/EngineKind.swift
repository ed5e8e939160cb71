/// The engines, as the command line names them: `explicit`, `bmc`, `kind` (also `k-induction`) and `auto`.
public enum EngineKind: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Breadth-first search over the reachable states (``ExplicitStateChecker``).
    case explicit
    /// Bounded model checking on Z3 (``BoundedModelChecker``).
    case bmc
    /// k-induction on Z3 (``KInductionChecker``).
    case kind = "kind"
    /// The explicit engine first, the symbolic engines for what it leaves open (``AutoChecker``).
    case auto

    /// The engine called `name`: a raw value, or `k-induction` for ``kind``.
    public init?(parsing name: String) {
        if name == Self.kind.name {
            self = .kind
        } else {
            self.init(rawValue: name)
        }
    }

    /// The engine's name in reports: `explicit`, `bmc`, `k-induction`, `auto`.
    public var name: String {
        self == .kind ? "k-induction" : rawValue
    }

    public var description: String { name }
}
