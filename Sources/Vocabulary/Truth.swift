/// Something conditions can be built from: `Bool` for a concrete state, a syntax tree for
/// the spec. Definitions written once over `Truth` (``Quiescence``, ``LostWakeup``) are
/// evaluated on the implementation's states and stated as the spec's invariants alike.
public protocol Truth {
    /// True iff every term is.
    static func all(_ terms: [Self]) -> Self
    /// True iff some term is.
    static func any(_ terms: [Self]) -> Self
    /// The negation.
    var negated: Self { get }
}

extension Bool: Truth {
    public static func all(_ terms: [Bool]) -> Bool { !terms.contains(false) }
    public static func any(_ terms: [Bool]) -> Bool { terms.contains(true) }
    public var negated: Bool { !self }
}
