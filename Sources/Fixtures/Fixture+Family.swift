import TransitionSystems

extension Fixture: SpecFamily {
    public var variants: [SpecVariant] { [] }
    public var parameters: [SpecParameter] { [] }
    public var invariantNames: [String] { spec.invariants.map(\.name) }
    public var diagramVariables: [String] { [] }
    public var defaultMaxStates: Int? { nil }
    public var preferredEngine: String? { nil }

    public func instances(variant: String?, settings: [String: String]) throws -> [SpecInstance] {
        [SpecInstance(spec: spec, variant: nil, configuration: [:], expectations: expectations)]
    }
}
