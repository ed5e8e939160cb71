import TransitionSystems

/// Peterson's mutual exclusion for two processes: correct.
///
/// By hand: a process enters only if the other's flag is down or the turn is its
/// own; the one that wrote `turn` last yields, so both cannot be in `critical`.
enum PetersonMutex {
    static let fixture = Fixture(
        name: "mutex-peterson",
        summary: "Peterson's algorithm for two processes (correct).",
        spec: spec,
        expectations: ["mutual-exclusion": .holds]
    )

    static let process = Domain.instances("Proc", count: 2, prefix: "p")
    static let flag = Variable("flag", .boolean, indexedBy: process, initial: false, doc: "A process wants to enter.")
    static let turn = Variable("turn", process, initial: process["p0"], doc: "Who yields.")

    static func other(_ p: Expr) -> Expr { .ite(p == process["p0"], then: process["p1"], else: process["p0"]) }

    static let peterson = Process("proc", over: process, named: "p", labels: ["idle", "yield", "wait", "critical"]) { p in
        Step("raise_flag", from: "idle", to: "yield") { flag[p] <- true }
        Step("give_turn", from: "yield", to: "wait") { turn.value <- other(p) }
        Step("enter", from: "wait", to: "critical") {
            Guard(flag[other(p)] == false || turn.value == p)
        }
        Step("leave", from: "critical", to: "idle") { flag[p] <- false }
    }

    static var spec: Spec {
        Spec("mutex-peterson", doc: "Peterson's algorithm.") {
            flag
            turn
            peterson
            Invariant("mutual-exclusion", "At most one process is in its critical section.") {
                !(peterson.at("critical", process["p0"]) && peterson.at("critical", process["p1"]))
            }
        }
    }
}
