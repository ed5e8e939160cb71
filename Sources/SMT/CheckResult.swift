/// The outcome of ``Solver/check(assuming:timeout:)``.
public enum CheckResult: Equatable, CustomStringConvertible {
    /// The assertions (and assumptions) have a model; see ``Solver/model()``.
    case satisfiable
    /// The assertions (and assumptions) have no model; see ``Solver/unsatCore()``.
    case unsatisfiable
    /// Z3 gave up; `reason` is Z3's explanation, for example `"timeout"` or `"canceled"`.
    case unknown(reason: String)

    /// The SMT-LIB answer: `sat`, `unsat` or `unknown` followed by the reason.
    public var description: String {
        switch self {
        case .satisfiable: return "sat"
        case .unsatisfiable: return "unsat"
        case let .unknown(reason): return "unknown (\(reason))"
        }
    }
}
