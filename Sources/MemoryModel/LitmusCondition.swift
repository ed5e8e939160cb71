/// A litmus test's final clause: a quantifier over the allowed executions and a proposition.
///
/// herd7 prints its `Observation` word (Always, Sometimes, Never) from the proposition alone, whatever
/// the quantifier; the quantifier only decides herd7's `Ok`/`No` validation line. The kernel's
/// `Result:` comments are compared with the Observation word (tools/memory-model/scripts/judgelitmus.sh, v6.12).
public struct LitmusCondition: Equatable, Sendable, CustomStringConvertible {
    /// The quantifier as written.
    public enum Quantifier: String, Sendable {
        case exists
        case notExists = "~exists"
        case forall
    }

    public let quantifier: Quantifier
    public let proposition: LitmusProposition

    public init(_ quantifier: Quantifier, _ proposition: LitmusProposition) {
        self.quantifier = quantifier
        self.proposition = proposition
    }

    public var description: String { "\(quantifier.rawValue) (\(proposition))" }
}
