/// A compact set of states for breadth-first search: each state bit-packed into fixed-width
/// words in one contiguous buffer, found through an open-addressing hash table, and
/// remembered with the state it came from and the instance that led to it.
///
/// States get numbers in insertion order, so a breadth-first search's frontier is a
/// range of numbers and the store doubles as the queue.
struct StateStore {
    private let shifts: [Int]
    private let wordOf: [Int]
    private let masks: [UInt64]
    let wordsPerState: Int
    private var words: [UInt64] = []
    private(set) var parents: [Int32] = []
    private(set) var via: [Int32] = []
    private var table: [Int32]
    private var tableMask: Int

    /// A store for states whose slot `i` takes `sizes[i]` values.
    init(slotSizes sizes: [Int]) {
        var shifts: [Int] = [], wordOf: [Int] = [], masks: [UInt64] = []
        var word = 0, bit = 0
        for size in sizes {
            let bits = size <= 1 ? 0 : (Int.bitWidth - (size - 1).leadingZeroBitCount)
            if bit + bits > 64 { word += 1; bit = 0 }
            shifts.append(bit)
            wordOf.append(word)
            masks.append(bits == 0 ? 0 : (UInt64(1) << UInt64(bits)) - 1)
            bit += bits
        }
        self.shifts = shifts
        self.wordOf = wordOf
        self.masks = masks
        self.wordsPerState = word + 1
        self.table = Array(repeating: -1, count: 1 << 12)
        self.tableMask = (1 << 12) - 1
    }

    var count: Int { parents.count }

    /// Packs `state` into `packed` (which has ``wordsPerState`` words).
    func pack(_ state: UnsafeBufferPointer<UInt8>, into packed: inout [UInt64]) {
        packed.withUnsafeMutableBufferPointer { out in
            shifts.withUnsafeBufferPointer { shifts in
                wordOf.withUnsafeBufferPointer { wordOf in
                    for w in 0..<out.count { out[w] = 0 }
                    for i in 0..<state.count {
                        out[wordOf[i]] |= UInt64(state[i]) << UInt64(shifts[i])
                    }
                }
            }
        }
    }

    /// Unpacks state number `index` into `state`.
    func unpack(_ index: Int, into state: inout [UInt8]) {
        let base = index * wordsPerState
        for i in 0..<state.count {
            state[i] = UInt8((words[base + wordOf[i]] >> UInt64(shifts[i])) & masks[i])
        }
    }

    /// Inserts a packed state; returns its number and whether it is new.
    mutating func insert(_ packed: [UInt64], parent: Int, via instance: Int) -> (index: Int, inserted: Bool) {
        if count * 2 >= table.count { grow() }
        var slot = Self.hash(packed[...]) & tableMask
        while true {
            let entry = Int(table[slot])
            if entry < 0 {
                let index = count
                table[slot] = Int32(index)
                words.append(contentsOf: packed)
                parents.append(Int32(parent))
                via.append(Int32(instance))
                return (index, true)
            }
            if equals(entry, packed) { return (entry, false) }
            slot = (slot + 1) & tableMask
        }
    }

    /// Whether the packed state `packed` (``wordsPerState`` words) is stored.
    func contains(_ packed: ArraySlice<UInt64>) -> Bool {
        var slot = Self.hash(packed) & tableMask
        while true {
            let entry = Int(table[slot])
            if entry < 0 { return false }
            let base = entry * wordsPerState
            if packed.indices.allSatisfy({ words[base + $0 - packed.startIndex] == packed[$0] }) { return true }
            slot = (slot + 1) & tableMask
        }
    }

    private func equals(_ index: Int, _ packed: [UInt64]) -> Bool {
        let base = index * wordsPerState
        for w in 0..<wordsPerState where words[base + w] != packed[w] { return false }
        return true
    }

    private mutating func grow() {
        let size = table.count * 2
        table = Array(repeating: -1, count: size)
        tableMask = size - 1
        for index in 0..<count {
            var slot = Self.hash(words[(index * wordsPerState)..<((index + 1) * wordsPerState)]) & tableMask
            while table[slot] >= 0 { slot = (slot + 1) & tableMask }
            table[slot] = Int32(index)
        }
    }

    private static func hash(_ words: ArraySlice<UInt64>) -> Int {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        for w in words.indices {
            h ^= words[w]
            h = (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 32
        }
        return Int(truncatingIfNeeded: h)
    }
}
