import TransitionSystems
import Vocabulary

/// What each spec step stands for in the channel implementation: the one mapping between
/// the spec's actions and the implementation's code, kept here and nowhere else.
///
/// Every step is declared with the ``Operation``s at which its code begins (``code(begins:)``),
/// or as an environment event. The replay runs an actor from the operation that begins a
/// step up to the first operation that begins a step the actor can take next (a step from
/// the program counter the trace shows after it), so the mapping needs no label strings.
public enum StepCounterpart: Equatable, Sendable {
    /// The actor's code, beginning at one of these operations.
    case code(begins: [Operation])
    /// The device replies to the buffer the step's parameter `m` names.
    case deviceReply
    /// The deadline of the transfer of the step's CPU passes.
    case deadline
}

/// The counterparts of one spec instance's steps, by process and action.
public struct StepCounterparts: Sendable {
    /// One step's entry: the program counter it starts from and its counterpart.
    public struct Entry: Sendable, Equatable {
        public let from: String?
        public let counterpart: StepCounterpart
    }

    private(set) var entries: [String: [String: Entry]] = [:]
    /// Per process, the program counters it takes no step from, with the operations at which
    /// its code waits there (`chan_free`, done, waits for the last user at `wait_for_completion`).
    private(set) var rests: [String: [String: [Operation]]] = [:]

    /// The counterpart of `action` of `process`, or nil when the spec declared none.
    public func entry(process: String, action: String) -> Entry? { entries[process]?[action] }

    /// The operations of `process`'s code at program counter `pc` (or at any when `pc` is nil):
    /// those that begin a step it can take there, and those where it rests when it takes none.
    public func operations(process: String, at pc: String? = nil) -> [Operation] {
        let steps = (entries[process] ?? [:]).values.flatMap { entry -> [Operation] in
            guard pc == nil || entry.from == pc, case .code(let begins) = entry.counterpart else { return [] }
            return begins
        }
        let resting = (rests[process] ?? [:]).flatMap { at, operations in pc == nil || at == pc ? operations : [] }
        return steps + resting
    }

    mutating func record(process: String, action: String, from: String?, _ counterpart: StepCounterpart) {
        entries[process, default: [:]][action] = Entry(from: from, counterpart: counterpart)
    }

    /// `process` takes no step from `pc`; its code waits there at `operations`.
    mutating func recordRest(process: String, at pc: String, _ operations: [Operation]) {
        rests[process, default: [:]][pc] = operations
    }
}

/// Collects counterparts while a spec's steps are built.
final class CounterpartRecorder: @unchecked Sendable {
    var recorded = StepCounterparts()
}
