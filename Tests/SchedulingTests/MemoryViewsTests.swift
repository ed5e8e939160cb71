import XCTest
import Scheduling

/// The controlled runtime's memory model (`MemoryViews`, `WeakShared`): which older writes a read
/// may observe, and how locks, acquire/release accesses and `smp_rmb()` narrow that down.
final class MemoryViewsTests: XCTestCase {
    /// A writer that stores `data = 1` then a flag (plainly or with a release); a reader that loads
    /// the flag (plainly or with an acquire), optionally runs `smp_rmb()`, then loads `data`.
    private final class MessagePassing {
        let runtime = ControlledRuntime()
        let data: WeakShared<Int>
        let flag: Shared<Bool>
        var seenFlag: Bool?
        var seenData: Int?

        init(release: MemoryOrder = .plain, acquire: MemoryOrder = .plain, rmb: Bool = false) {
            data = WeakShared("data", 0, platform: runtime)
            flag = Shared("flag", false, platform: runtime)
            runtime.spawnActor("writer") { [self] in
                data.store(1, "store data")
                flag.store(true, "store flag", order: release)
            }
            runtime.spawnActor("reader") { [self] in
                seenFlag = flag.load("load flag", order: acquire)
                if rmb { runtime.fence(.rmb) }
                seenData = data.load("load data")
            }
        }

        /// Runs the writer to its end, then the reader, whose read of `data` asks for write 0 (the initial value).
        func run() throws {
            try runtime.step("writer")
            try runtime.step("writer")
            try runtime.step("reader")
            try runtime.step("reader", choosingWrites: { _ in 0 })
        }
    }

    func testAReadObservesTheNewestWriteWhenNoOneChooses() throws {
        let system = MessagePassing()
        try system.runtime.step("writer")
        try system.runtime.step("writer")
        try system.runtime.step("reader")
        try system.runtime.step("reader")
        XCTAssertEqual(system.seenData, 1)
        XCTAssertEqual(system.runtime.summary.schedule.reads, [])
        system.runtime.tearDown()
    }

    func testAPlainFlagLetsTheReaderObserveTheOlderWrite() throws {
        let system = MessagePassing()
        try system.run()
        XCTAssertEqual(system.seenFlag, true)
        XCTAssertEqual(system.seenData, 0)
        XCTAssertEqual(system.runtime.summary.schedule.reads, [ReadChoice(step: 4, location: "data", write: 0)])
        XCTAssertEqual(system.runtime.memory?.refusedChoices, [])
        system.runtime.tearDown()
    }

    func testAReleaseSeenByAnAcquireHidesTheOlderWrite() throws {
        let system = MessagePassing(release: .release, acquire: .acquire)
        try system.run()
        XCTAssertEqual(system.seenFlag, true)
        XCTAssertEqual(system.seenData, 1)
        XCTAssertEqual(system.runtime.memory?.refusedChoices.count, 1)
        XCTAssertEqual(system.runtime.summary.schedule.reads, [])
        system.runtime.tearDown()
    }

    func testAReleaseReadPlainlyOrdersNothingWithoutAnRmb() throws {
        let system = MessagePassing(release: .release, acquire: .plain)
        try system.run()
        XCTAssertEqual(system.seenData, 0)
        system.runtime.tearDown()
    }

    func testAnRmbAfterAPlainReadOfAReleaseHidesTheOlderWrite() throws {
        let system = MessagePassing(release: .release, acquire: .plain, rmb: true)
        try system.run()
        XCTAssertEqual(system.seenData, 1)
        system.runtime.tearDown()
    }

    func testAnAcquireOfAPlainStoreOrdersNothing() throws {
        let system = MessagePassing(release: .plain, acquire: .acquire)
        try system.run()
        XCTAssertEqual(system.seenData, 0)
        system.runtime.tearDown()
    }

    func testALockTakenAfterItsHolderWroteHidesTheOlderWrite() throws {
        let runtime = ControlledRuntime()
        let data = WeakShared("data", 0, platform: runtime)
        let lock = SpinLock("lock", platform: runtime)
        var seen: Int?
        runtime.spawnActor("writer") {
            lock.lock("lock")
            data.store(1, "store data")
            lock.unlock()
        }
        runtime.spawnActor("reader") {
            lock.lock("lock")
            seen = data.load("load data")
            lock.unlock()
        }
        try runtime.step("writer")
        try runtime.step("writer")
        try runtime.step("reader")
        try runtime.step("reader", choosingWrites: { _ in 0 })
        XCTAssertEqual(seen, 1)
        XCTAssertEqual(runtime.memory?.refusedChoices.count, 1)
        runtime.tearDown()
    }

    func testAReadNeverObservesAWriteOlderThanOneItsActorHasSeen() throws {
        let runtime = ControlledRuntime()
        let data = WeakShared("data", 0, platform: runtime)
        var seen: [Int] = []
        runtime.spawnActor("writer") {
            data.store(1, "store 1")
            data.store(2, "store 2")
        }
        runtime.spawnActor("reader") {
            seen.append(data.load("first load"))
            seen.append(data.load("second load"))
        }
        try runtime.step("writer")
        try runtime.step("writer")
        try runtime.step("reader", choosingWrites: { read in
            XCTAssertEqual(read.allowed, 0...2)
            return 1
        })
        try runtime.step("reader", choosingWrites: { read in
            XCTAssertEqual(read.allowed, 1...2)
            return 0
        })
        XCTAssertEqual(seen, [1, 2])
        XCTAssertEqual(runtime.memory?.refusedChoices.count, 1)
        runtime.tearDown()
    }

    func testAnActorAlwaysReadsItsOwnLatestWrite() throws {
        let runtime = ControlledRuntime()
        let data = WeakShared("data", 0, platform: runtime)
        var seen: Int?
        runtime.spawnActor("writer") {
            data.store(1, "store 1")
            seen = data.load("load")
        }
        try runtime.step("writer")
        try runtime.step("writer", choosingWrites: { read in
            XCTAssertEqual(read.allowed, 1...1)
            return 0
        })
        XCTAssertEqual(seen, 1)
        runtime.tearDown()
    }

    func testAScheduleWithAnOlderReadReplaysTheSameRead() throws {
        let first = MessagePassing()
        try first.run()
        let printed = first.runtime.summary.schedule.description
        first.runtime.tearDown()
        XCTAssertEqual(printed, "writer writer reader reader {data=0}")

        let again = MessagePassing()
        let scheduler = ReplayScheduler(Schedule(parsing: printed))
        XCTAssertTrue(scheduler.beginExecution())
        let summary = again.runtime.run(with: scheduler)
        XCTAssertEqual(again.seenData, 0)
        XCTAssertEqual(summary.schedule, Schedule(parsing: printed))
        again.runtime.tearDown()
    }

    func testOnRealThreadsAWeakFieldIsAPlainSharedField() {
        let platform = RealPlatform()
        let data = WeakShared("data", 0, platform: platform)
        XCTAssertNil(platform.memory)
        XCTAssertNil(data.location)
        data.store(1, "store 1")
        data.store(2, "store 2")
        XCTAssertEqual(data.load("load"), 2)
        XCTAssertEqual(data.writes.map(\.value), [2])
    }

    func testAFieldKeepsOnlyItsNewestWrites() throws {
        let runtime = ControlledRuntime()
        let data = WeakShared("data", 0, platform: runtime)
        let writes = WeakShared<Int>.historyCapacity + 3
        runtime.spawnActor("writer") {
            for value in 1...writes { data.store(value, "store") }
        }
        for _ in 0..<writes { try runtime.step("writer") }
        XCTAssertEqual(data.writes.map(\.number), Array((writes - WeakShared<Int>.historyCapacity + 1)...writes))
        XCTAssertEqual(data.newestWrite, writes)
        runtime.tearDown()
    }
}
