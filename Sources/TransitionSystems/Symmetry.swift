/// The renamings of a spec's symmetric domains, as permutations of a state's slots and values.
///
/// Renaming CPU 0 and CPU 1 moves the slots of every array indexed by CPUs and replaces every
/// stored CPU value. When the spec's steps and invariants do not tell renamed values apart,
/// a state and its renamings are equally reachable and equally (in)valid, so a search may keep
/// only one of them: the *canonical* one, the least renaming in byte order. Breadth-first depth
/// is preserved, so shortest counterexamples stay shortest.
public struct Symmetry: Sendable {
    /// One renaming: slot `i`'s value moves to `targets[i]`, translated by `values[i]` (nil: unchanged).
    struct Renaming: Sendable {
        let targets: [Int]
        let values: [[UInt8]?]
    }

    let renamings: [Renaming]
    /// The renamings flattened for ``canonicalize(_:scratch:best:)``, read position by position of
    /// the renamed state: position `j` of renaming `k` takes the value of slot
    /// `sources[k * slotCount + j]`, translated through `table[offsets[k * slotCount + j] + value]`.
    private let sources: [Int32]
    private let offsets: [Int32]
    private let table: [UInt8]
    private let slotCount: Int

    /// The renamings of `domains` (every combination of permutations, identity excluded).
    public init(layout: StateLayout, domains: [Domain]) {
        var permutationSets: [[[Int]]] = []
        for domain in domains { permutationSets.append(Self.permutations(of: domain.size)) }
        var combinations: [[[Int]]] = [[]]
        for set in permutationSets { combinations = combinations.flatMap { prefix in set.map { prefix + [$0] } } }
        var renamings: [Renaming] = []
        for combination in combinations {
            let isIdentity = combination.allSatisfy { permutation in permutation.enumerated().allSatisfy { $0.offset == $0.element } }
            if isIdentity { continue }
            func permutation(for domain: Domain) -> [Int]? {
                // A domain is renamed by its own permutation; its optional form keeps `none` in place.
                if let k = domains.firstIndex(where: { $0 == domain }) { return combination[k] }
                if case .optional(let base) = domain.kind, let k = domains.firstIndex(where: { $0.name == base }) {
                    return combination[k] + [domain.size - 1]
                }
                return nil
            }
            var targets = Array(layout.slots.indices)
            var values: [[UInt8]?] = Array(repeating: nil, count: layout.count)
            for (i, slot) in layout.slots.enumerated() {
                let variable = layout.variables[slot.variable]
                if let element = slot.element, let index = variable.index, let p = permutation(for: index) {
                    targets[i] = layout.offsets[slot.variable] + p[element]
                }
                if let p = permutation(for: slot.domain) { values[i] = p.map { UInt8($0) } }
            }
            renamings.append(Renaming(targets: targets, values: values))
        }
        self.renamings = renamings
        // Row 0 of the table is the identity; each value permutation gets a row of its own.
        let n = layout.count
        var table = (0..<256).map { UInt8($0) }
        var rows: [[UInt8]: Int32] = [:]
        var sources = [Int32](repeating: 0, count: renamings.count * n)
        var offsets = [Int32](repeating: 0, count: renamings.count * n)
        for (k, renaming) in renamings.enumerated() {
            for i in 0..<n {
                let j = renaming.targets[i]
                sources[k * n + j] = Int32(i)
                guard let permutation = renaming.values[i] else { continue }
                let row = rows[permutation] ?? {
                    let offset = Int32(table.count)
                    table += permutation + [UInt8](repeating: 0, count: 256 - permutation.count)
                    rows[permutation] = offset
                    return offset
                }()
                offsets[k * n + j] = row
            }
        }
        self.sources = sources
        self.offsets = offsets
        self.table = table
        self.slotCount = n
    }

    /// Whether there is anything to rename.
    public var isTrivial: Bool { renamings.isEmpty }

    /// The number of renamings, identity excluded.
    public var count: Int { renamings.count }

    /// Replaces `state` by its canonical renaming: the least, in byte order, of the state and every
    /// renaming of it. `scratch` and `best` are work buffers of the state's length.
    ///
    /// Each renaming is produced position by position and compared as it goes: one that is
    /// greater than the best so far is dropped at its first differing position.
    public func canonicalize(_ state: inout [UInt8], scratch: inout [UInt8], best: inout [UInt8]) {
        let n = slotCount
        guard !renamings.isEmpty, state.count == n else { return }
        var improved = false
        for k in 0..<renamings.count {
            let less: Bool = sources.withUnsafeBufferPointer { sources in
                offsets.withUnsafeBufferPointer { offsets in
                    table.withUnsafeBufferPointer { table in
                        state.withUnsafeBufferPointer { input in
                            scratch.withUnsafeMutableBufferPointer { out in
                                (improved ? best : state).withUnsafeBufferPointer { current in
                                    let base = k * n
                                    var j = 0
                                    while j < n {
                                        let v = table[Int(offsets[base + j]) + Int(input[Int(sources[base + j])])]
                                        out[j] = v
                                        if v != current[j] {
                                            if v > current[j] { return false }
                                            j += 1
                                            while j < n {
                                                out[j] = table[Int(offsets[base + j]) + Int(input[Int(sources[base + j])])]
                                                j += 1
                                            }
                                            return true
                                        }
                                        j += 1
                                    }
                                    return false
                                }
                            }
                        }
                    }
                }
            }
            if less {
                swap(&scratch, &best)
                improved = true
            }
        }
        if improved { swap(&state, &best) }
    }

    /// `state` renamed by renaming number `k`.
    public func renamed(_ state: [UInt8], by k: Int) -> [UInt8] {
        var out = state
        apply(renamings[k], state, into: &out)
        return out
    }

    private func apply(_ renaming: Renaming, _ state: [UInt8], into out: inout [UInt8]) {
        for i in 0..<state.count {
            let v = state[i]
            out[renaming.targets[i]] = renaming.values[i].map { $0[Int(v)] } ?? v
        }
    }

    private static func permutations(of n: Int) -> [[Int]] {
        guard n > 0 else { return [[]] }
        var result: [[Int]] = []
        func build(_ prefix: [Int], _ rest: [Int]) {
            if rest.isEmpty { result.append(prefix); return }
            for (i, x) in rest.enumerated() {
                var remaining = rest
                remaining.remove(at: i)
                build(prefix + [x], remaining)
            }
        }
        build([], Array(0..<n))
        return result
    }
}
