/// A named spec with its variants and parameters: what a front end lists, validates and builds,
/// so that nothing about a particular spec is hard-coded there.
///
/// A family builds one ``SpecInstance`` per variant and configuration a run asks for; with no
/// variant given, every variant at its default configurations.
public protocol SpecFamily: Sendable {
    /// The name `--spec` takes.
    var name: String { get }
    /// What the spec models, in one sentence.
    var summary: String { get }
    /// The variants, each with the one it derives from; empty for a spec without variants.
    var variants: [SpecVariant] { get }
    /// The parameters a run may set (`cpus`, `buffers`, `core`), with their valid values.
    var parameters: [SpecParameter] { get }
    /// The invariants, in report order.
    var invariantNames: [String] { get }
    /// Variables whose values `describe` draws as a state diagram.
    var diagramVariables: [String] { get }
    /// The explicit engine's state cap for a run that gives none, or nil for none.
    var defaultMaxStates: Int? { get }
    /// The engine to use when a run names none, or nil for the front end's own default.
    var preferredEngine: String? { get }
    /// The instances a run asks for: `variant` (every variant when nil) with the parameter
    /// values `settings` (by parameter name, already validated against ``parameters``).
    func instances(variant: String?, settings: [String: String]) throws -> [SpecInstance]
}

/// A variant of a ``SpecFamily``.
public struct SpecVariant: Sendable, Equatable {
    public let name: String
    /// The variant this one derives from.
    public let base: String?
    /// Where it comes from, in one line.
    public let summary: String

    public init(name: String, base: String?, summary: String) {
        self.name = name
        self.base = base
        self.summary = summary
    }
}

/// A parameter of a ``SpecFamily``, with the values it takes.
public struct SpecParameter: Sendable, Equatable {
    public let name: String
    public let help: String
    /// The values it takes, in order; a value outside them is refused.
    public let values: [String]
    /// What the family uses when a run gives none, in words (`2`, "the cores the variant met").
    public let defaultDescription: String

    public init(name: String, help: String, values: [String], defaultDescription: String) {
        self.name = name
        self.help = help
        self.values = values
        self.defaultDescription = defaultDescription
    }

    /// Whether this parameter takes `value`.
    public func accepts(_ value: String) -> Bool { values.contains(value) }

    /// The values it takes, for messages: "1, 2, 3, 4".
    public var valueList: String { values.joined(separator: ", ") }
}

/// One spec ready to load, with what a run calls it and expects of it.
public struct SpecInstance: Sendable {
    public let spec: Spec
    public let variant: String?
    /// The configuration as traces record it (`cpus`, `buffers`, `core`).
    public let configuration: [String: String]
    /// Expected verdicts by invariant, when recorded for this variant and configuration.
    public let expectations: [String: Expectation]?
    /// A line a report prints about this instance (a variant paired with a core it never met).
    public let note: String?
    /// Expected verdicts under each memory model other than sequential consistency, when recorded.
    public let weakExpectations: [MemoryModelKind: [String: Expectation]]

    public init(spec: Spec, variant: String?, configuration: [String: String], expectations: [String: Expectation]?, note: String? = nil,
                weakExpectations: [MemoryModelKind: [String: Expectation]] = [:]) {
        self.spec = spec
        self.variant = variant
        self.configuration = configuration
        self.expectations = expectations
        self.note = note
        self.weakExpectations = weakExpectations
    }

    /// The expectations of a run under `model`.
    public func expectations(under model: MemoryModelKind) -> [String: Expectation]? {
        model == .sc ? expectations : weakExpectations[model]
    }
}

/// A request a family cannot serve: an unknown variant, a parameter value it does not take.
public struct SpecFamilyError: Error, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
