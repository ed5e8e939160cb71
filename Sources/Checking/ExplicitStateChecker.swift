import Foundation
import TransitionSystems

/// Breadth-first search over the reachable states, with a compact visited set.
///
/// Every invariant asked for is checked on every state as it is first reached, so the
/// first violating state found is at the smallest depth: its trace is a shortest
/// counterexample. The search ends when every invariant asked for is violated, when no
/// new state appears (then each remaining invariant is `proved` on all reachable
/// states), or at a bound (depth or state limit; then `holds-up-to-depth` for the depth
/// explored completely). A ``CheckOptions/cancellation`` is polled at each level and every
/// 4096 states; it stops the search like a bound.
///
/// Each level is expanded in batches by ``CheckOptions/threads`` ``Expander``s side by side
/// and inserted in frontier order, so states are numbered as on one thread. Under symmetry
/// reduction one state per class of renamings is kept. Under partial-order reduction
/// (``PartialOrderReduction``) depth is not kept: a counterexample may not be shortest (its
/// result says so), and a search cut short by a bound answers `unknown`.
public struct ExplicitStateChecker: Checker {
    public let engine = EngineKind.explicit
    public let system: TransitionSystem
    public let options: CheckOptions

    public init(system: TransitionSystem, options: CheckOptions = CheckOptions()) {
        self.system = system
        self.options = options
    }

    /// Tells `listener` of each violation as its state is first reached, and of the other
    /// verdicts when the search ends.
    public func check(_ invariants: [String], listener: CheckListener) throws -> Run {
        let indices = try system.invariantIndices(invariants)
        let collector = RunCollector(invariants, listener)
        let start = Date()
        let symmetry = options.useSymmetry ? Symmetry(layout: system.layout, domains: system.spec.symmetric) : nil
        let renames = symmetry.map { !$0.isTrivial } ?? false
        var scratch = [UInt8](repeating: 0, count: system.layout.count)
        var best = scratch
        var symmetryChecks = 0
        var store = StateStore(slotSizes: system.layout.slots.map(\.domain.size))
        var packed = [UInt64](repeating: 0, count: store.wordsPerState)
        var current = [UInt8](repeating: 0, count: system.layout.count)
        var next = current
        var pending = Array(indices.indices)
        var transitions = 0
        let reduction = options.usePartialOrderReduction ? PartialOrderReduction(system: system, invariants: indices) : nil
        let threads = max(1, options.threads)
        let expanders = (0..<threads).map { _ in
            Expander(system: system, symmetry: symmetry, reduction: reduction, wordsPerState: store.wordsPerState)
        }
        // The calling thread's interpreter, for invariants and checks between batches.
        let interpreter = expanders[0].interpreter
        var reducedStates = 0
        var perDepth: [DepthStatistics] = []
        var lastProgress = start

        func statistics() -> Statistics {
            var statistics = Statistics()
            statistics.states = store.count
            statistics.transitions = transitions
            if reduction != nil { statistics.reducedStates = reducedStates }
            statistics.storeBytesPerState = store.allocatedBytesPerState
            statistics.seconds = Date().timeIntervalSince(start)
            statistics.peakMemoryBytes = ProcessMemory.peakResidentBytes()
            statistics.perDepth = perDepth
            return statistics
        }

        func checkInvariants(_ stateNumber: Int, _ bytes: UnsafeBufferPointer<UInt8>) throws {
            var k = 0
            while k < pending.count {
                if try !interpreter.holds(indices[pending[k]], in: bytes) {
                    let counterexample = try self.counterexample(to: stateNumber, store, symmetry: renames ? symmetry : nil,
                                                                 interpreter: interpreter)
                    var result = CheckResult(invariant: invariants[pending[k]], verdict: .violated, engine: engine,
                                             depth: counterexample.depth, counterexample: counterexample,
                                             detail: "violated after \(counterexample.depth) steps", statistics: statistics())
                    if reduction != nil {
                        result.isShortest = false
                        result.detail += " (under partial-order reduction: may not be the shortest)"
                    }
                    collector.settle(result)
                    pending.remove(at: k)
                } else {
                    k += 1
                }
            }
        }

        for state in try interpreter.initialStates() {
            var slots = state.slots
            if renames { symmetry!.canonicalize(&slots, scratch: &scratch, best: &best) }
            try slots.withUnsafeBufferPointer { p in
                store.pack(p, into: &packed)
                let (index, inserted) = store.insert(packed, parent: -1, via: -1)
                if inserted { try checkInvariants(index, p) }
            }
        }

        var depth = 0
        var levelStart = 0
        var exhausted = false
        var stoppedBy: StopReason?
        search: while !pending.isEmpty {
            let levelEnd = store.count
            if levelStart == levelEnd { exhausted = true; break }
            if let maxDepth = options.maxDepth, depth >= maxDepth { stoppedBy = .depthLimit(maxDepth); break }
            if let reason = options.cancellation?.stopReason { stoppedBy = reason; break }
            let levelTime = Date()
            var batchStart = levelStart
            while batchStart < levelEnd {
                // Expand a batch of the frontier, split between the expanders; then insert in order.
                let batchEnd = min(levelEnd, batchStart + Self.statesPerBatch * threads)
                let ranges = Self.split(batchStart..<batchEnd, into: threads)
                store.withReader { reader in
                    if ranges.count == 1 {
                        expanders[0].expand(ranges[0], reader)
                    } else {
                        DispatchQueue.concurrentPerform(iterations: ranges.count) { w in expanders[w].expand(ranges[w], reader) }
                    }
                }
                for (w, range) in ranges.enumerated() {
                    let expander = expanders[w]
                    for (position, index) in range.enumerated() {
                        if renames && symmetryChecks < Self.symmetryChecksPerRun {
                            symmetryChecks += 1
                            store.unpack(index, into: &current)
                            try verifySymmetry(symmetry!, at: current, interpreter)
                        }
                        if let failure = expander.output.failure, failure.position == position { throw failure.error }
                        let successors = (position == 0 ? 0 : expander.output.ends[position - 1])..<expander.output.ends[position]
                        var ampleOnly = false
                        if expander.output.hasAmpleSet[position] {
                            // The cycle proviso: the ample set alone only when all its successors are new.
                            let words = store.wordsPerState
                            ampleOnly = successors.allSatisfy { k in
                                !expander.output.inAmpleSet[k] || !store.contains(expander.output.words[(k * words)..<((k + 1) * words)])
                            }
                            if ampleOnly { reducedStates += 1 }
                        }
                        for k in successors where !ampleOnly || expander.output.inAmpleSet[k] {
                            let base = k * store.wordsPerState
                            for w in 0..<store.wordsPerState { packed[w] = expander.output.words[base + w] }
                            transitions += 1
                            let (newIndex, inserted) = store.insert(packed, parent: index, via: Int(expander.output.via[k]))
                            if inserted {
                                store.unpack(newIndex, into: &next)
                                try next.withUnsafeBufferPointer { q in try checkInvariants(newIndex, q) }
                            }
                        }
                        if pending.isEmpty { break search }
                        if let maxStates = options.maxStates, store.count >= maxStates {
                            stoppedBy = .stateLimit(maxStates)
                            break search
                        }
                        if index & 0xFFF == 0, let reason = options.cancellation?.stopReason {
                            stoppedBy = reason
                            break search
                        }
                        if let progress = options.progress, index & 0xFFF == 0, Date().timeIntervalSince(lastProgress) >= 1 {
                            lastProgress = Date()
                            progress(Progress(engine: engine, depth: depth + 1, states: store.count,
                                              seconds: lastProgress.timeIntervalSince(start)))
                        }
                    }
                }
                batchStart = batchEnd
            }
            perDepth.append(DepthStatistics(depth: depth + 1, seconds: Date().timeIntervalSince(levelTime), size: store.count - levelEnd))
            levelStart = levelEnd
            depth += 1
        }

        let final = statistics()
        for position in indices.indices where !collector.isSettled(invariants[position]) {
            let name = invariants[position]
            if exhausted {
                collector.settle(CheckResult(invariant: name, verdict: .proved, engine: engine, depth: depth,
                                             detail: "holds on all \(store.count) reachable states", statistics: final))
                continue
            }
            // Every state up to `depth` was checked; a state limit may cut the next level short.
            let reason = stoppedBy!
            let detail = reason.isCancellation ? "\(reason.stoppedDetail(afterDepth: depth)) (\(store.count) states)"
                : "stopped at the \(reason) after \(store.count) states"
            if reduction != nil {
                // The reduced graph may reach a state later than the full graph does: a search of
                // it cut short says nothing about any depth of the full graph.
                collector.settle(CheckResult(invariant: name, verdict: .unknown, engine: engine, depth: nil,
                                             detail: "\(detail); under partial-order reduction only an exhaustive search decides",
                                             stopReason: reason, statistics: final))
                continue
            }
            collector.settle(CheckResult(invariant: name, verdict: .holdsUpToDepth, engine: engine, depth: depth,
                                         detail: detail,
                                         stopReason: reason, statistics: final))
        }
        return collector.run(statistics: final, stopReason: pending.isEmpty ? .settled : exhausted ? .exhausted : stoppedBy!)
    }

    /// The run to state `stateNumber` of the store: under symmetry, the concrete run behind its canonical states.
    private func counterexample(to stateNumber: Int, _ store: StateStore, symmetry: Symmetry?,
                                interpreter: Interpreter) throws -> Counterexample {
        var chain: [Int] = []
        var index = stateNumber
        while index >= 0 {
            chain.append(index)
            index = Int(store.parents[index])
        }
        chain.reverse()
        var bytes = [UInt8](repeating: 0, count: system.layout.count)
        var states = chain.map { n -> State in
            store.unpack(n, into: &bytes)
            return State(slots: bytes)
        }
        var instances = chain.dropFirst().map { Int(store.via[$0]) }
        if let symmetry {
            (states, instances) = try concreteRun(through: states, symmetry, interpreter)
        }
        return Counterexample(system: system, states: states, instances: instances)
    }

    // MARK: - Symmetry

    /// How many frontier states each expander takes per batch.
    static let statesPerBatch = 2048

    /// `range` cut into at most `parts` consecutive ranges of nearly equal size, none empty.
    static func split(_ range: Range<Int>, into parts: Int) -> [Range<Int>] {
        let parts = max(1, min(parts, range.count))
        let size = range.count / parts, extra = range.count % parts
        var result: [Range<Int>] = [], lower = range.lowerBound
        for k in 0..<parts {
            let upper = lower + size + (k < extra ? 1 : 0)
            result.append(lower..<upper)
            lower = upper
        }
        return result
    }

    /// How many explored states have the declared symmetry checked on them, per run.
    static let symmetryChecksPerRun = 300

    /// The real run behind a chain of canonical states: from the spec's initial state whose
    /// canonical form starts the chain, each step is the first instance (in instance order) whose
    /// successor has the next canonical form.
    private func concreteRun(through canonical: [State], _ symmetry: Symmetry,
                             _ interpreter: Interpreter) throws -> ([State], [Int]) {
        var scratch = canonical[0].slots, best = scratch
        func canonicalForm(_ state: State) -> [UInt8] {
            var slots = state.slots
            symmetry.canonicalize(&slots, scratch: &scratch, best: &best)
            return slots
        }
        guard var current = try interpreter.initialStates().first(where: { canonicalForm($0) == canonical[0].slots }) else {
            throw InternalError("no initial state of '\(system.spec.name)' has the canonical form the search started from")
        }
        var states = [current], instances: [Int] = []
        for (step, target) in canonical.enumerated().dropFirst() {
            guard let (instance, next) = try interpreter.successors(of: current).first(where: { canonicalForm($0.state) == target.slots }) else {
                throw InternalError("step \(step) of a counterexample found under symmetry has no concrete counterpart")
            }
            states.append(next)
            instances.append(instance)
            current = next
        }
        return (states, instances)
    }

    /// Checks the declared symmetry at `state`: renaming the state renames its successors, and
    /// keeps every invariant's truth. A spec that claims a symmetry it does not have is invalid.
    private func verifySymmetry(_ symmetry: Symmetry, at slots: [UInt8], _ interpreter: Interpreter) throws {
        let state = State(slots: slots)
        let successors = Set(try interpreter.successors(of: state).map(\.state.slots))
        let verdicts = try system.invariants.indices.map { try interpreter.holds($0, in: state) }
        for k in 0..<symmetry.count {
            let renamed = State(slots: symmetry.renamed(slots, by: k))
            let renamedSuccessors = Set(try interpreter.successors(of: renamed).map(\.state.slots))
            let expected = Set(successors.map { symmetry.renamed($0, by: k) })
            let renamedVerdicts = try system.invariants.indices.map { try interpreter.holds($0, in: renamed) }
            if renamedSuccessors != expected || renamedVerdicts != verdicts {
                let names = system.spec.symmetric.map(\.name).joined(separator: ", ")
                throw SpecError.invalid(spec: system.spec.name, problems: [
                    "the spec declares \(names) symmetric, but renaming them changes what can happen in state: \(state.description(in: system.layout))",
                ])
            }
        }
    }
}
