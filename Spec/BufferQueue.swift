import TransitionSystems

/// A FIFO list of message buffers with room for every buffer: the free list, the used ring,
/// the pending list.
///
/// It is two state variables: the slots (`NAME[0]` is the head; empty slots hold `none`)
/// and the length. Pushing writes the slot at the length; popping shifts every slot down
/// by one, so one action cannot both push and pop the same queue.
struct BufferQueue {
    let slots: Variable
    let length: Variable
    let capacity: Int
    private let positions: Domain

    init(_ name: String, buffers: Domain, doc: String) {
        capacity = buffers.size
        positions = Domain.range("Position", 0...(buffers.size - 1))
        slots = Variable(name, buffers.optional, indexedBy: positions, initial: buffers.none, doc: doc)
        length = Variable("\(name)_len", Domain.range("Length", 0...buffers.size), initial: 0,
                          doc: "How many buffers \(name) holds.")
    }

    /// A queue that starts with every buffer, in order (the free list).
    init(full name: String, buffers: Domain, doc: String) {
        capacity = buffers.size
        positions = Domain.range("Position", 0...(buffers.size - 1))
        let names = buffers.valueNames
        slots = Variable(name, buffers.optional, indexedBy: positions, doc: doc) { p in
            names.indices.reversed().reduce(buffers.none) { rest, i in
                .ite(p == Expr.number(i), then: buffers[names[i]], else: rest)
            }
        }
        length = Variable("\(name)_len", Domain.range("Length", 0...buffers.size), initial: .number(buffers.size),
                          doc: "How many buffers \(name) holds.")
    }

    var variables: [Variable] { [slots, length] }
    var isEmpty: Expr { length.value == 0 }
    var head: Expr { slots[0] }

    /// How many times `m` is in the queue (more than once only after a bug).
    func occurrences(of m: Expr) -> Expr {
        .count("\(slots.name).position", in: positions) { slots[$0] == m }
    }

    func contains(_ m: Expr) -> Expr {
        .exists("\(slots.name).position", in: positions) { slots[$0] == m }
    }

    /// Appends `m` at the tail.
    func push(_ m: Expr) -> [ActionPart] {
        [slots[length.value] <- m, length.value <- length.value + 1]
    }

    /// Removes the head.
    func pop() -> [ActionPart] {
        var parts: [ActionPart] = []
        for i in 0..<(capacity - 1) { parts.append(slots[.number(i)] <- slots[.number(i + 1)]) }
        parts.append(slots[.number(capacity - 1)] <- .literal(domain: slots.domain, value: "none"))
        parts.append(length.value <- length.value - 1)
        return parts
    }
}
