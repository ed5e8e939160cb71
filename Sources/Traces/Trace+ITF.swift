import Foundation

extension Trace {
    /// The trace as an ITF document.
    public func itf() -> JSONValue {
        var meta: [String: JSONValue] = [
            "format": .string("ITF"),
            "format-description": .string("https://apalache-mc.org/docs/adr/015adr-trace.html"),
            "source": .string("scmi-check"),
            "spec": .string(spec),
            "configuration": .object(configuration.mapValues(JSONValue.string)),
        ]
        if let variant { meta["variant"] = .string(variant) }
        if let invariant { meta["invariant"] = .string(invariant) }
        let states: [JSONValue] = steps.enumerated().map { index, step in
            var stateMeta: [String: JSONValue] = ["index": .number(index)]
            if let actor = step.actor { stateMeta["actor"] = .string(actor) }
            if let action = step.action {
                stateMeta["action"] = .string(action)
                stateMeta["params"] = .object(Dictionary(uniqueKeysWithValues: step.parameters.map { ($0.name, JSONValue.string($0.value)) }))
                if !step.parameters.isEmpty {
                    stateMeta["param-order"] = .array(step.parameters.map { .string($0.name) })
                }
            }
            var object = step.values.mapValues(Self.encode)
            object["#meta"] = .object(stateMeta)
            return .object(object)
        }
        return .object([
            "#meta": .object(meta),
            "vars": .array(variables.map(JSONValue.string)),
            "states": .array(states),
        ])
    }

    /// The trace as ITF text, deterministic.
    public func itfText() -> String { itf().serialized() }

    /// Reads an ITF trace; throws ``TraceError/malformed(_:)`` naming what is missing or wrong.
    public init(itf data: Data) throws {
        try self.init(itf: try JSONValue.parse(data))
    }

    /// Reads an ITF trace from a parsed document.
    public init(itf document: JSONValue) throws {
        guard case .object(let root) = document else { throw TraceError.malformed("the document is not a JSON object") }
        guard case .array(let vars)? = root["vars"] else { throw TraceError.malformed("'vars' is missing or not an array") }
        let variables = try vars.enumerated().map { i, v -> String in
            guard case .string(let name) = v else { throw TraceError.malformed("vars[\(i)] is not a string") }
            return name
        }
        guard case .array(let states)? = root["states"] else { throw TraceError.malformed("'states' is missing or not an array") }
        guard !states.isEmpty else { throw TraceError.malformed("'states' is empty: a trace has at least its initial state") }
        var meta: [String: JSONValue] = [:]
        if let m = root["#meta"] {
            guard case .object(let o) = m else { throw TraceError.malformed("'#meta' is not an object") }
            meta = o
        }
        func string(_ key: String) throws -> String? {
            guard let v = meta[key] else { return nil }
            guard case .string(let s) = v else { throw TraceError.malformed("'#meta'.\(key) is not a string") }
            return s
        }
        var configuration: [String: String] = [:]
        if let c = meta["configuration"] {
            guard case .object(let o) = c else { throw TraceError.malformed("'#meta'.configuration is not an object") }
            for (key, value) in o {
                switch value {
                case .string(let s): configuration[key] = s
                case .number(let n): configuration[key] = String(n)
                default: throw TraceError.malformed("'#meta'.configuration.\(key) is not a string or a number")
                }
            }
        }
        let steps = try states.enumerated().map { index, state -> Step in
            try Self.decodeStep(state, index: index, variables: variables)
        }
        self.init(spec: try string("spec") ?? "", variant: try string("variant"), configuration: configuration,
                  invariant: try string("invariant"), variables: variables, steps: steps)
    }

    // MARK: - Values

    static func encode(_ value: TraceValue) -> JSONValue {
        switch value {
        case .bool(let b): return .bool(b)
        case .int(let n): return .object(["#bigint": .string(String(n))])
        case .string(let s): return .string(s)
        case .map(let entries): return .object(["#map": .array(entries.map { .array([encode($0.key), encode($0.value)]) })])
        }
    }

    static func decode(_ json: JSONValue, at path: String) throws -> TraceValue {
        switch json {
        case .bool(let b): return .bool(b)
        case .number(let n): return .int(n)
        case .string(let s): return .string(s)
        case .object(let o):
            if let big = o["#bigint"] {
                guard o.count == 1, case .string(let text) = big, let n = Int(text) else {
                    throw TraceError.malformed("\(path): '#bigint' must hold a decimal integer string")
                }
                return .int(n)
            }
            if let map = o["#map"] {
                guard o.count == 1, case .array(let pairs) = map else { throw TraceError.malformed("\(path): '#map' must hold an array of pairs") }
                return .map(try pairs.enumerated().map { i, pair in
                    guard case .array(let kv) = pair, kv.count == 2 else {
                        throw TraceError.malformed("\(path): '#map' entry \(i) is not a [key, value] pair")
                    }
                    return .init(key: try decode(kv[0], at: "\(path) key \(i)"), value: try decode(kv[1], at: "\(path)[\(i)]"))
                })
            }
            throw TraceError.malformed("\(path): an object that is neither '#bigint' nor '#map'")
        case .null, .array, .real:
            throw TraceError.malformed("\(path): unsupported value \(json.compact())")
        }
    }

    private static func decodeStep(_ state: JSONValue, index: Int, variables: [String]) throws -> Step {
        guard case .object(let object) = state else { throw TraceError.malformed("states[\(index)] is not an object") }
        var values: [String: TraceValue] = [:]
        for variable in variables {
            guard let json = object[variable] else { throw TraceError.malformed("states[\(index)] has no value for variable '\(variable)'") }
            values[variable] = try decode(json, at: "states[\(index)].\(variable)")
        }
        for key in object.keys where key != "#meta" && !variables.contains(key) {
            throw TraceError.malformed("states[\(index)] has '\(key)', which is not in 'vars'")
        }
        var actor: String?, action: String?
        var parameters: [Step.Parameter] = []
        if let m = object["#meta"] {
            guard case .object(let meta) = m else { throw TraceError.malformed("states[\(index)].#meta is not an object") }
            if let a = meta["actor"] {
                guard case .string(let s) = a else { throw TraceError.malformed("states[\(index)].#meta.actor is not a string") }
                actor = s
            }
            if let a = meta["action"] {
                guard case .string(let s) = a else { throw TraceError.malformed("states[\(index)].#meta.action is not a string") }
                action = s
            }
            if let p = meta["params"] {
                guard case .object(let params) = p else { throw TraceError.malformed("states[\(index)].#meta.params is not an object") }
                var order = params.keys.sorted()
                if case .array(let names)? = meta["param-order"] {
                    order = names.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
                    guard Set(order) == Set(params.keys) else {
                        throw TraceError.malformed("states[\(index)].#meta.param-order does not name the same parameters as params")
                    }
                }
                parameters = try order.map { name in
                    switch params[name]! {
                    case .string(let s): return .init(name: name, value: s)
                    case .number(let n): return .init(name: name, value: String(n))
                    default: throw TraceError.malformed("states[\(index)].#meta.params.\(name) is not a string or a number")
                    }
                }
            }
        }
        if index > 0 && (actor == nil || action == nil) {
            throw TraceError.malformed("states[\(index)].#meta must name the step's 'actor' and 'action'")
        }
        return Step(actor: actor, action: action, parameters: parameters, values: values)
    }
}
