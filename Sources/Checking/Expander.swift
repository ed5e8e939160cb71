import TransitionSystems

/// One worker of the explicit engine: expands a range of stored states into their packed
/// successors, ready to be inserted in order.
///
/// Expanding is most of a search's work and reads nothing a search changes while it runs
/// (the frontier's states, the interpreter, the renamings, the ample-set tables), so several
/// expanders run side by side, one per core, each on its own part of a batch of the frontier.
/// Inserting their output in frontier order numbers the states exactly as one expander would:
/// the search, its counterexamples and its statistics do not depend on the number of threads.
final class Expander {
    /// The successors of one range of states, in order.
    struct Output {
        /// Packed successors, ``StateStore/wordsPerState`` words each.
        var words: [UInt64] = []
        /// The instance that leads to each successor.
        var via: [Int32] = []
        /// Whether each successor is one of its state's ample set (partial-order reduction).
        var inAmpleSet: [Bool] = []
        /// Per state expanded: where its successors end in ``via``, and whether it has an ample set.
        var ends: [Int] = []
        var hasAmpleSet: [Bool] = []
        /// The first runtime error met, with the position (in the range) of the state it was met in;
        /// the states before it are complete.
        var failure: (position: Int, error: Error)?

        mutating func clear() {
            words.removeAll(keepingCapacity: true)
            via.removeAll(keepingCapacity: true)
            inAmpleSet.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            hasAmpleSet.removeAll(keepingCapacity: true)
            failure = nil
        }
    }

    let interpreter: Interpreter
    private let symmetry: Symmetry?
    private let reduction: PartialOrderReduction?
    private var scratch: [UInt8]
    private var best: [UInt8]
    private var current: [UInt8]
    private var next: [UInt8]
    private var written: [Int] = []
    private var packed: [UInt64]
    private var enabled: [Int] = []
    var output = Output()

    init(system: TransitionSystem, symmetry: Symmetry?, reduction: PartialOrderReduction?, wordsPerState: Int) {
        interpreter = Interpreter(system)
        self.symmetry = symmetry.flatMap { $0.isTrivial ? nil : $0 }
        self.reduction = reduction
        scratch = [UInt8](repeating: 0, count: system.layout.count)
        best = scratch
        current = scratch
        next = scratch
        packed = [UInt64](repeating: 0, count: wordsPerState)
    }

    /// Expands the states numbered `range`, read through `reader`, into ``output``.
    func expand(_ range: Range<Int>, _ reader: StateStore.Reader) {
        output.clear()
        for (position, index) in range.enumerated() {
            reader.unpack(index, into: &current)
            do {
                try expandCurrent(reader)
            } catch {
                output.failure = (position, error)
                return
            }
            output.ends.append(output.via.count)
        }
    }

    private func expandCurrent(_ reader: StateStore.Reader) throws {
        enabled.removeAll(keepingCapacity: true)
        try current.withUnsafeBufferPointer { p in
            try interpreter.forEachCandidate(in: p) { instance in
                guard try interpreter.successor(of: p, by: instance, into: &next, written: &written) else { return }
                symmetry?.canonicalize(&next, scratch: &scratch, best: &best)
                next.withUnsafeBufferPointer { q in reader.pack(q, into: &packed) }
                output.words.append(contentsOf: packed)
                output.via.append(Int32(instance))
                enabled.append(instance)
            }
            let ample = reduction?.ample(in: p, enabled: enabled)
            output.hasAmpleSet.append(ample != nil)
            for instance in enabled { output.inAmpleSet.append(ample?.contains(instance) ?? false) }
        }
    }
}
