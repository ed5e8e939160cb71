import TransitionSystems

extension TransitionSystem {
    /// The positions in ``TransitionSystem/invariants`` of the invariants named, in order;
    /// throws ``SpecError/invalid(spec:problems:)`` for a name the spec does not have.
    func invariantIndices(_ names: [String]) throws -> [Int] {
        try names.map { name in
            guard let index = invariants.firstIndex(where: { $0.name == name }) else {
                throw SpecError.invalid(spec: spec.name, problems: ["no invariant named '\(name)'"])
            }
            return index
        }
    }
}
