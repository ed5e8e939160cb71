/// Where each state variable lives in a flat state: one slot per scalar, one per array element.
///
/// A slot holds the value's position in its domain (`runtime value - lowerBound`), so
/// every slot fits a byte and a state is a short byte string.
public struct StateLayout: Sendable {
    /// One slot of the flat state.
    public struct Slot: Sendable {
        /// The variable's position in ``StateLayout/variables``.
        public let variable: Int
        /// The array index's position in the index domain, or `nil` for a scalar.
        public let element: Int?
        /// The slot's domain.
        public let domain: Domain
        /// `name` or `name[index]`, as messages and traces print it.
        public let name: String
    }

    public let variables: [Variable]
    /// The first slot of each variable.
    public let offsets: [Int]
    public let slots: [Slot]
    private let variableIndex: [String: Int]

    init(variables: [Variable]) {
        self.variables = variables
        var offsets: [Int] = []
        var slots: [Slot] = []
        var index: [String: Int] = [:]
        for (i, v) in variables.enumerated() {
            offsets.append(slots.count)
            index[v.name] = i
            if let indexDomain = v.index {
                for (e, valueName) in indexDomain.valueNames.enumerated() {
                    slots.append(Slot(variable: i, element: e, domain: v.domain, name: "\(v.name)[\(valueName)]"))
                }
            } else {
                slots.append(Slot(variable: i, element: nil, domain: v.domain, name: v.name))
            }
        }
        self.offsets = offsets
        self.slots = slots
        self.variableIndex = index
    }

    /// The number of slots in a state.
    public var count: Int { slots.count }

    /// The position of the variable named `name`.
    public func variable(named name: String) -> Int? { variableIndex[name] }

    /// The slots of variable `variable`, in index order.
    public func slots(of variable: Int) -> Range<Int> {
        offsets[variable]..<(offsets[variable] + variables[variable].slotCount)
    }
}
