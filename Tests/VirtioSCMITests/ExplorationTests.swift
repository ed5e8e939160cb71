import XCTest
import Scheduling
@testable import VirtioSCMI
import Vocabulary

/// What the schedulers find on each variant. Bounds are stated per test; the larger
/// explorations (two CPUs at preemption bound 1 on `fixed`, mixed polling, ...) run in
/// `scmi-stress --explore`, see BENCHMARKS.md.
final class ExplorationTests: XCTestCase {
    private func configuration(_ variant: Variant, _ core: CoreVersion = .current, cpus: Int = 2, buffers: Int = 2) -> SimulationConfiguration {
        SimulationConfiguration(variant: variant, core: core, cpus: cpus, buffers: buffers, transfersPerCPU: 1)
    }

    private func exhaustive(_ configuration: SimulationConfiguration, bound: Int, stopAtFirstFailure: Bool = true) -> ChannelExploration {
        let exploration = ChannelSimulation.explore(configuration, with: ExhaustiveScheduler(preemptionBound: bound), stopAtFirstFailure: stopAtFirstFailure)
        print("preemption bound \(bound): \(exploration.summary)")
        return exploration
    }

    // MARK: - v4

    func testExhaustiveSchedulerFindsV4LeakWithTwoCPUsAndTwoBuffers() throws {
        for core in [CoreVersion.current, .y2022] {
            let exploration = exhaustive(configuration(.v4, core), bound: 0)
            let failure = try XCTUnwrap(exploration.firstFailure, "\(core)")
            XCTAssertEqual(failure.violatedProperties, [.noLeakAtQuiescence], "\(core)")
            let leaked = try XCTUnwrap(failure.snapshot.buffers.first { $0.location == .nowhere })
            XCTAssertEqual(leaked.pollStatus, .pollDone)
            let owner = try XCTUnwrap(failure.snapshot.cpus.first { $0.transfer?.token == leaked.input.token })
            XCTAssertEqual(owner.transfer?.result, -Errno.ETIMEDOUT, "its owner timed out")
            let other = failure.snapshot.cpus.first { $0.name != owner.name }!.name
            XCTAssertTrue(failure.log.contains { $0.hasSuffix("\(other): poll_done poll_status = POLL_DONE (buf\(leaked.index))") }, "another CPU's poller marked it POLL_DONE")
        }
    }

    func testExhaustiveSchedulerFindsTheReviewThreadRaceOnV4() throws {
        var found: SimulationResult?
        let report = Explorer.explore(with: ExhaustiveScheduler(preemptionBound: 1)) { scheduler in
            let result = ChannelSimulation(configuration(.v4, .y2022)).run(with: scheduler)
            var summary = result.summary
            summary.failures = []
            guard result.violates(.noLeakAtQuiescence),
                  let marked = result.log.firstIndex(where: { $0.hasSuffix("cpu1: poll_done poll_status = POLL_DONE (buf0)") }),
                  let timedOut = result.log.firstIndex(where: { $0.hasSuffix("clock: deadline of cpu0 passes") }),
                  marked < timedOut
            else { return summary }
            found = result
            summary.failures = result.violations.map(\.description)
            return summary
        }
        let race = try XCTUnwrap(found, "\(report.executions) executions")
        XCTAssertEqual(race.snapshot.buffers[0].location, .nowhere)
        print("the review thread's race: \(report.executions) executions, \(report.elapsed.formattedSeconds), schedule \(race.schedule)")
    }

    func testRandomSchedulerFindsTheV4Leak() throws {
        let exploration = ChannelSimulation.explore(configuration(.v4, .y2022), with: RandomScheduler(seed: 1, maxExecutions: 500, printsFailures: false))
        let failure = try XCTUnwrap(exploration.firstFailure)
        XCTAssertTrue(failure.violates(.noLeakAtQuiescence))
        print("random: \(exploration.summary)")
    }

    // MARK: - fixed

    func testExhaustiveSchedulerFindsNothingOnFixedWithinTheSameBounds() {
        for core in [CoreVersion.current, .y2022] {
            let exploration = exhaustive(configuration(.fixed, core), bound: 0, stopAtFirstFailure: false)
            XCTAssertTrue(exploration.report.finished)
            XCTAssertNil(exploration.firstFailure, exploration.summary)
        }
    }

    func testFixedIsCleanWithOneCPUUpToPreemptionBoundTwo() {
        let exploration = exhaustive(configuration(.fixed, cpus: 1, buffers: 1), bound: 2, stopAtFirstFailure: false)
        XCTAssertTrue(exploration.report.finished)
        XCTAssertGreaterThan(exploration.report.executions, 1_000)
        XCTAssertNil(exploration.firstFailure, exploration.summary)
    }

    func testEachCandidateFixIsNecessaryOnItsOwn() throws {
        var withoutRxLenFirst = configuration(.fixed)
        withoutRxLenFirst.switches.rxLenBeforePollDone = false
        var withoutPollDoneRelease = configuration(.fixed, cpus: 1, buffers: 1)
        withoutPollDoneRelease.switches.secondReleaseOnlyWhenPollDone = false
        var withoutReleaseLast = configuration(.fixed, cpus: 1, buffers: 1)
        withoutReleaseLast.switches.decidesBeforeReleasing = false

        let a = try XCTUnwrap(exhaustive(withoutRxLenFirst, bound: 1).firstFailure)
        XCTAssertTrue(a.violations.contains { $0.property == .exactlyOnceDelivery && $0.message.contains("stale rx_len") })
        let b = try XCTUnwrap(exhaustive(withoutPollDoneRelease, bound: 1).firstFailure)
        XCTAssertTrue(b.violates(.noDoubleFree))
        let c = try XCTUnwrap(exhaustive(withoutReleaseLast, bound: 2).firstFailure)
        XCTAssertTrue(c.violations.contains { $0.property == .noUseAfterRelease && $0.actor == "cpu0" && $0.message.contains("POLL_TIMEOUT") })
    }

    // MARK: - upstream and v4-proposal

    func testExhaustiveSchedulerFindsTheTripleReleaseOnUpstream() throws {
        let failure = try XCTUnwrap(exhaustive(configuration(.upstream, cpus: 1, buffers: 1), bound: 1).firstFailure)
        XCTAssertEqual(failure.violatedProperties, [.noUseAfterRelease, .noDoubleFree])
        XCTAssertTrue(failure.violations.allSatisfy { $0.actor == "irq" })
    }

    func testUpstreamIsCleanWithoutPreemptions() {
        let exploration = exhaustive(configuration(.upstream), bound: 0, stopAtFirstFailure: false)
        XCTAssertTrue(exploration.report.finished)
        XCTAssertNil(exploration.firstFailure)
    }

    func testExhaustiveSchedulerFindsAPollerReadingAFreedBufferOnV4Proposal() throws {
        let failure = try XCTUnwrap(exhaustive(configuration(.v4Proposal), bound: 1).firstFailure)
        XCTAssertEqual(failure.violatedProperties, [.noUseAfterRelease])
        XCTAssertTrue(failure.violations[0].message.contains("read poll_status"))
    }
}
