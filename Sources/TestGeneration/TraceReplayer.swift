import Traces
import VirtioSCMI
import Vocabulary

/// The state of one replay: the simulation and what has been recorded so far.
///
/// A spec step of an actor's code runs the actor from an operation that begins the step
/// (``TraceSpec/Mapped``) up to the first operation that begins a step the actor can take
/// next; both come from the spec's counterparts, so nothing matches label strings.
final class TraceReplayer {
    let trace: Trace
    let options: ReplayOptions
    let spec: TraceSpec
    let simulation: ChannelSimulation
    private var record = ReplayRecord()
    /// CPUs whose current transfer's deadline has passed.
    private var deadlinePassed: Set<String> = []
    /// CPUs whose current transfer's `poll_done` found its own buffer (the loop ends; a last poll follows).
    private var foundOwnBuffer: Set<String> = []
    private var reportedWakeups: Set<String> = []
    private var seenViolations = 0

    init(trace: Trace, variant: Variant, options: ReplayOptions) throws {
        self.trace = trace
        self.options = options
        spec = try TraceSpec(trace: trace, variant: variant, switches: options.switches)
        simulation = ChannelSimulation(Self.simulation(of: trace, spec: spec, switches: options.switches))
    }

    /// The simulation a trace needs: its CPUs, buffers and core, and per CPU as many
    /// transfers as the trace starts, polled as the trace starts them.
    static func simulation(of trace: Trace, spec: TraceSpec, switches: Switches?) -> SimulationConfiguration {
        let c = spec.configuration
        var plan = [[Bool]](repeating: [], count: c.cpus)
        for step in trace.steps where step.action == "start" {
            let (process, instance) = step.actor.map(TraceSpec.split) ?? ("", nil)
            guard process == "sender", let name = instance, name.hasPrefix("cpu"), let cpu = Int(name.dropFirst(3)),
                  cpu < c.cpus else { continue }
            plan[cpu].append(step.parameters.first { $0.name == "polled" }?.value == "true")
        }
        var configuration = SimulationConfiguration(variant: c.variant, core: c.core, cpus: c.cpus, buffers: c.buffers,
                                                    transfersPerCPU: max(plan.map(\.count).max() ?? 1, 1),
                                                    polling: .explicit(plan))
        if let switches { configuration.switches = switches }
        return configuration
    }

    func run() -> ReplayOutcome {
        defer { _ = simulation.finish() }
        for number in trace.steps.indices.dropFirst() {
            if let divergence = perform(number) { return .diverged(divergence, record) }
            collectViolations(at: number)
            if options.comparesState {
                let differences = StateAbstraction.differences(trace.steps[number].values, simulation.snapshot(),
                                                              switches: simulation.configuration.switches)
                if !differences.isEmpty {
                    return .diverged(.stateMismatch(step: number, label: label(number), differences: differences), record)
                }
            }
        }
        return .followed(record)
    }

    /// `actor action(params)` of step `number`.
    func label(_ number: Int) -> String {
        let step = trace.steps[number]
        return "\(step.actor ?? "?") \(step.label)"
    }

    // MARK: - Steps

    /// Runs step `number`; returns a divergence, or nil when the step ran or was skipped.
    private func perform(_ number: Int) -> ReplayDivergence? {
        var entry = ReplayRecord.Step(number: number, label: label(number), implementationLabels: [], skipped: nil)
        defer { record.steps.append(entry) }
        let mapped: TraceSpec.Mapped
        switch spec.map(number, of: trace) {
        case .success(let m): mapped = m
        case .failure(let error):
            if options.skipsStepsItCannotTake {
                entry.skipped = error.reason
                return nil
            }
            return .unmapped(step: number, label: entry.label, reason: error.reason)
        }
        func refuse(_ reason: String) -> ReplayDivergence? {
            if options.skipsStepsItCannotTake {
                entry.skipped = reason
                return nil
            }
            return .cannotStep(step: number, label: entry.label, reason: reason)
        }
        switch mapped {
        case .environment(let id):
            do {
                entry.implementationLabels.append(try simulation.step(id).label)
            } catch {
                return refuse("\(id) is not enabled (\(error))")
            }
            if id.hasPrefix("deadline:") { deadlinePassed.insert(String(id.dropFirst(9))) }
            return nil
        case .code(let id, _, let begins, let ends):
            guard let first = simulation.nextOperation(of: id) else { return refuse("\(id) has finished") }
            guard begins.contains(first) else {
                return refuse("\(id)'s next step is '\(simulation.nextLabel(of: id) ?? first.description)', not \(Self.list(begins))")
            }
            if trace.steps[number].action == "start", case .code(_, "sender", _, _) = mapped {
                deadlinePassed.remove(id)
                foundOwnBuffer.remove(id)
                reportedWakeups.remove(id)
            }
            var points = 0
            repeat {
                do {
                    let choice = try simulation.step(id)
                    entry.implementationLabels.append(choice.label)
                    if (choice.operation as? Operation) == Operation(.pollDone, .virtqueue(.enableCb)) { foundOwnBuffer.insert(id) }
                } catch {
                    let reason = "\(id) cannot go on at '\(simulation.nextLabel(of: id) ?? "its end")' (\(error))"
                    if entry.implementationLabels.isEmpty || !options.skipsStepsItCannotTake {
                        return refuse(reason + (entry.implementationLabels.isEmpty ? "" : " after \(entry.implementationLabels.count) of its points"))
                    }
                    return nil
                }
                points += 1
                guard let next = simulation.nextOperation(of: id) else { return nil }
                if ends.contains(next) { return nil }
            } while points < options.maximumPointsPerStep
            return refuse("\(id) did not reach the code of its next step within \(options.maximumPointsPerStep) scheduling points")
        }
    }

    private static func list(_ operations: [Operation]) -> String {
        operations.map { "'\($0)'" }.joined(separator: " or ")
    }

    // MARK: - Violations

    private func collectViolations(at number: Int) {
        let violations = simulation.violations
        for violation in violations.dropFirst(seenViolations) {
            record.violations.append(.init(invariant: violation.property.rawValue, step: number, message: "\(violation.actor): \(violation.message)"))
        }
        seenViolations = violations.count
        let snapshot = simulation.snapshot()
        for (cpu, message) in StateAbstraction.lostWakeups(snapshot, simulation: simulation, deadlinePassed: deadlinePassed,
                                                          foundOwnBuffer: foundOwnBuffer)
        where !reportedWakeups.contains(cpu) {
            reportedWakeups.insert(cpu)
            record.violations.append(.init(invariant: Property.noLostWakeup.rawValue, step: number, message: message))
        }
        if StateAbstraction.quiescence(of: trace.steps[number].values).holds,
           StateAbstraction.quiescence(of: simulation, snapshot).holds {
            for buffer in snapshot.buffers where buffer.location != .freeList {
                record.violations.append(.init(invariant: Property.noLeakAtQuiescence.rawValue, step: number,
                                               message: "\(StateAbstraction.bufferName(buffer.index)) is \(buffer.location) at quiescence"))
            }
        }
    }
}
