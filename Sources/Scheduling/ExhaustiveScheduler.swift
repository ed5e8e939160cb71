/// Explores every execution, depth first, whose number of preemptions stays within a bound.
///
/// A preemption is a choice marked `Choice.isPreemption`: switching away from an actor
/// that could go on, or letting the environment act while some actor could run. With bound
/// 0 every actor runs until it blocks or finishes, and device replies and deadlines happen
/// only when no actor can run; each extra unit of bound allows one more interleaving at an
/// arbitrary point. Choices that are free (the running actor going on, any actor when the
/// running one blocked) are all explored.
///
/// The scheduler is stateless across executions except for its depth-first stack: each
/// execution replays the prefix up to the last choice point with an untried alternative,
/// takes that alternative, and continues with the first free choice. A replayed prefix that
/// no longer offers the same choices is reported in `nondeterministicExecutions`.
///
/// With `exploresOlderWrites`, every weak read is a choice point too: it observes each write its
/// actor's view allows, the newest first (so the first execution is sequentially consistent),
/// and these choices cost no preemption.
public final class ExhaustiveScheduler: Scheduler {
    public let preemptionBound: Int
    public let maxExecutions: Int
    public let maxDepth: Int

    /// Executions started so far.
    public private(set) var executions = 0
    /// Executions cut short by `maxDepth`.
    public private(set) var depthLimitedExecutions = 0
    /// Executions whose replayed prefix offered different choices than before.
    public private(set) var nondeterministicExecutions = 0
    /// True once every execution within the bounds has run.
    public private(set) var isExhausted = false

    /// Whether weak reads branch over every write they may observe.
    public var exploresOlderWrites = false

    /// One choice point: the ids offered (steps, or for a read the writes it may observe), which
    /// of them are preemptions, and the one taken.
    private struct Frame {
        var ids: [String]
        var preemptive: [Bool]
        var index: Int
        var preemptionsBefore: Int
    }

    private var stack: [Frame] = []
    private var depth = 0
    private var preemptions = 0
    private var started = false
    private var cutByDepth = false

    public init(preemptionBound: Int, maxExecutions: Int = .max, maxDepth: Int = 5_000) {
        self.preemptionBound = preemptionBound
        self.maxExecutions = maxExecutions
        self.maxDepth = maxDepth
    }

    public func beginExecution() -> Bool {
        guard !isExhausted, executions < maxExecutions else { return false }
        if started, !backtrack() {
            isExhausted = true
            return false
        }
        started = true
        depth = 0
        preemptions = 0
        cutByDepth = false
        executions += 1
        return true
    }

    public func choose(from choices: [Choice], step: Int) -> String? {
        guard depth < maxDepth else {
            cutByDepth = true
            return nil
        }
        return next(ids: choices.map(\.id), preemptive: choices.map(\.isPreemption))
    }

    public func chooseWrite(for read: WeakRead) -> Int? {
        guard exploresOlderWrites, read.allowed.count > 1 else { return nil }
        let writes = Array(read.allowed.reversed())
        guard let id = next(ids: writes.map { "\(read.location.name)=\($0)" }, preemptive: writes.map { _ in false }),
              let index = writes.indices.first(where: { "\(read.location.name)=\(writes[$0])" == id }) else { return nil }
        return writes[index]
    }

    /// The id taken at the next choice point: the replayed prefix's, or the first affordable one.
    private func next(ids: [String], preemptive: [Bool]) -> String? {
        if depth < stack.count {
            let frame = stack[depth]
            guard frame.ids == ids else {
                nondeterministicExecutions += 1
                stack.removeSubrange(depth...)
                return nil
            }
            if frame.preemptive[frame.index] { preemptions += 1 }
            depth += 1
            return frame.ids[frame.index]
        }
        let affordable = preemptions < preemptionBound
        guard let index = ids.indices.first(where: { !preemptive[$0] || affordable }) else { return nil }
        stack.append(Frame(ids: ids, preemptive: preemptive, index: index, preemptionsBefore: preemptions))
        if preemptive[index] { preemptions += 1 }
        depth += 1
        return ids[index]
    }

    public func endExecution(_ summary: ExecutionSummary) {
        if cutByDepth { depthLimitedExecutions += 1 }
        if depth < stack.count { stack.removeSubrange(depth...) }
    }

    /// Moves to the deepest choice point with an untried alternative within the bound.
    private func backtrack() -> Bool {
        while var frame = stack.popLast() {
            let affordable = frame.preemptionsBefore < preemptionBound
            if let next = frame.ids.indices.first(where: { $0 > frame.index && (!frame.preemptive[$0] || affordable) }) {
                frame.index = next
                stack.append(frame)
                return true
            }
        }
        return false
    }
}
