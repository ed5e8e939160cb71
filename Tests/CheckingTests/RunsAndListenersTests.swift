import Checking
import Fixtures
import Traces
import TransitionSystems
import XCTest

/// Engines return a ``Run`` and tell a ``CheckListener`` of each verdict as it is settled;
/// engine names and stop reasons are enums; a counterexample becomes a trace only at the caller.
final class RunsAndListenersTests: XCTestCase {
    /// Records what it is told, and whether the run had returned by then.
    private final class Recorder: CheckListener {
        var received: [CheckResult] = []
        var afterReturn = 0
        var returned = false

        func settled(_ result: CheckResult) {
            if returned { afterReturn += 1 }
            received.append(result)
        }
    }

    private func system(_ fixture: String) throws -> TransitionSystem {
        try TransitionSystem(XCTUnwrap(Fixtures.named(fixture)).spec)
    }

    private func options(_ kind: EngineKind) -> CheckOptions {
        kind == .bmc ? CheckOptions(maxDepth: 10) : CheckOptions()
    }

    func testEveryEngineTellsTheListenerOfEachInvariantExactlyOnceBeforeItReturns() throws {
        let system = try system("buffer-pool-double-release")
        let names = ["refcount-matches-holders", "no-double-free"]
        for kind in EngineKind.allCases {
            let recorder = Recorder()
            let run = try Engines.make(kind, system: system, options: options(kind)).check(names, listener: recorder)
            recorder.returned = true
            XCTAssertEqual(recorder.afterReturn, 0, "\(kind)")
            XCTAssertEqual(recorder.received.map(\.invariant).sorted(), names.sorted(), "\(kind): each invariant exactly once")
            XCTAssertEqual(run.results.map(\.invariant), names, "\(kind): the run's results come in the order asked")
            let violation = try XCTUnwrap(recorder.received.first { $0.invariant == "no-double-free" }, "\(kind)")
            XCTAssertEqual(violation.verdict, .violated, "\(kind)")
            XCTAssertEqual(violation.counterexample?.depth, 6, "\(kind)")
            for (told, result) in zip(names.map { name in recorder.received.first { $0.invariant == name }! }, run.results) {
                XCTAssertEqual(told.verdict, result.verdict, "\(kind): \(result.invariant)")
                XCTAssertEqual(told.engine, result.engine, "\(kind): \(result.invariant)")
                XCTAssertEqual(told.detail, result.detail, "\(kind): \(result.invariant)")
            }
        }
    }

    func testTheExplicitEngineAndBMCTellOfAViolationWhileTheSearchGoesOn() throws {
        let system = try system("buffer-pool-double-release")
        let names = ["refcount-matches-holders", "no-double-free"]

        let explicit = Recorder()
        let explicitRun = try ExplicitStateChecker(system: system).check(names, listener: explicit)
        XCTAssertEqual(explicit.received.map(\.invariant), ["no-double-free", "refcount-matches-holders"])
        XCTAssertLessThan(explicit.received[0].statistics.transitions ?? .max, explicitRun.statistics.transitions ?? 0,
                          "told when the violating state was reached, before the search ended")
        XCTAssertEqual(explicitRun.results[1].statistics.states, explicitRun.statistics.states, "the run's results carry its final statistics")

        let bmc = Recorder()
        let bmcRun = try BoundedModelChecker(system: system, options: CheckOptions(maxDepth: 10)).check(names, listener: bmc)
        XCTAssertEqual(bmc.received.map(\.invariant), ["no-double-free", "refcount-matches-holders"])
        XCTAssertEqual(bmc.received[0].statistics.perDepth.count, 6, "told at depth 6's query, before depth 6 was recorded")
        XCTAssertEqual(bmcRun.statistics.perDepth.count, 11)
    }

    func testTheViolationOfTheNaiveMutexReachesTheListenerFromEveryEngine() throws {
        let system = try system("mutex-naive")
        for kind in EngineKind.allCases {
            var told: [CheckResult] = []
            let run = try Engines.make(kind, system: system, options: options(kind))
                .check(["mutual-exclusion"], listener: ClosureListener { told.append($0) })
            XCTAssertEqual(told.map(\.verdict), [.violated], "\(kind)")
            XCTAssertEqual(told.first?.counterexample?.instances.map(\.action), ["test", "test", "set", "set"], "\(kind)")
            XCTAssertEqual(run.stopReason, .settled, "\(kind)")
        }
    }

    func testStopReasonsComeOutAsTheEnum() throws {
        let pool = try system("buffer-pool-double-release")
        let names = ["no-double-free", "refcount-matches-holders"]

        let shallow = try ExplicitStateChecker(system: pool, options: CheckOptions(maxDepth: 3)).check(names, listener: SilentListener())
        XCTAssertEqual(shallow.stopReason, .depthLimit(3))
        XCTAssertEqual(shallow.results.map(\.stopReason), [.depthLimit(3), .depthLimit(3)])
        XCTAssertEqual(shallow.results[0].detail, "stopped at the depth limit 3 after \(shallow.statistics.states!) states")

        let capped = try ExplicitStateChecker(system: pool, options: CheckOptions(maxStates: 5)).check(names, listener: SilentListener())
        XCTAssertEqual(capped.stopReason, .stateLimit(5))
        XCTAssertEqual(capped.results.map(\.stopReason), [.stateLimit(5), .stateLimit(5)])

        let full = try ExplicitStateChecker(system: pool).check(names, listener: SilentListener())
        XCTAssertEqual(full.stopReason, .exhausted)
        XCTAssertEqual(full.results.map(\.verdict), [.violated, .proved])
        XCTAssertEqual(full.results.map(\.stopReason), [nil, nil])

        let bmc = try BoundedModelChecker(system: pool, options: CheckOptions(maxDepth: 3)).check(names, listener: SilentListener())
        XCTAssertEqual(bmc.stopReason, .depthLimit(3))
        XCTAssertEqual(bmc.results.map(\.stopReason), [.depthLimit(3), .depthLimit(3)])

        let peterson = try system("mutex-peterson")
        let kind = try KInductionChecker(system: peterson, options: CheckOptions(maxDepth: 4))
            .check(["mutual-exclusion"], listener: SilentListener())
        XCTAssertEqual(kind.stopReason, .depthLimit(4))
        XCTAssertEqual(kind.results[0].stopReason, .depthLimit(4))
        XCTAssertEqual(try KInductionChecker(system: peterson).check(["mutual-exclusion"], listener: SilentListener()).stopReason, .settled)
    }

    func testInductionWithNoRunOfKStepsStopsAsVacuous() throws {
        let n = Variable("n", Domain.range("Level", 0...2), initial: 0)
        let system = try TransitionSystem(Spec("no-steps") {
            n
            Invariant("zero", "n stays 0") { n.value == 0 }
        })
        let result = try KInductionChecker(system: system).check(["zero"])[0]
        XCTAssertEqual(result.stopReason, .vacuousInduction(k: 1))
        XCTAssertEqual(result.detail, "\(StopReason.vacuousInduction(k: 1))")
    }

    func testSolverReasonsAndTheirWords() {
        XCTAssertEqual(StopReason.solver("timeout"), .solverTimeout)
        XCTAssertEqual(StopReason.solver("canceled"), .solverUnknown(reason: "canceled"))
        XCTAssertEqual("\(StopReason.solverTimeout)", "solver answered unknown (timeout)")
        XCTAssertEqual("\(StopReason.solver("canceled"))", "solver answered unknown (canceled)")
        XCTAssertEqual("\(StopReason.stateLimit(7))", "state limit 7")
        XCTAssertNil(StopReason.depthLimit(2).solverReason)
    }

    func testEngineKindsParseTheirNamesAndTheKInductionAlias() {
        XCTAssertEqual(EngineKind.allCases.map(\.rawValue), ["explicit", "bmc", "kind", "auto"])
        XCTAssertEqual(EngineKind.allCases.map(\.name), ["explicit", "bmc", "k-induction", "auto"])
        XCTAssertEqual(EngineKind(parsing: "k-induction"), .kind)
        XCTAssertEqual(EngineKind(parsing: "kind"), .kind)
        XCTAssertNil(EngineKind(parsing: "sat"))
        XCTAssertEqual(EngineKind.allCases.map { Engines.make($0, system: try! system("mutex-naive")).engine }, EngineKind.allCases)
    }

    func testTheCallerLabelsTheTraceOfACounterexample() throws {
        let system = try system("mutex-naive")
        let result = try BoundedModelChecker(system: system, options: CheckOptions(maxDepth: 6)).check(["mutual-exclusion"])[0]
        let counterexample = try XCTUnwrap(result.counterexample)
        XCTAssertEqual(counterexample.states.count, counterexample.depth + 1)
        XCTAssertEqual(counterexample.steps.map(\.instance.actor), counterexample.instances.map(\.actor))
        let trace = try XCTUnwrap(result.trace(in: system, variant: "v", configuration: ["cpus": "2"]))
        XCTAssertEqual(trace, Trace(system: system, counterexample: counterexample, variant: "v", configuration: ["cpus": "2"],
                                    invariant: "mutual-exclusion"))
        XCTAssertEqual(trace.variant, "v")
        XCTAssertEqual(trace.configuration, ["cpus": "2"])
        XCTAssertEqual(trace.invariant, "mutual-exclusion")
        XCTAssertEqual(try trace.states(in: system), counterexample.states)
        XCTAssertEqual(try trace.instances(in: system), counterexample.instances.map(\.id))
    }
}
