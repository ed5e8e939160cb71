import TransitionSystems

/// Test-then-set mutual exclusion: broken, because the test and the set are separate steps.
///
/// Shortest counterexample, by hand: both processes must reach `critical`, each
/// needs `test` then `set` (two steps), and nothing else helps: p0 test, p1 test,
/// p0 set, p1 set. Depth 4.
enum NaiveMutex {
    static let fixture = Fixture(
        name: "mutex-naive",
        summary: "Two processes guard a critical section with test-then-set on a shared flag (broken).",
        spec: spec,
        expectations: ["mutual-exclusion": .violated(depth: 4)]
    )

    static let process = Domain.instances("Proc", count: 2, prefix: "p")
    static let locked = Variable("locked", .boolean, initial: false, doc: "The shared lock flag.")

    static let mutex = Process("proc", over: process, named: "p", labels: ["idle", "set", "critical"]) { p in
        Step("test", from: "idle", to: "set", doc: "Sees the lock free.") {
            Guard(locked.value == false)
        }
        Step("set", from: "set", to: "critical", doc: "Takes the lock, without looking again.") {
            locked.value <- true
        }
        Step("leave", from: "critical", to: "idle", doc: "Drops the lock.") {
            locked.value <- false
        }
    }

    static var spec: Spec {
        Spec("mutex-naive", doc: "Test-then-set mutual exclusion.") {
            locked
            mutex
            Invariant("mutual-exclusion", "At most one process is in its critical section.") {
                !(mutex.at("critical", process["p0"]) && mutex.at("critical", process["p1"]))
            }
        }
    }
}
