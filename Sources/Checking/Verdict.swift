/// The answer a checker gives for one invariant.
public enum Verdict: String, Sendable, Codable, CaseIterable {
    /// A reachable state breaks the invariant; the result carries the shortest trace to it.
    case violated
    /// The invariant holds in every reachable state of the configuration, or by an unbounded proof.
    case proved
    /// No violation within the explored depth; nothing is claimed beyond it.
    case holdsUpToDepth = "holds-up-to-depth"
    /// The checker could not decide (solver `unknown`, timeout, memory cap); never a pass.
    case unknown
}
