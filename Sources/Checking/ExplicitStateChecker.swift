import Foundation
import Traces
import TransitionSystems

/// Breadth-first search over the reachable states, with a compact visited set.
///
/// Every invariant asked for is checked on every state as it is first reached, so the
/// first violating state found is at the smallest depth: its trace is a shortest
/// counterexample. The search ends when every invariant asked for is violated, when no
/// new state appears (then each remaining invariant is `proved` on all reachable
/// states), or at a bound (depth or state limit; then `holds-up-to-depth` for the depth
/// explored completely).
public struct ExplicitStateChecker: Checker {
    public let engine = "explicit"
    public let system: TransitionSystem
    public let options: CheckOptions
    /// Labels the traces it returns.
    public let variant: String?
    public let configuration: [String: String]

    public init(system: TransitionSystem, options: CheckOptions = CheckOptions(), variant: String? = nil,
                configuration: [String: String] = [:]) {
        self.system = system
        self.options = options
        self.variant = variant
        self.configuration = configuration
    }

    public func check(_ invariants: [String]) throws -> [CheckResult] {
        let indices = try invariants.map { name -> Int in
            guard let i = system.invariants.firstIndex(where: { $0.name == name }) else {
                throw SpecError.invalid(spec: system.spec.name, problems: ["no invariant named '\(name)'"])
            }
            return i
        }
        let start = Date()
        let interpreter = Interpreter(system)
        var store = StateStore(slotSizes: system.layout.slots.map(\.domain.size))
        var packed = [UInt64](repeating: 0, count: store.wordsPerState)
        var current = [UInt8](repeating: 0, count: system.layout.count)
        var next = current
        var written: [Int] = []
        var violations: [Int: Int] = [:]  // invariant position -> state number
        var pending = Array(indices.indices)
        var transitions = 0
        var perDepth: [DepthStatistics] = []
        var lastProgress = start

        func checkInvariants(_ stateNumber: Int, _ bytes: UnsafeBufferPointer<UInt8>) throws {
            var k = 0
            while k < pending.count {
                if try !interpreter.holds(indices[pending[k]], in: bytes) {
                    violations[pending[k]] = stateNumber
                    pending.remove(at: k)
                } else {
                    k += 1
                }
            }
        }

        for state in try interpreter.initialStates() {
            try state.slots.withUnsafeBufferPointer { p in
                store.pack(p, into: &packed)
                let (index, inserted) = store.insert(packed, parent: -1, via: -1)
                if inserted { try checkInvariants(index, p) }
            }
        }

        var depth = 0
        var levelStart = 0
        var exhausted = false
        var stoppedBy: String?
        search: while !pending.isEmpty {
            let levelEnd = store.count
            if levelStart == levelEnd { exhausted = true; break }
            if let maxDepth = options.maxDepth, depth >= maxDepth { stoppedBy = "depth limit \(maxDepth)"; break }
            let levelTime = Date()
            for index in levelStart..<levelEnd {
                store.unpack(index, into: &current)
                try current.withUnsafeBufferPointer { p in
                    try interpreter.forEachCandidate(in: p) { instance in
                        guard try interpreter.successor(of: p, by: instance, into: &next, written: &written) else { return }
                        transitions += 1
                        next.withUnsafeBufferPointer { q in store.pack(q, into: &packed) }
                        let (newIndex, inserted) = store.insert(packed, parent: index, via: instance)
                        if inserted { try next.withUnsafeBufferPointer { q in try checkInvariants(newIndex, q) } }
                    }
                }
                if pending.isEmpty { break search }
                if let maxStates = options.maxStates, store.count >= maxStates {
                    stoppedBy = "state limit \(maxStates)"
                    break search
                }
                if let progress = options.progress, index & 0xFFF == 0, Date().timeIntervalSince(lastProgress) >= 1 {
                    lastProgress = Date()
                    progress(Progress(engine: engine, depth: depth + 1, states: store.count, seconds: lastProgress.timeIntervalSince(start)))
                }
            }
            perDepth.append(DepthStatistics(depth: depth + 1, seconds: Date().timeIntervalSince(levelTime), size: store.count - levelEnd))
            levelStart = levelEnd
            depth += 1
        }

        var statistics = Statistics()
        statistics.states = store.count
        statistics.transitions = transitions
        statistics.seconds = Date().timeIntervalSince(start)
        statistics.peakMemoryBytes = ProcessMemory.peakResidentBytes()
        statistics.perDepth = perDepth

        return indices.indices.map { position in
            let name = invariants[position]
            if let stateNumber = violations[position] {
                let trace = self.trace(to: stateNumber, store, invariant: name)
                return CheckResult(invariant: name, verdict: .violated, engine: engine, depth: trace.depth, trace: trace,
                                   detail: "violated after \(trace.depth) steps", statistics: statistics)
            }
            if exhausted {
                return CheckResult(invariant: name, verdict: .proved, engine: engine, depth: depth,
                                   detail: "holds on all \(store.count) reachable states", statistics: statistics)
            }
            // Every state up to `depth` was checked; a state limit may cut the next level short.
            let complete = stoppedBy?.hasPrefix("state") == true ? max(depth, 0) : depth
            return CheckResult(invariant: name, verdict: .holdsUpToDepth, engine: engine, depth: complete,
                               detail: "stopped at the \(stoppedBy ?? "limit") after \(store.count) states",
                               statistics: statistics)
        }
    }

    private func trace(to stateNumber: Int, _ store: StateStore, invariant: String) -> Trace {
        var chain: [Int] = []
        var index = stateNumber
        while index >= 0 {
            chain.append(index)
            index = Int(store.parents[index])
        }
        chain.reverse()
        var bytes = [UInt8](repeating: 0, count: system.layout.count)
        let states = chain.map { n -> State in
            store.unpack(n, into: &bytes)
            return State(slots: bytes)
        }
        let instances = chain.dropFirst().map { Int(store.via[$0]) }
        return Trace(system: system, states: states, instances: instances, variant: variant,
                     configuration: configuration, invariant: invariant)
    }
}
