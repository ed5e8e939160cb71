/// The list of choices that determines a controlled execution: replaying it runs the same
/// steps in the same order, and its weak reads observe the same writes.
public struct Schedule: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The chosen `Choice.id`s, in order.
    public var steps: [String]
    /// The weak reads that observed a write older than the newest (every other read observes
    /// the newest), in order.
    public var reads: [ReadChoice]

    public init(_ steps: [String] = [], reads: [ReadChoice] = []) {
        self.steps = steps
        self.reads = reads
    }

    /// Parses the space-separated form printed by `description`: choice ids, each followed by
    /// the reads of its step in braces (`cpu1 {buf1.rx_len=1}`).
    public init(parsing text: String) {
        steps = []
        reads = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if token.hasPrefix("{"), token.hasSuffix("}"), let equals = token.lastIndex(of: "="),
               let write = Int(token[token.index(after: equals)..<token.index(before: token.endIndex)]) {
                reads.append(ReadChoice(step: steps.count, location: String(token[token.index(after: token.startIndex)..<equals]), write: write))
            } else {
                steps.append(String(token))
            }
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        steps = try container.decode([String].self, forKey: .steps)
        reads = try container.decodeIfPresent([ReadChoice].self, forKey: .reads) ?? []
    }

    public var count: Int { steps.count }

    /// The steps separated by spaces, each followed by its reads, ready to paste into a replay.
    public var description: String {
        var tokens: [String] = []
        for (index, step) in steps.enumerated() {
            tokens.append(step)
            tokens += reads.filter { $0.step == index + 1 }.map(\.description)
        }
        return tokens.joined(separator: " ")
    }
}
