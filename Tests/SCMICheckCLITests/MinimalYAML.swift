import Foundation

/// A reader for the subset of YAML the project's workflow files use: block mappings, block
/// sequences (`- `), plain and quoted scalars, flow sequences of scalars (`[a, b]`), block
/// scalars (`|`), and comments. No anchors, tags or multi-document streams; anything else is
/// an error, so a workflow that outgrows the subset fails its test instead of being misread.
enum MinimalYAML {
    indirect enum Node: Equatable {
        case scalar(String)
        case sequence([Node])
        case mapping([(key: String, value: Node)])

        static func == (a: Node, b: Node) -> Bool {
            switch (a, b) {
            case (.scalar(let x), .scalar(let y)): return x == y
            case (.sequence(let x), .sequence(let y)): return x == y
            case (.mapping(let x), .mapping(let y)): return x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
            default: return false
            }
        }

        subscript(_ key: String) -> Node? {
            guard case .mapping(let entries) = self else { return nil }
            return entries.first { $0.key == key }?.value
        }

        var items: [Node] { if case .sequence(let s) = self { return s } else { return [] } }
        var text: String? { if case .scalar(let s) = self { return s } else { return nil } }
        var entries: [(key: String, value: Node)] { if case .mapping(let m) = self { return m } else { return [] } }
    }

    struct ParseError: Error, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "line \(line): \(message)" }
    }

    private struct Line {
        let number: Int
        let indent: Int
        let text: String
    }

    static func parse(_ source: String) throws -> Node {
        var lines: [Line] = []
        for (i, raw) in source.components(separatedBy: "\n").enumerated() {
            let indent = raw.prefix { $0 == " " }.count
            let text = String(raw.dropFirst(indent))
            if raw.contains("\t") { throw ParseError(line: i + 1, message: "tabs are not YAML indentation") }
            lines.append(Line(number: i + 1, indent: indent, text: text))
        }
        var position = 0
        let node = try parseBlock(&lines, &position, indent: 0)
        skipBlank(lines, &position)
        if position < lines.count { throw ParseError(line: lines[position].number, message: "unexpected indentation") }
        return node
    }

    private static func isBlank(_ line: Line) -> Bool { line.text.isEmpty || line.text.hasPrefix("#") }

    private static func skipBlank(_ lines: [Line], _ position: inout Int) {
        while position < lines.count, isBlank(lines[position]) { position += 1 }
    }

    private static func parseBlock(_ lines: inout [Line], _ position: inout Int, indent: Int) throws -> Node {
        skipBlank(lines, &position)
        guard position < lines.count else { return .scalar("") }
        let first = lines[position]
        if first.text == "-" || first.text.hasPrefix("- ") {
            var items: [Node] = []
            while true {
                skipBlank(lines, &position)
                guard position < lines.count, lines[position].indent == first.indent,
                      lines[position].text == "-" || lines[position].text.hasPrefix("- ") else { break }
                let line = lines[position]
                let rest = String(line.text.dropFirst(2))
                if !rest.isEmpty && keyColon(rest) == nil {
                    items.append(try scalarOrFlow(stripComment(rest).trimmingCharacters(in: .whitespaces), line: line.number))
                    position += 1
                    continue
                }
                // The item's content continues as a block indented past the dash.
                lines[position] = Line(number: line.number, indent: line.indent + 2, text: rest)
                if rest.isEmpty { position += 1 }
                items.append(try parseBlock(&lines, &position, indent: line.indent + 2))
            }
            return .sequence(items)
        }
        var entries: [(key: String, value: Node)] = []
        let level = first.indent
        while true {
            skipBlank(lines, &position)
            guard position < lines.count, lines[position].indent == level else { break }
            let line = lines[position]
            guard let colon = keyColon(line.text) else { throw ParseError(line: line.number, message: "expected 'key: value'") }
            let key = unquote(String(line.text[..<colon]).trimmingCharacters(in: .whitespaces))
            let rest = stripComment(String(line.text[line.text.index(after: colon)...])).trimmingCharacters(in: .whitespaces)
            position += 1
            if rest == "|" || rest == "|-" {
                var body: [String] = []
                while position < lines.count, lines[position].text.isEmpty || lines[position].indent > level {
                    body.append(String(repeating: " ", count: max(0, lines[position].indent - level - 2)) + lines[position].text)
                    position += 1
                }
                entries.append((key, .scalar(body.joined(separator: "\n").trimmingCharacters(in: .newlines))))
            } else if rest.isEmpty {
                skipBlank(lines, &position)
                if position < lines.count, lines[position].indent > level
                    || (lines[position].indent == level && lines[position].text.hasPrefix("- ")) {
                    entries.append((key, try parseBlock(&lines, &position, indent: lines[position].indent)))
                } else {
                    entries.append((key, .scalar("")))
                }
            } else {
                entries.append((key, try scalarOrFlow(rest, line: line.number)))
            }
        }
        return .mapping(entries)
    }

    /// The colon that ends a mapping key, outside quotes and followed by a space or the end.
    private static func keyColon(_ text: String) -> String.Index? {
        var quote: Character?
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c } else if c == ":" {
                let next = text.index(after: i)
                if next == text.endIndex || text[next] == " " { return i }
            }
            i = text.index(after: i)
        }
        return nil
    }

    private static func stripComment(_ text: String) -> String {
        guard let range = text.range(of: " #") else { return text }
        let before = text[..<range.lowerBound]
        return before.filter({ $0 == "\"" }).count % 2 == 0 && before.filter({ $0 == "'" }).count % 2 == 0 ? String(before) : text
    }

    private static func scalarOrFlow(_ text: String, line: Int) throws -> Node {
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else { throw ParseError(line: line, message: "unclosed flow sequence") }
            let inner = text.dropFirst().dropLast()
            return .sequence(inner.split(separator: ",").map { .scalar(unquote($0.trimmingCharacters(in: .whitespaces))) })
        }
        if text.hasPrefix("{") || text.hasPrefix("&") || text.hasPrefix("*") || text.hasPrefix("!") {
            throw ParseError(line: line, message: "outside the supported subset: \(text)")
        }
        return .scalar(unquote(text))
    }

    private static func unquote(_ text: String) -> String {
        if text.count >= 2, let f = text.first, f == "\"" || f == "'", text.last == f { return String(text.dropFirst().dropLast()) }
        return text
    }
}
