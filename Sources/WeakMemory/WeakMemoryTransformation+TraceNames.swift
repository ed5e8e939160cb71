/// The names a weak counterexample's trace uses for what the transformation adds, for readers
/// of traces (the replay of weak traces against the implementation).
extension WeakMemoryTransformation {
    /// The parameter of a step with a weak read: the history slot (coherence position, from 0)
    /// of the write it observed.
    public static var readParameterName: String { readParameter }
    /// The parameter of a step with a weak write: the history slot it was inserted at.
    public static var writeParameterName: String { writeParameter }

    /// The variable holding slot `slot` of weak variable `v`'s history.
    public static func historyValueName(_ v: String, _ slot: Int) -> String { "\(v)@\(slot)" }

    /// The variable holding the number of writes in weak variable `v`'s history.
    public static func historyLengthName(_ v: String) -> String { "\(v)@len" }
}
