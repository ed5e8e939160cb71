import Foundation

/// A JSON document, decoded without loss of the bool/number distinction and written
/// deterministically (sorted keys, two-space indentation), so that a regenerated file
/// is byte-identical when nothing changed.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Int)
    /// A fractional number, written with three decimals (timings).
    case real(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses `data`, or throws a ``TraceError/malformed(_:)`` naming what is wrong.
    public static func parse(_ data: Data) throws -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let error as DecodingError {
            throw TraceError.malformed("not valid JSON: \(Self.describe(error))")
        }
    }

    /// The document as text: keys sorted, two-space indentation, a final newline.
    public func serialized() -> String {
        var out = ""
        write(to: &out, indent: 0)
        out += "\n"
        return out
    }

    /// The document on one line, keys sorted.
    public func compact() -> String {
        var out = ""
        write(to: &out, indent: nil)
        return out
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    private func write(to out: inout String, indent: Int?) {
        let pad = { (n: Int) in String(repeating: " ", count: n) }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += String(n)
        case .real(let x): out += String(format: "%.3f", x)
        case .string(let s): out += Self.quote(s)
        case .array(let xs):
            if xs.isEmpty { out += "[]"; return }
            // Short arrays of scalars stay on one line, as ITF map entries read best that way.
            let scalars = xs.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
            guard let indent, !(scalars && xs.count <= 4) else {
                out += "["
                for (i, x) in xs.enumerated() {
                    if i > 0 { out += indent == nil ? "," : ", " }
                    x.write(to: &out, indent: nil)
                }
                out += "]"
                return
            }
            out += "[\n"
            for (i, x) in xs.enumerated() {
                out += pad(indent + 2)
                x.write(to: &out, indent: indent + 2)
                out += i + 1 < xs.count ? ",\n" : "\n"
            }
            out += pad(indent) + "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            let keys = o.keys.sorted()
            guard let indent else {
                out += "{" + keys.map { Self.quote($0) + ":" + o[$0]!.compact() }.joined(separator: ",") + "}"
                return
            }
            out += "{\n"
            for (i, key) in keys.enumerated() {
                out += pad(indent + 2) + Self.quote(key) + ": "
                o[key]!.write(to: &out, indent: indent + 2)
                out += i + 1 < keys.count ? ",\n" : "\n"
            }
            out += pad(indent) + "}"
        }
    }

    private static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        @unknown default:
            return String(describing: error)
        }
    }
}

extension JSONValue: Decodable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let n = try? container.decode(Int.self) { self = .number(n) }
        else if let x = try? container.decode(Double.self) { self = .real(x) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let xs = try? container.decode([JSONValue].self) { self = .array(xs) }
        else if let o = try? container.decode([String: JSONValue].self) { self = .object(o) }
        else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a value that is not null, a bool, an integer, a string, an array or an object")
        }
    }
}
