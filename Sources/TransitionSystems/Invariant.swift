/// A named property of states, with its meaning in plain words.
///
/// An invariant must hold in every reachable state. A *lemma* is an auxiliary
/// invariant that strengthens induction; it is proved before it is used.
public struct Invariant: Sendable {
    /// Whether the property is checked for itself or helps prove others.
    public enum Role: Sendable { case invariant, lemma }

    /// The kebab-case name used in the CLI, JSON and tests, such as `no-double-free`.
    public let name: String
    /// What the property says, in plain words.
    public let doc: String
    /// The condition every reachable state must satisfy.
    public let condition: Expr
    public let role: Role

    public init(_ name: String, _ doc: String, _ condition: () -> Expr) {
        self.name = name
        self.doc = doc
        self.condition = condition()
        self.role = .invariant
    }

    init(name: String, doc: String, condition: Expr, role: Role) {
        self.name = name
        self.doc = doc
        self.condition = condition
        self.role = role
    }

    /// An auxiliary invariant used to strengthen induction.
    public static func lemma(_ name: String, _ doc: String, _ condition: () -> Expr) -> Invariant {
        Invariant(name: name, doc: doc, condition: condition(), role: .lemma)
    }
}
