import Foundation
import TransitionSystems

/// An inductive invariant as a JSON document: what a proof found, in the spec's own slot and
/// value names, with the spec, variant and configuration it is about, so that
/// ``CertificateChecker`` (`scmi-check certify`) can re-check it without the search.
///
/// A lemma is `{"name": "L3", "text": "...", "if": [{"slot": "pc[cpu0]", "equals": "idle"}],
/// "then": {"slot": "msg[cpu0]", "in": ["none"]}}` (the conditions of `if` all hold; no `if`
/// for a lemma about one slot); a count is `{"name": "L9", "text": "...", "count": {"sum":
/// [{"coefficient": 1, "times": "users[msg0]"}, {"coefficient": -1, "if": [{"slot": "priv[cpu0]",
/// "equals": "msg0"}]}], "equals": 0}}` (each term: its coefficient, times 1 when its conditions
/// hold and 0 otherwise, times the number `times` names when given). The
/// properties are named, and re-read from the spec when checked: a certificate cannot change
/// what a property says. `text` fields are for reading; the checker ignores them.
public struct ProofCertificate: Codable, Equatable, Sendable {
    /// `slot = value`.
    public struct Condition: Codable, Equatable, Sendable {
        public var slot: String
        public var equals: String
    }

    /// `slot ∈ values`.
    public struct Membership: Codable, Equatable, Sendable {
        public var slot: String
        public var `in`: [String]
    }

    /// One term of a count: `coefficient × [if] × times`.
    public struct SummandRecord: Codable, Equatable, Sendable {
        public var coefficient: Int
        public var `if`: [Condition]?
        /// A numeric slot whose value the term counts.
        public var times: String?
    }

    /// `Σ sum = equals`.
    public struct CountRecord: Codable, Equatable, Sendable {
        public var sum: [SummandRecord]
        public var equals: Int
    }

    /// One lemma: a membership (`if` ⇒ `then`) or a count.
    public struct LemmaRecord: Codable, Equatable, Sendable {
        public var name: String
        public var text: String
        public var `if`: [Condition]?
        public var then: Membership?
        public var count: CountRecord?
    }

    /// One property proved.
    public struct PropertyRecord: Codable, Equatable, Sendable {
        public var name: String
        public var text: String
    }

    /// What finding the invariant cost.
    public struct Measurements: Codable, Equatable, Sendable {
        public var sampledStates: Int
        public var candidates: Int
        public var houdiniRounds: Int
        public var seconds: Double
        public var solverSeconds: Double
    }

    /// The format's name, so that another JSON file is refused by name.
    public static let formatName = "scmi-check inductive invariant"

    public var format: String
    public var version: Int
    public var spec: String
    public var variant: String?
    /// The configuration as traces record it (`cpus`, `buffers`, `core`).
    public var configuration: [String: String]
    /// Whether "every step stays within its domains" is a conjunct.
    public var everyStepDefined: Bool
    /// The induction depth: absent or 1 for an inductive invariant; `k` when the conjunction holds
    /// in every state of the first `k - 1` steps and after any `k` consecutive states satisfying it.
    public var k: Int?
    public var properties: [PropertyRecord]
    public var lemmas: [LemmaRecord]
    public var measurements: Measurements?

    /// The certificate of `invariant`, for the spec instance named by `variant` and `configuration`.
    public init(_ invariant: InductiveInvariant, variant: String?, configuration: [String: String], report: LemmaSynthesis.Report?) {
        let system = invariant.system
        let layout = system.layout
        func name(_ slot: Int, _ value: UInt8) -> String { layout.slots[slot].domain.valueNames[Int(value)] }
        format = Self.formatName
        version = 1
        spec = system.spec.name
        self.variant = variant
        self.configuration = configuration
        everyStepDefined = invariant.conjuncts.contains { $0.kind == .everyStepDefined }
        k = invariant.k == 1 ? nil : invariant.k
        properties = invariant.conjuncts.compactMap { conjunct in
            guard case .property = conjunct.kind else { return nil }
            return PropertyRecord(name: conjunct.name, text: conjunct.text(in: system))
        }
        lemmas = invariant.conjuncts.compactMap { conjunct in
            guard case .lemma(let lemma) = conjunct.kind else { return nil }
            let text = conjunct.text(in: system)
            switch lemma {
            case .within(let slot, let values):
                return LemmaRecord(name: conjunct.name, text: text, if: nil,
                                   then: Membership(slot: layout.slots[slot].name, in: values.map { name(slot, $0) }))
            case .implies(let conditions, let other, let values):
                return LemmaRecord(name: conjunct.name, text: text,
                                   if: conditions.map { Condition(slot: layout.slots[$0.slot].name, equals: name($0.slot, $0.value)) },
                                   then: Membership(slot: layout.slots[other].name, in: values.map { name(other, $0) }))
            case .count(let summands, let total):
                let sum = summands.map { s in
                    SummandRecord(coefficient: s.coefficient,
                                  if: s.conditions.isEmpty ? nil : s.conditions.map { Condition(slot: layout.slots[$0.slot].name, equals: name($0.slot, $0.value)) },
                                  times: s.number.map { layout.slots[$0].name })
                }
                return LemmaRecord(name: conjunct.name, text: text, if: nil, then: nil, count: CountRecord(sum: sum, equals: total))
            }
        }
        measurements = report.map {
            Measurements(sampledStates: $0.sampledStates, candidates: $0.candidates,
                         houdiniRounds: $0.initiationRounds + $0.consecutionRounds, seconds: $0.seconds, solverSeconds: $0.solverSeconds)
        }
    }

    /// A certificate that cannot be read: not JSON, another format, or names the spec does not have.
    public struct Malformed: Error, CustomStringConvertible, Equatable {
        public let message: String

        public init(_ message: String) { self.message = message }

        public var description: String { message }
    }

    /// Reads a certificate from JSON; throws ``Malformed`` saying what is wrong.
    public static func decode(_ data: Data) throws -> ProofCertificate {
        let certificate: ProofCertificate
        do {
            certificate = try JSONDecoder().decode(ProofCertificate.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw Malformed("missing field '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw Malformed("field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type: \(context.debugDescription)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw Malformed("field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' is null")
        } catch DecodingError.dataCorrupted(let context) {
            throw Malformed("not valid JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)")
        } catch {
            throw Malformed("\(error)")
        }
        guard certificate.format == formatName else {
            throw Malformed("the file's format is '\(certificate.format)', not '\(formatName)'")
        }
        guard certificate.version == 1 else { throw Malformed("version \(certificate.version) is not supported (only 1)") }
        if let k = certificate.k, !(1...64).contains(k) { throw Malformed("k is \(k); it must be between 1 and 64") }
        return certificate
    }

    /// The certificate as pretty-printed JSON, keys sorted.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The invariant the certificate states, over `system` (the spec instance it names);
    /// throws ``Malformed`` for a slot, value or property the system does not have.
    public func invariant(in system: TransitionSystem) throws -> InductiveInvariant {
        let layout = system.layout
        var slotIndex: [String: Int] = [:]
        for (s, slot) in layout.slots.enumerated() { slotIndex[slot.name] = s }
        func slot(_ name: String, _ lemma: String) throws -> Int {
            guard let s = slotIndex[name] else { throw Malformed("lemma \(lemma): spec '\(system.spec.name)' has no variable or element '\(name)'") }
            return s
        }
        func value(_ name: String, of s: Int, _ lemma: String) throws -> UInt8 {
            guard let position = layout.slots[s].domain.valueNames.firstIndex(of: name) else {
                throw Malformed("lemma \(lemma): '\(name)' is not a value of \(layout.slots[s].name) (\(layout.slots[s].domain.valueNames.joined(separator: ", ")))")
            }
            return UInt8(position)
        }
        func condition(_ c: Condition, _ lemma: String) throws -> Lemma.Condition {
            let source = try slot(c.slot, lemma)
            return Lemma.Condition(slot: source, value: try value(c.equals, of: source, lemma))
        }
        var lemmaConjuncts: [InductiveInvariant.Conjunct] = []
        for record in lemmas {
            let lemma: Lemma
            if let count = record.count {
                guard record.then == nil && record.if == nil else { throw Malformed("lemma \(record.name): a count has no 'if' or 'then'") }
                lemma = .count(try count.sum.map { s in
                    let number = try s.times.map { try slot($0, record.name) }
                    if let number, !layout.slots[number].domain.isNumeric {
                        throw Malformed("lemma \(record.name): '\(layout.slots[number].name)' is not a number")
                    }
                    return Lemma.Summand(coefficient: s.coefficient, conditions: try (s.if ?? []).map { try condition($0, record.name) }, number: number)
                }, equals: count.equals)
                guard lemma.countBound(layout) <= LemmaSynthesis.maximumCountSum else {
                    throw Malformed("lemma \(record.name): its sums reach \(lemma.countBound(layout)), more than \(LemmaSynthesis.maximumCountSum)")
                }
            } else {
                guard let then = record.then else { throw Malformed("lemma \(record.name): neither 'then' nor 'count'") }
                let target = try slot(then.slot, record.name)
                var values: [UInt8] = []
                for name in then.in { values.append(try value(name, of: target, record.name)) }
                values = Array(Set(values)).sorted()
                if let conditions = record.if, !conditions.isEmpty {
                    lemma = .implies(when: try conditions.map { try condition($0, record.name) }, other: target, values: values)
                } else {
                    lemma = .within(slot: target, values: values)
                }
            }
            lemmaConjuncts.append(InductiveInvariant.lemma(lemma, name: record.name, layout))
        }
        let encoding = TransitionEncoding(system: system, reducingInterleavings: false, alsoEncoding: lemmaConjuncts.map(\.term))
        var conjuncts: [InductiveInvariant.Conjunct] = []
        if everyStepDefined { conjuncts.append(InductiveInvariant.everyStepDefined(encoding)) }
        var names = Set<String>()
        for property in properties {
            guard let index = system.invariants.firstIndex(where: { $0.name == property.name }) else {
                throw Malformed("spec '\(system.spec.name)' has no invariant '\(property.name)'")
            }
            guard names.insert(property.name).inserted else { throw Malformed("'\(property.name)' is listed twice") }
            conjuncts.append(InductiveInvariant.property(index, encoding))
        }
        for conjunct in lemmaConjuncts {
            guard names.insert(conjunct.name).inserted else { throw Malformed("'\(conjunct.name)' is listed twice") }
            conjuncts.append(conjunct)
        }
        return InductiveInvariant(system: system, conjuncts: conjuncts, k: k ?? 1)
    }
}
