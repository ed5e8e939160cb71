/// Enumerates every sequence of choices a deterministic evaluation asks for, depth first, by replaying
/// the evaluation with the previous sequence advanced like an odometer from its last position.
struct ChoiceSequence {
    private var choices: [Int] = []
    private var counts: [Int] = []
    private var position = 0

    /// The next choice among `count` options (0-based) on this run.
    mutating func choose(_ count: Int) -> Int {
        defer { position += 1 }
        if position < choices.count {
            counts[position] = count
            return choices[position]
        }
        choices.append(0)
        counts.append(count)
        return 0
    }

    /// Moves to the next untried sequence; false when every sequence has been run.
    mutating func advance() -> Bool {
        choices.removeSubrange(position...)
        counts.removeSubrange(position...)
        position = 0
        while let last = choices.last, let count = counts.last {
            if last + 1 < count {
                choices[choices.count - 1] = last + 1
                return true
            }
            choices.removeLast()
            counts.removeLast()
        }
        return false
    }
}
