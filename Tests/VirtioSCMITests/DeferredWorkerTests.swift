import XCTest
import Scheduling
@testable import VirtioSCMI
import Vocabulary

final class DeferredWorkerTests: XCTestCase {
    func testTheWorkerDeliversAPrefetchedNonPolledReply() {
        for variant in Variant.allCases {
            let bench = Bench(variant)
            let waiting = bench.sent(polled: false)
            let poller = bench.sent(polled: true)
            bench.device.reply(toBuffer: 0)
            XCTAssertFalse(bench.channel.pollDone(poller))
            bench.channel.deferredTxWorker()
            XCTAssertEqual(waiting.fetchCount, 1, "\(variant)")
            XCTAssertTrue(waiting.done.isDone, "\(variant)")
            XCTAssertEqual(bench.location(0), .freeList, "\(variant)")
            XCTAssertEqual(bench.channel.pendingBuffers, [], "\(variant)")
            XCTAssertEqual(bench.violations, [], "\(variant)")
        }
    }

    func testTheWorkerFreesATimedOutBufferWithoutDeliveringIt() {
        for variant in [Variant.v4Proposal, .upstream, .fixed] {
            let bench = Bench(variant)
            let timedOut = bench.sent(polled: true)
            bench.end(timedOut, result: -Errno.ETIMEDOUT)
            let poller = bench.sent(polled: true)
            bench.device.reply(toBuffer: 0)
            XCTAssertFalse(bench.channel.pollDone(poller))
            bench.channel.deferredTxWorker()
            XCTAssertEqual(timedOut.fetchCount, 0, "\(variant)")
            XCTAssertEqual(bench.location(0), .freeList, "\(variant)")
            XCTAssertEqual(bench.violations, [], "\(variant)")
        }
    }

    /// The review reply's worker "would just free the timed out buffer": it frees only
    /// POLL_TIMEOUT buffers and delivers every other; upstream's delivers only NOT_POLLED
    /// ones and only releases the others. Through `poll_done` only NOT_POLLED and
    /// POLL_TIMEOUT buffers reach the pending list, so the test hands the worker a polled
    /// buffer that is still POLLING directly: the closest observable difference.
    func testTheReviewRepliesWorkerDeliversAPollingBufferWhereUpstreamsOnlyReleasesIt() throws {
        for (variant, delivers) in [(Variant.v4Proposal, true), (.upstream, false), (.fixed, false), (.v4, true)] {
            let bench = Bench(variant)
            let polled = bench.sent(polled: true)
            bench.device.reply(toBuffer: 0)
            let (msg, _) = try XCTUnwrap(bench.vqueue.getBuf("test virtqueue_get_buf"), "\(variant)")
            XCTAssertEqual(bench.buffer(0).pollStatus, .polling, "\(variant)")
            bench.channel.appendToPendingList(msg, .pollDone)
            bench.channel.deferredTxWorker()
            XCTAssertEqual(polled.fetchCount, delivers ? 1 : 0, "\(variant)")
            XCTAssertEqual(polled.done.isDone, delivers, "\(variant)")
            XCTAssertEqual(bench.channel.pendingBuffers, [], "\(variant)")
        }
    }

    func testTheWorkerDrainsTheRingAfterThePendingList() {
        let bench = Bench(.upstream, buffers: 3)
        let first = bench.sent(polled: false)
        let poller = bench.sent(polled: true)
        let second = bench.sent(polled: false)
        bench.device.reply(toBuffer: 0)
        XCTAssertFalse(bench.channel.pollDone(poller))
        bench.device.reply(toBuffer: 2)
        bench.channel.deferredTxWorker()
        XCTAssertEqual(first.fetchCount, 1)
        XCTAssertEqual(second.fetchCount, 1, "delivered by the worker's own complete_cb")
        XCTAssertEqual(bench.channel.freeBuffers.sorted(), [0, 2])
    }

    func testTheWorkerRunsAgainIfQueuedWhileRunning() throws {
        let simulation = ChannelSimulation(SimulationConfiguration(variant: .upstream, cpus: 2, buffers: 3, polling: .explicit([[false], [true]])))
        try simulation.advance("cpu0", to: "wait_for_completion_timeout")
        try simulation.advance("cpu1", to: "cpu_relax")
        try simulation.step("device:buf0")
        try simulation.advance("cpu1", to: "queue_work")
        try simulation.step("cpu1")
        XCTAssertTrue(simulation.snapshot().workerQueued)
        try simulation.step("worker")
        XCTAssertTrue(simulation.snapshot().workerRunning)
        XCTAssertFalse(simulation.snapshot().workerQueued)
        _ = simulation.finish()
    }
}
