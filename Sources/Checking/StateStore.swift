/// A compact set of states for breadth-first search: each state bit-packed (every slot in just
/// enough bits for its domain, slots back to back) into a whole number of bytes in one
/// contiguous buffer, found through an open-addressing hash table, and remembered with the
/// state it came from and the instance that led to it.
///
/// States get numbers in insertion order, so a breadth-first search's frontier is a
/// range of numbers and the store doubles as the queue. A state in transit (packed, not
/// yet stored) is ``wordsPerState`` words whose first ``bytesPerState`` bytes, little-endian,
/// are its stored form and whose other bits are zero.
struct StateStore {
    /// Each slot's first bit and its mask.
    private let offsets: [Int]
    private let masks: [UInt64]
    /// Bits of a packed state: the sum of the slots' widths.
    let bitsPerState: Int
    /// Bytes each stored state takes.
    let bytesPerState: Int
    /// Words of a packed state in transit.
    let wordsPerState: Int
    private var bytes: [UInt8] = []
    private(set) var parents: [Int32] = []
    private(set) var via: [Int32] = []
    private var table: [Int32]
    private var tableMask: Int

    /// A store for states whose slot `i` takes `sizes[i]` values.
    init(slotSizes sizes: [Int]) {
        var offsets: [Int] = [], masks: [UInt64] = []
        var bit = 0
        for size in sizes {
            let bits = size <= 1 ? 0 : (Int.bitWidth - (size - 1).leadingZeroBitCount)
            offsets.append(bit)
            masks.append(bits == 0 ? 0 : (UInt64(1) << UInt64(bits)) - 1)
            bit += bits
        }
        self.offsets = offsets
        self.masks = masks
        self.bitsPerState = bit
        self.bytesPerState = max(1, (bit + 7) / 8)
        self.wordsPerState = (bytesPerState + 7) / 8
        self.table = Array(repeating: -1, count: 1 << 12)
        self.tableMask = (1 << 12) - 1
    }

    var count: Int { parents.count }

    /// Bytes the store has allocated per state it holds: the states, their parents and
    /// instances, and the hash table.
    var allocatedBytesPerState: Double {
        guard count > 0 else { return 0 }
        let total = bytes.capacity + 4 * (parents.capacity + via.capacity + table.count)
        return Double(total) / Double(count)
    }

    /// Packs `state` into `packed` (which has ``wordsPerState`` words).
    func pack(_ state: UnsafeBufferPointer<UInt8>, into packed: inout [UInt64]) {
        packed.withUnsafeMutableBufferPointer { out in
            offsets.withUnsafeBufferPointer { offsets in
                for w in 0..<out.count { out[w] = 0 }
                for i in 0..<state.count {
                    let bit = offsets[i], word = bit >> 6, shift = UInt64(bit & 63)
                    let value = UInt64(state[i])
                    out[word] |= value << shift
                    if shift > 56, word + 1 < out.count { out[word + 1] |= value >> (64 - shift) }
                }
            }
        }
    }

    /// Unpacks state number `index` into `state`.
    func unpack(_ index: Int, into state: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { unpack(index, into: &state, bytes: $0) }
    }

    private func unpack(_ index: Int, into state: inout [UInt8], bytes: UnsafeBufferPointer<UInt8>) {
        let base = index * bytesPerState
        let end = base + bytesPerState
        offsets.withUnsafeBufferPointer { offsets in
            masks.withUnsafeBufferPointer { masks in
                state.withUnsafeMutableBufferPointer { out in
                    for i in 0..<out.count {
                        // A slot is at most 8 bits wide, so it lies within two bytes.
                        let bit = offsets[i], byte = base + (bit >> 3)
                        var two = UInt64(bytes[byte])
                        if byte + 1 < end { two |= UInt64(bytes[byte + 1]) << 8 }
                        out[i] = UInt8((two >> UInt64(bit & 7)) & masks[i])
                    }
                }
            }
        }
    }

    /// Reads stored states and packs new ones without changing the store, from any thread, for
    /// as long as the closure of ``withReader(_:)`` runs.
    struct Reader {
        fileprivate let bytes: UnsafeBufferPointer<UInt8>
        fileprivate let store: StateStore

        func unpack(_ index: Int, into state: inout [UInt8]) { store.unpack(index, into: &state, bytes: bytes) }

        func pack(_ state: UnsafeBufferPointer<UInt8>, into packed: inout [UInt64]) { store.pack(state, into: &packed) }
    }

    /// Calls `body` with a reader of the store; nothing may insert while it runs.
    func withReader<R>(_ body: (Reader) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { try body(Reader(bytes: $0, store: self)) }
    }

    /// Inserts a packed state; returns its number and whether it is new.
    mutating func insert(_ packed: [UInt64], parent: Int, via instance: Int) -> (index: Int, inserted: Bool) {
        if count * 4 >= table.count * 3 { grow() }
        var slot = Self.hash(packed[...]) & tableMask
        while true {
            let entry = Int(table[slot])
            if entry < 0 {
                let index = count
                table[slot] = Int32(index)
                packed.withUnsafeBytes { raw in bytes.append(contentsOf: raw.prefix(bytesPerState)) }
                parents.append(Int32(parent))
                via.append(Int32(instance))
                return (index, true)
            }
            if equals(entry, packed[...]) { return (entry, false) }
            slot = (slot + 1) & tableMask
        }
    }

    /// Whether the packed state `packed` (``wordsPerState`` words) is stored.
    func contains(_ packed: ArraySlice<UInt64>) -> Bool {
        var slot = Self.hash(packed) & tableMask
        while true {
            let entry = Int(table[slot])
            if entry < 0 { return false }
            if equals(entry, packed) { return true }
            slot = (slot + 1) & tableMask
        }
    }

    private func equals(_ index: Int, _ packed: ArraySlice<UInt64>) -> Bool {
        let base = index * bytesPerState
        return bytes.withUnsafeBufferPointer { stored in
            packed.withUnsafeBytes { raw in
                for b in 0..<bytesPerState where stored[base + b] != raw[b] { return false }
                return true
            }
        }
    }

    private mutating func grow() {
        let size = table.count * 2
        table = Array(repeating: -1, count: size)
        tableMask = size - 1
        var packed = [UInt64](repeating: 0, count: wordsPerState)
        for index in 0..<count {
            packed.withUnsafeMutableBytes { raw in
                for b in 0..<bytesPerState { raw[b] = bytes[index * bytesPerState + b] }
            }
            var slot = Self.hash(packed[...]) & tableMask
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
