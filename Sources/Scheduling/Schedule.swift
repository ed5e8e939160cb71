/// The list of choices that determines a controlled execution: replaying it runs the same
/// steps in the same order.
public struct Schedule: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The chosen `Choice.id`s, in order.
    public var steps: [String]

    public init(_ steps: [String] = []) {
        self.steps = steps
    }

    /// Parses the space-separated form printed by `description`.
    public init(parsing text: String) {
        self.steps = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }

    public var count: Int { steps.count }

    /// The steps separated by spaces, ready to paste into a replay.
    public var description: String { steps.joined(separator: " ") }
}
