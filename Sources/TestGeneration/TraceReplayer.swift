import Traces
import VirtioSCMI
import Vocabulary

/// The state of one replay: the simulation and what has been recorded so far.
final class TraceReplayer {
    let trace: Trace
    let options: ReplayOptions
    let simulation: ChannelSimulation
    private var record = ReplayRecord()
    private var previousLabel: [String: String] = [:]
    /// CPUs whose current transfer's deadline has passed.
    private var deadlinePassed: Set<String> = []
    /// CPUs whose current transfer's `poll_done` found its own buffer (the loop ends; a last poll follows).
    private var foundOwnBuffer: Set<String> = []
    private var reportedWakeups: Set<String> = []
    private var seenViolations = 0
    /// The spec's actions of the replayed variant, by process.
    private let actions: [String: [String]]

    init(trace: Trace, variant: Variant, options: ReplayOptions) {
        self.trace = trace
        self.options = options
        let configuration = Self.configuration(of: trace, variant: variant, switches: options.switches)
        simulation = ChannelSimulation(configuration)
        actions = SpecActions.of(variant: variant.rawValue, cpus: configuration.cpus, buffers: configuration.buffers,
                                 core: configuration.core.rawValue)
    }

    /// The simulation a trace needs: its CPUs and buffers, its core, and per CPU as many
    /// transfers as the trace starts, polled as the trace starts them.
    static func configuration(of trace: Trace, variant: Variant, switches: Switches?) -> SimulationConfiguration {
        let cpus = trace.configuration["cpus"].flatMap { Int($0) } ?? 2
        let buffers = trace.configuration["buffers"].flatMap { Int($0) } ?? 2
        let core = trace.configuration["core"].flatMap(CoreVersion.init(rawValue:)) ?? .current
        var plan = [[Bool]](repeating: [], count: cpus)
        for step in trace.steps where step.action == "start" {
            guard let actor = step.actor, actor.hasPrefix("sender[cpu"), let cpu = Int(actor.dropFirst(10).dropLast()),
                  cpu < cpus else { continue }
            plan[cpu].append(step.parameters.first { $0.name == "polled" }?.value == "true")
        }
        var configuration = SimulationConfiguration(variant: variant, core: core, cpus: cpus, buffers: buffers,
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
                let differences = StateAbstraction.differences(trace.steps[number].values, simulation.snapshot())
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
        let step = trace.steps[number]
        var entry = ReplayRecord.Step(number: number, label: label(number), implementationLabels: [], skipped: nil)
        defer { record.steps.append(entry) }
        let mapping: StepMapping
        switch StepMapping.of(step) {
        case .success(let m): mapping = m
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
        if mapping.isEnvironment {
            do {
                entry.implementationLabels.append(try simulation.step(mapping.id).label)
            } catch {
                return refuse("\(mapping.id) is not enabled (\(error))")
            }
            if mapping.id.hasPrefix("deadline:") { deadlinePassed.insert(String(mapping.id.dropFirst(9))) }
            return nil
        }
        let id = mapping.id
        guard let first = simulation.nextLabel(of: id) else { return refuse("\(id) has finished") }
        guard mapping.begins(at: first) else { return refuse("\(id)'s next step is '\(first)'") }
        if step.action == "start" {
            deadlinePassed.remove(id)
            foundOwnBuffer.remove(id)
            reportedWakeups.remove(id)
        }
        var points = 0
        repeat {
            let choice: StepResult = take(id)
            switch choice {
            case .took(let label): entry.implementationLabels.append(label)
            case .refused(let reason):
                if entry.implementationLabels.isEmpty || !options.skipsStepsItCannotTake {
                    return refuse(reason + (entry.implementationLabels.isEmpty ? "" : " after \(entry.implementationLabels.count) of its points"))
                }
                return nil
            }
            points += 1
            guard let next = simulation.nextLabel(of: id) else { return nil }
            if StepMapping.isBoundary(next, ofActor: id, actions: actions) && !continuesStep(next, after: previousLabel[id]) {
                return nil
            }
        } while points < options.maximumPointsPerStep
        return refuse("\(id) did not reach the code of its next step within \(options.maximumPointsPerStep) scheduling points")
    }

    private enum StepResult {
        case took(String)
        case refused(String)
    }

    private func take(_ id: String) -> StepResult {
        do {
            let label = try simulation.step(id).label
            previousLabel[id] = label
            if label.hasSuffix("poll_done virtqueue_enable_cb") { foundOwnBuffer.insert(id) }
            return .took(label)
        } catch {
            return .refused("\(id) cannot go on at '\(simulation.nextLabel(of: id) ?? "its end")' (\(error))")
        }
    }

    /// Whether `label`, though it looks like the beginning of a step, continues the one
    /// running: `poll_done`'s last `virtqueue_poll` after `enable_cb_prepare` re-arms (it is no
    /// new poll), a `poll_status` read under the `poll_lock` just taken is that lock's step, and
    /// the IRQ handler's first channel reference belongs to its start.
    private func continuesStep(_ label: String, after previous: String?) -> Bool {
        guard let previous else { return false }
        if label.contains("complete_cb channel_acquire") && previous.contains("start complete_cb") { return true }
        if label.contains("poll_done virtqueue_poll") && previous.contains("enable_cb_prepare") { return true }
        return label.contains("read poll_status") && previous.contains("lock poll_lock")
    }

    // MARK: - Violations

    private func collectViolations(at number: Int) {
        let violations = simulation.violations
        for violation in violations.dropFirst(seenViolations) {
            record.violations.append(.init(invariant: violation.property.rawValue, step: number, message: "\(violation.actor): \(violation.message)"))
        }
        seenViolations = violations.count
        let snapshot = simulation.snapshot()
        for message in StateAbstraction.lostWakeups(snapshot) {
            let cpu = String(message.prefix { $0 != " " })
            guard !deadlinePassed.contains(cpu), !foundOwnBuffer.contains(cpu), !reportedWakeups.contains(cpu) else { continue }
            reportedWakeups.insert(cpu)
            record.violations.append(.init(invariant: "no-lost-wakeup", step: number, message: message))
        }
        if StateAbstraction.isQuiescent(trace.steps[number].values), isQuiescent(snapshot) {
            for buffer in snapshot.buffers where buffer.location != .freeList {
                record.violations.append(.init(invariant: "no-leak-at-quiescence", step: number,
                                               message: "\(StateAbstraction.bufferName(buffer.index)) is \(buffer.location) at quiescence"))
            }
        }
    }

    /// Whether the implementation is at rest: no sender inside a transfer, nothing with the
    /// device, on the used ring or queued for the worker.
    private func isQuiescent(_ snapshot: ChannelSnapshot) -> Bool {
        snapshot.cpus.allSatisfy { cpu in cpu.nextStep.map { $0.contains("xfer_get_init") } ?? true }
            && snapshot.deviceHeld.isEmpty && snapshot.usedRing.isEmpty && !snapshot.workerQueued
    }
}
