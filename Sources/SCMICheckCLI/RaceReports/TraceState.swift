import Traces

/// One state of a transport trace, read through the names the spec gives its variables:
/// what a race report needs to know about who holds which message buffer.
///
/// The report reads the spec's variables by name here and nowhere else. Pointers to a buffer
/// are the ones a path holds: per CPU the transfer's bound buffer (`priv`), the transport's
/// local `msg`, `poll_done`'s `next_msg` and the buffer the request went out in (`xfer_msg`);
/// `irq_msg` for the IRQ path and `worker_msg` for the deferred worker.
struct TraceState {
    let values: [String: TraceValue]

    /// The per-CPU pointers to a buffer.
    static let cpuPointers = ["priv", "msg", "next_msg", "xfer_msg"]
    /// The pointer each other path holds, by process.
    static let pathPointers = ["irq": "irq_msg", "worker": "worker_msg"]
    /// The value the spec gives a pointer that points nowhere.
    static let none = "none"

    /// The value of `name`, or of its entry `key` when it is an array.
    func value(_ name: String, _ key: String? = nil) -> TraceValue? {
        guard let value = values[name] else { return nil }
        guard let key else { return value }
        guard case .map(let entries) = value else { return nil }
        return entries.first { $0.key.description == key }?.value
    }

    /// The value of `name` (entry `key`) as a name, such as `msg1`, `POLLING` or `none`.
    func name(_ name: String, _ key: String? = nil) -> String? {
        value(name, key)?.description
    }

    /// How often `buffer` is in the queue `name`.
    func count(of buffer: String, in name: String) -> Int {
        guard case .map(let entries)? = values[name] else { return 0 }
        return entries.filter { $0.value.description == buffer }.count
    }

    /// The buffers `actor` holds a pointer to.
    func buffers(heldBy actor: TraceActor) -> Set<String> {
        let names: [String?]
        if let cpu = actor.cpu {
            names = Self.cpuPointers.map { name($0, cpu) }
        } else if let pointer = Self.pathPointers[actor.process] {
            names = [name(pointer)]
        } else {
            names = []
        }
        return Set(names.compactMap { $0 }.filter { $0 != Self.none })
    }

    /// The buffer the actor's current kernel function works on: its local `msg`, else the
    /// transfer's bound buffer, else the one its request went out in.
    func currentBuffer(of actor: TraceActor) -> String? {
        if let cpu = actor.cpu {
            return ["msg", "priv", "xfer_msg"].lazy.compactMap { self.name($0, cpu) }.first { $0 != Self.none }
        }
        return Self.pathPointers[actor.process].flatMap { name($0) }.flatMap { $0 == Self.none ? nil : $0 }
    }

    /// Every entry of an array variable whose value changed between `self` and `after`, and
    /// every scalar that changed (key nil), in the order of `variables`.
    func changes(to after: TraceState, variables: [String]) -> [Change] {
        variables.flatMap { name -> [Change] in
            switch (values[name], after.values[name]) {
            case (.map(let old)?, .map(let new)?):
                return new.compactMap { entry in
                    let previous = old.first { $0.key == entry.key }?.value
                    return previous == entry.value ? nil
                        : Change(variable: name, key: entry.key.description, old: previous?.description, new: entry.value.description)
                }
            case (let old, let new?) where old != new:
                return [Change(variable: name, key: nil, old: old?.description, new: new.description)]
            default:
                return []
            }
        }
    }

    /// A variable (or one entry of it) that a step changed.
    struct Change: Equatable {
        let variable: String
        let key: String?
        let old: String?
        let new: String

        /// Whether the change names `buffer` as its entry or as a value.
        func names(_ buffer: String) -> Bool { key == buffer || old == buffer || new == buffer }
    }
}
