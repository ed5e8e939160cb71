/// One path through one thread's code with a value chosen for every read: the events it makes, in
/// program order, with their dependencies, and the registers at the end.
struct ThreadTrace {
    /// One event before it is placed in an execution.
    struct Step {
        let kind: Event.Kind
        let location: String?
        let value: Value?
        let annotation: Annotation
        let isAtomicRMW: Bool
        let line: Int
        let label: String
    }

    var steps: [Step] = []
    /// Dependencies and RMW pairs as (source, target) positions in `steps`.
    var addr: [(Int, Int)] = []
    var data: [(Int, Int)] = []
    var ctrl: [(Int, Int)] = []
    var rmw: [(Int, Int)] = []
    var registers: [String: Value] = [:]
    /// Set when the path cannot be evaluated (for example a dereference of an integer); such a path
    /// makes the whole test unanswerable if the model allows an execution that takes it.
    var fault: LitmusError?
}
