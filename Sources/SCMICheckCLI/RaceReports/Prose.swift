/// Plain-text prose for mail: paragraphs wrapped at a column, words never split.
enum Prose {
    /// `text` wrapped at `width` columns, every line starting with `indent` (the first with
    /// `firstIndent` when given, for list items).
    static func wrap(_ text: String, width: Int = 72, indent: String = "", firstIndent: String? = nil) -> [String] {
        var lines: [String] = []
        var line = firstIndent ?? indent
        var lineHasWords = false
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if lineHasWords && line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
                lineHasWords = false
            }
            line += (lineHasWords ? " " : "") + word
            lineHasWords = true
        }
        if lineHasWords { lines.append(line) }
        return lines
    }
}
