/// A finite sort whose values are named cases, made by ``Context/enumerationSort(name:cases:)``.
///
/// The cases are pairwise distinct constants; ``Model/enumerationCase(_:)`` reports which one a
/// term takes in a model, as an index into ``cases``.
public struct EnumerationSort {
    /// The sort itself, for declaring constants of the enumeration.
    public let sort: Sort
    /// The case constants, in declaration order.
    public let cases: [Term]
    /// The case names, in declaration order.
    public let caseNames: [String]

    /// The case constant called `name`, or `nil` if there is no such case.
    public func term(forCase name: String) -> Term? {
        caseNames.firstIndex(of: name).map { cases[$0] }
    }
}
