/// A finite set of values that a state variable, a parameter or an array index ranges over.
///
/// Every value has a *runtime integer*: the position of the value for enumerations
/// (so `false` is 0 and `true` is 1), and the number itself for integer ranges. The
/// interpreter, the encoder and the trace coder all agree on that convention.
public struct Domain: Hashable, Sendable, CustomStringConvertible {
    /// How the values of a domain are read.
    public enum Kind: Hashable, Sendable {
        /// The two truth values.
        case boolean
        /// Named values with no order and no arithmetic: CPUs, buffers, a poll status.
        case enumeration
        /// Another domain's values plus one extra value, `none`, last.
        case optional(base: String)
        /// Consecutive integers starting at `lowerBound`; arithmetic and order apply.
        case range(lowerBound: Int)
    }

    /// The name the spec uses for the domain, for example `CPU` or `PollStatus`.
    public let name: String
    /// How the values are read.
    public let kind: Kind
    /// The values' names, in runtime-integer order for enumerations.
    public let valueNames: [String]

    private init(name: String, kind: Kind, valueNames: [String]) {
        self.name = name
        self.kind = kind
        self.valueNames = valueNames
    }

    /// The number of values.
    public var size: Int { valueNames.count }

    /// The two truth values.
    public static let boolean = Domain(name: "Bool", kind: .boolean, valueNames: ["false", "true"])

    /// Named values, such as `Domain.enumeration("PollStatus", ["NOT_POLLED", "POLLING"])`.
    public static func enumeration(_ name: String, _ cases: [String]) -> Domain {
        Domain(name: name, kind: .enumeration, valueNames: cases)
    }

    /// `count` interchangeable instances named `prefix0`, `prefix1`, ..., such as CPUs or buffers.
    public static func instances(_ name: String, count: Int, prefix: String) -> Domain {
        Domain(name: name, kind: .enumeration, valueNames: (0..<max(count, 0)).map { "\(prefix)\($0)" })
    }

    /// The integers of `range`, such as a refcount `0...3`.
    public static func range(_ name: String, _ range: ClosedRange<Int>) -> Domain {
        Domain(name: name, kind: .range(lowerBound: range.lowerBound), valueNames: range.map(String.init))
    }

    /// This domain's values plus `none`, such as "a buffer, or no buffer".
    public var optional: Domain {
        Domain(name: name + "?", kind: .optional(base: name), valueNames: valueNames + ["none"])
    }

    /// The literal naming one of this domain's values; the name is checked when the spec is loaded.
    public subscript(_ valueName: String) -> Expr {
        .literal(domain: self, value: valueName)
    }

    /// The `none` literal of this optional domain, or of this domain's optional form.
    public var none: Expr {
        if case .optional = kind { return .literal(domain: self, value: "none") }
        return .literal(domain: optional, value: "none")
    }

    /// The lowest runtime integer.
    public var lowerBound: Int {
        if case .range(let lower) = kind { return lower }
        return 0
    }

    /// The highest runtime integer.
    public var upperBound: Int { lowerBound + size - 1 }

    /// Whether `value` is the runtime integer of one of this domain's values.
    public func contains(runtimeValue value: Int) -> Bool {
        value >= lowerBound && value <= upperBound
    }

    /// The runtime integer of the value named `valueName`, if it is one of this domain's.
    public func runtimeValue(named valueName: String) -> Int? {
        guard let position = valueNames.firstIndex(of: valueName) else { return nil }
        return lowerBound + position
    }

    /// The name of the value whose runtime integer is `value`, or the number itself when out of the domain.
    public func name(ofRuntimeValue value: Int) -> String {
        contains(runtimeValue: value) ? valueNames[value - lowerBound] : String(value)
    }

    /// Whether arithmetic and order apply.
    public var isNumeric: Bool {
        if case .range = kind { return true }
        return false
    }

    /// The base domain's name for an optional domain, else this domain's name.
    var baseName: String {
        if case .optional(let base) = kind { return base }
        return name
    }

    public var description: String {
        switch kind {
        case .range: return "\(name) (\(lowerBound)...\(upperBound))"
        default: return "\(name) {\(valueNames.joined(separator: ", "))}"
        }
    }
}
