import TransitionSystems

/// States a spec reaches, gathered to propose lemmas: breadth-first from the initial states up
/// to a cap, then random walks that go deeper than the breadth-first levels, closed under the
/// spec's symmetry.
///
/// The sample only proposes: a lemma that every sampled state satisfies may still be false
/// (the sample is not every reachable state unless ``isExhaustive``), which is why every
/// proposal is proved by ``Houdini`` before anything relies on it. Closing under symmetry is
/// exact: the search keeps one state per renaming of the symmetric domains, and
/// ``forEachState(_:)`` hands out every renaming of each, which are reachable too.
public struct ReachableStateSample {
    /// How much to gather.
    public struct Limits: Sendable, Equatable {
        /// The most distinct states (up to renaming) the breadth-first search keeps.
        public var breadthFirstStates: Int
        /// Random walks from an initial state, after the breadth-first search.
        public var walks: Int
        /// Steps per walk (a walk also ends where nothing is enabled).
        public var walkLength: Int
        /// The random walks' seed.
        public var seed: UInt64

        public init(breadthFirstStates: Int = 100_000, walks: Int = 400, walkLength: Int = 400, seed: UInt64 = 1) {
            self.breadthFirstStates = breadthFirstStates
            self.walks = walks
            self.walkLength = walkLength
            self.seed = seed
        }
    }

    public let system: TransitionSystem
    /// One state per class of renamings, in the order found.
    public let representatives: [[UInt8]]
    /// Whether the breadth-first search reached every reachable state.
    public let isExhaustive: Bool
    /// The deepest breadth-first level completed.
    public let breadthFirstDepth: Int
    private let symmetry: Symmetry

    /// Gathers states of `system` within `limits`; stops early when `cancellation` says so.
    public init(system: TransitionSystem, limits: Limits = Limits(), cancellation: Cancellation? = nil) throws {
        self.system = system
        let symmetry = Symmetry(layout: system.layout, domains: system.spec.symmetric)
        self.symmetry = symmetry
        let interpreter = Interpreter(system)
        var scratch = [UInt8](repeating: 0, count: system.layout.count), best = scratch
        var seen = Set<[UInt8]>()
        var order: [[UInt8]] = []
        func canonical(_ slots: [UInt8]) -> [UInt8] {
            var slots = slots
            symmetry.canonicalize(&slots, scratch: &scratch, best: &best)
            return slots
        }
        func add(_ slots: [UInt8]) -> Bool {
            guard seen.insert(canonical(slots)).inserted else { return false }
            order.append(canonical(slots))
            return true
        }

        let initial = try interpreter.initialStates()
        for state in initial { _ = add(state.slots) }
        var levelStart = 0, depth = 0, exhausted = false
        breadthFirst: while true {
            let levelEnd = order.count
            if levelStart == levelEnd { exhausted = true; break }
            if cancellation?.stopReason != nil { break }
            for index in levelStart..<levelEnd {
                for (_, next) in try interpreter.successors(of: State(slots: order[index])) {
                    _ = add(next.slots)
                    if order.count >= limits.breadthFirstStates { break breadthFirst }
                }
            }
            levelStart = levelEnd
            depth += 1
        }
        isExhaustive = exhausted
        breadthFirstDepth = depth

        if !exhausted && !initial.isEmpty {
            var random = SplitMix64(seed: limits.seed)
            for _ in 0..<limits.walks {
                if cancellation?.stopReason != nil { break }
                var current = initial[Int(random.next() % UInt64(initial.count))]
                for _ in 0..<limits.walkLength {
                    let successors = try interpreter.successors(of: current)
                    if successors.isEmpty { break }
                    current = successors[Int(random.next() % UInt64(successors.count))].state
                    _ = add(current.slots)
                }
            }
        }
        representatives = order
    }

    /// The number of states sampled, renamings included.
    public var count: Int { representatives.count * (symmetry.count + 1) }

    /// Calls `body` with every sampled state and every renaming of it.
    public func forEachState(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        for state in representatives {
            try state.withUnsafeBufferPointer(body)
            for k in 0..<symmetry.count {
                try symmetry.renamed(state, by: k).withUnsafeBufferPointer(body)
            }
        }
    }
}
