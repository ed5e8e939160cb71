/// A mistake in a spec, named in the spec's own words.
///
/// Loading a spec reports what a compiler cannot catch (an unknown name, a value
/// outside its domain, a variable written twice, an ill-typed comparison); running
/// it reports what only a state reveals (an index or a computed value outside its domain).
public enum SpecError: Error, Equatable, CustomStringConvertible {
    /// Found when the spec was loaded.
    case invalid(spec: String, problems: [String])
    /// Found while running an action or evaluating an expression in a state.
    case runtime(spec: String, message: String)

    public var description: String {
        switch self {
        case .invalid(let spec, let problems):
            let list = problems.map { "  - \($0)" }.joined(separator: "\n")
            return "spec '\(spec)' is not valid:\n\(list)"
        case .runtime(let spec, let message):
            return "spec '\(spec)' went wrong while running: \(message)"
        }
    }
}
