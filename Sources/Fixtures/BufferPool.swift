import TransitionSystems

/// A refcounted pool of one buffer shared by two users.
///
/// The owner takes the buffer (refcount 1), the other user borrows it (refcount 2),
/// and each releases it. Broken version: "decrement" and "test for zero" are separate
/// steps, so both users can see zero and both return the buffer to the pool. By hand:
/// take, borrow, two decrements, two tests: each of the six steps is needed, so
/// `no-double-free` fails at depth 6. The correct version decrements and tests in one step.
enum BufferPool {
    static let fixture = Fixture(
        name: "buffer-pool",
        summary: "A refcounted buffer shared by two users, released with an atomic decrement-and-test (correct).",
        spec: spec(atomicRelease: true, name: "buffer-pool"),
        expectations: ["no-double-free": .holds, "refcount-matches-holders": .holds]
    )

    static let doubleReleaseFixture = Fixture(
        name: "buffer-pool-double-release",
        summary: "The same pool whose release decrements and tests for zero in two steps (broken).",
        spec: spec(atomicRelease: false, name: "buffer-pool-double-release"),
        expectations: ["no-double-free": .violated(depth: 6), "refcount-matches-holders": .holds]
    )

    static let user = Domain.instances("User", count: 2, prefix: "u")
    static let refcount = Domain.range("Refcount", 0...2)
    static let poolCount = Domain.range("PoolCount", 0...2)

    static func spec(atomicRelease: Bool, name: String) -> Spec {
        let inPool = Variable("in_pool", poolCount, initial: 1, doc: "How many times the buffer is on the free list.")
        let refs = Variable("refs", refcount, initial: 0, doc: "The buffer's reference count.")
        let holds = Variable("holds", .boolean, indexedBy: user, initial: false, doc: "The user holds a reference.")
        let owner = user["u0"]
        let pool = Process("user", over: user, named: "u", labels: ["idle", "using", "test", "done"]) { u in
            Step("take", from: "idle", to: "using", doc: "The owner takes the buffer from the pool.") {
                Guard(u == owner && inPool.value > 0)
                inPool.value <- inPool.value - 1
                refs.value <- 1
                holds[u] <- true
            }
            Step("borrow", from: "idle", to: "using", doc: "The other user takes a reference if one is live.") {
                Guard(u != owner && refs.value > 0)
                refs.value <- refs.value + 1
                holds[u] <- true
            }
            if atomicRelease {
                Step("release", from: "using", to: "done", doc: "Decrement and test for zero in one step.") {
                    refs.value <- refs.value - 1
                    holds[u] <- false
                    If(refs.value == 1) { inPool.value <- inPool.value + 1 }
                }
            } else {
                Step("decrement", from: "using", to: "test", doc: "Decrement the refcount.") {
                    refs.value <- refs.value - 1
                    holds[u] <- false
                }
                Step("test_zero", from: "test", to: "done", doc: "Test for zero, later, and free.") {
                    If(refs.value == 0) { inPool.value <- inPool.value + 1 }
                }
            }
        }
        return Spec(name, doc: "A refcounted buffer pool.") {
            inPool
            refs
            holds
            pool
            Invariant("no-double-free", "The buffer is never on the free list twice.") {
                inPool.value <= 1
            }
            Invariant("refcount-matches-holders", "The refcount equals the number of users holding a reference.") {
                refs.value == .count("v", in: user) { holds[$0] }
            }
        }
    }
}
