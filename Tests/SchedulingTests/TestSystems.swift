import Scheduling

/// Small systems built on a `ControlledRuntime`, shared by the scheduling tests.
enum TestSystems {
    /// Two actors "a" and "b" each read `x` and write back `x + 1`, two steps each: the
    /// classic lost update. Returns the counter.
    static func racyCounter(on runtime: ControlledRuntime) -> Shared<Int> {
        let counter = Shared("x", 0, platform: runtime)
        for name in ["a", "b"] {
            runtime.spawnActor(name) {
                let value = counter.load("read x")
                counter.store(value + 1, "write x")
            }
        }
        return counter
    }

    /// Like `racyCounter`, but each actor first reads `x` once unlocked, then holds a
    /// spinlock around its read and write.
    static func lockedCounter(on runtime: ControlledRuntime) -> Shared<Int> {
        let counter = Shared("x", 0, platform: runtime)
        let lock = SpinLock("lock", platform: runtime)
        for name in ["a", "b"] {
            runtime.spawnActor(name) {
                _ = counter.load("glance at x")
                lock.lock("lock")
                let value = counter.load("read x")
                counter.store(value + 1, "write x")
                lock.unlock()
            }
        }
        return counter
    }

    /// Runs `build` on a fresh runtime under `scheduler` for every execution the scheduler
    /// offers; returns the values `observe` read after each execution.
    static func exploreAll<T>(
        with scheduler: Scheduler,
        build: (ControlledRuntime) -> T,
        observe: (T) -> Int
    ) -> (report: Explorer.Report, values: [Int]) {
        var values: [Int] = []
        let report = Explorer.explore(with: scheduler, stopAtFirstFailure: false) { scheduler in
            let runtime = ControlledRuntime()
            let system = build(runtime)
            let summary = runtime.run(with: scheduler)
            values.append(observe(system))
            runtime.tearDown()
            return summary
        }
        return (report, values)
    }
}
