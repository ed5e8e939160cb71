import Vocabulary

/// The size and kind of system to check.
public struct TransportConfiguration: Sendable, Equatable {
    public var cpus: Int
    public var buffers: Int
    public var variant: Variant
    public var core: CoreVersion

    /// A configuration; the core defaults to the first one the variant met (``Variant/coresMet``).
    public init(cpus: Int = 2, buffers: Int = 2, variant: Variant, core: CoreVersion? = nil) {
        self.cpus = cpus
        self.buffers = buffers
        self.variant = variant
        self.core = core ?? variant.coresMet[0]
    }

    /// The configuration as traces record it.
    public var labels: [String: String] {
        ["cpus": String(cpus), "buffers": String(buffers), "core": core.rawValue]
    }

    /// The sizes the spec takes: the spec grows with both, and past these the explicit engine
    /// cannot finish.
    public static let cpuRange = 1...4
    public static let bufferRange = 1...4
}
