/// Splits the body of a C litmus file (after its `C name` line) into tokens, dropping the three
/// comment forms herd7 accepts: `(* ... *)`, `/* ... */` and `// ...`.
///
/// `(* ... *)` is a comment only outside braces: inside the initial state and the thread bodies the
/// text is C, where `WRITE_ONCE(*x, 1)` opens a parenthesis before a dereference.
struct LitmusLexer {
    /// Symbols, longest first so that `/\` wins over `/`.
    private static let symbols = ["/\\", "\\/", "==", "!=", "<=", ">=", "&&", "||", "->",
                                  "{", "}", "(", ")", "[", "]", ";", ",", "*", "&", "=", "<", ">",
                                  "+", "-", "!", "~", ":", "|", "^", "/", "%", "."]

    static func tokens(_ text: String, firstLine: Int) throws -> [LitmusToken] {
        let chars = Array(text.unicodeScalars)
        var tokens: [LitmusToken] = []
        var i = 0
        var line = firstLine
        var depth = 0
        func peek(_ offset: Int) -> Unicode.Scalar? { i + offset < chars.count ? chars[i + offset] : nil }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" { line += 1; i += 1; continue }
            if c == " " || c == "\t" || c == "\r" { i += 1; continue }
            if c == "(" && peek(1) == "*" && depth == 0 {
                let start = line
                i += 2
                while i < chars.count && !(chars[i] == "*" && peek(1) == ")") {
                    if chars[i] == "\n" { line += 1 }
                    i += 1
                }
                if i >= chars.count { throw LitmusError(.syntax, line: start, construct: "(*", "comment not closed") }
                i += 2
                continue
            }
            if c == "/" && peek(1) == "*" {
                let start = line
                i += 2
                while i < chars.count && !(chars[i] == "*" && peek(1) == "/") {
                    if chars[i] == "\n" { line += 1 }
                    i += 1
                }
                if i >= chars.count { throw LitmusError(.syntax, line: start, construct: "/*", "comment not closed") }
                i += 2
                continue
            }
            if c == "/" && peek(1) == "/" {
                while i < chars.count && chars[i] != "\n" { i += 1 }
                continue
            }
            if c.properties.isAlphabetic || c == "_" {
                var text = ""
                while i < chars.count, chars[i].properties.isAlphabetic || chars[i] == "_" || ("0"..."9").contains(chars[i]) {
                    text.unicodeScalars.append(chars[i])
                    i += 1
                }
                tokens.append(LitmusToken(kind: .identifier, text: text, line: line))
                continue
            }
            if ("0"..."9").contains(c) {
                var text = ""
                while i < chars.count, ("0"..."9").contains(chars[i]) || chars[i] == "x" || ("a"..."f").contains(chars[i]) {
                    text.unicodeScalars.append(chars[i])
                    i += 1
                }
                tokens.append(LitmusToken(kind: .number, text: text, line: line))
                continue
            }
            var matched = false
            for symbol in symbols {
                let scalars = Array(symbol.unicodeScalars)
                if i + scalars.count <= chars.count && Array(chars[i..<(i + scalars.count)]) == scalars {
                    if symbol == "{" { depth += 1 }
                    if symbol == "}" { depth = max(0, depth - 1) }
                    tokens.append(LitmusToken(kind: .symbol, text: symbol, line: line))
                    i += scalars.count
                    matched = true
                    break
                }
            }
            if !matched {
                throw LitmusError(.syntax, line: line, construct: String(c), "unexpected character")
            }
        }
        tokens.append(LitmusToken(kind: .end, text: "end of file", line: line))
        return tokens
    }
}
