import Scheduling
import Traces
import VirtioSCMI
import Vocabulary
import WeakMemory

/// The state of one replay: the simulation and what has been recorded so far.
///
/// A spec step of an actor's code runs the actor from an operation that begins the step
/// (``TraceSpec/Mapped``) up to the first operation that begins a step the actor can take
/// next; both come from the spec's counterparts, so nothing matches label strings.
///
/// A weak counterexample (a run of the spec under `lkmm-nolb`) names in each step with a weak
/// read the slot of its element's history it observed (`weak.read`), and the trace's states
/// hold each history's length. The step's weak read in the implementation (a buffer's
/// `rx_len`, the spec's one weak variable) then observes the write as far behind the newest
/// as the trace's: slot `s` of `n` is `n - 1 - s` writes behind. The spec's ghost reset at a
/// send stands for every earlier write, all of them stale for the new request, so counting
/// back from the newest maps its writes onto the implementation's. The implementation's own
/// memory model (`MemoryViews`) must allow the read; when it does not, a conformance replay
/// diverges and a schedule replay (on another variant) reads the oldest write it may, and
/// records that. A write the spec inserted before a newer one has no counterpart (the
/// implementation's writes are newest when they execute) and diverges.
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

    /// The simulation a trace needs: its CPUs, buffers and core, per CPU as many transfers as
    /// the trace starts, polled as the trace starts them, the actor "shutdown" when the trace
    /// races `chan_free` with the traffic, and CPUs as execution contexts when the trace has them
    /// (`#meta.configuration.contexts`, `irq-cpu`): then the steps that place the IRQ path or the
    /// worker on a CPU (their parameter `on`) are the runtime's placing choices (`irq@cpuK`).
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
                                                    polling: .explicit(plan), includesShutdown: c.shutdown, tokens: c.tokens)
        configuration.contexts = c.contexts.map { SimulationConfiguration.Contexts(irqCPU: $0.irqCPU) }
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
                                                              switches: simulation.configuration.switches,
                                                              shutdown: spec.configuration.shutdown,
                                                              tokens: spec.configuration.tokens,
                                                              contexts: spec.configuration.contexts != nil)
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
        let notes = ReadNotes()
        defer {
            entry.weakReads = notes.observed
            entry.refusedRead = notes.refused
            record.steps.append(entry)
        }
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
            if let problem = weakWriteProblem(number) {
                if options.skipsStepsItCannotTake {
                    entry.skipped = problem
                    return nil
                }
                return .unmapped(step: number, label: entry.label, reason: problem)
            }
            let chooser: ((WeakRead) -> Int?)?
            switch writeChooser(for: number, notes: notes) {
            case .success(let c): chooser = c
            case .failure(let error): return .unmapped(step: number, label: entry.label, reason: error.reason)
            }
            guard begins.contains(first) else {
                return refuse("\(id)'s next step is '\(simulation.nextLabel(of: id) ?? first.description)', not \(Self.list(begins))")
            }
            if trace.steps[number].action == "start", case .code(_, "sender", _, _) = mapped {
                deadlinePassed.remove(id)
                foundOwnBuffer.remove(id)
                reportedWakeups.remove(id)
            }
            let on = trace.steps[number].parameters.first { $0.name == TraceSpec.placementParameter }?.value
            var points = 0
            repeat {
                let stepID: String
                switch implementationID(id, on: on) {
                case .success(let placed): stepID = placed
                case .failure(let error): return refuse(error.reason)
                }
                do {
                    let choice = try chooser.map { try simulation.step(stepID, choosingWrites: $0) } ?? simulation.step(stepID)
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
                if let refused = notes.refused, !options.skipsStepsItCannotTake {
                    return .cannotStep(step: number, label: entry.label, reason: refused)
                }
                guard let next = simulation.nextOperation(of: id) else { return nil }
                if ends.contains(next) { return nil }
            } while points < options.maximumPointsPerStep
            return refuse("\(id) did not reach the code of its next step within \(options.maximumPointsPerStep) scheduling points")
        }
    }

    // MARK: - Execution contexts

    /// The id that runs actor `id`'s next point in a step whose CPU parameter is `on`: with
    /// execution contexts, `id@cpuK` when the point places the actor (the IRQ path's start, the
    /// worker's start and its `complete_cb` rounds) on the CPU the trace names; the actor's own
    /// id otherwise, when it runs where the trace says it does. A step that places an actor
    /// without naming a CPU, or names another CPU than the one the actor runs on, cannot be taken.
    private func implementationID(_ id: String, on: String?) -> Result<String, MappingError> {
        guard let contexts = simulation.contexts else { return .success(id) }
        if simulation.nextStepPlaces(id) {
            guard let on, let k = contexts.cpus.firstIndex(of: on) else {
                return .failure(MappingError("\(id)'s next step places it on a CPU, and the trace's step names \(on.map { "the CPU '\($0)', not one of \(contexts.cpus.joined(separator: ", "))" } ?? "none")"))
            }
            return .success(contexts.placementID(id, on: k))
        }
        if let on, let k = contexts.cpu(of: id), contexts.cpus[k] != on {
            return .failure(MappingError("the trace runs \(id) on \(on), where the implementation runs it on \(contexts.cpus[k])"))
        }
        return .success(id)
    }

    // MARK: - Weak memory

    /// What a step's weak reads observed, and a refusal, written by the chooser on the actor's thread.
    private final class ReadNotes {
        var observed: [String] = []
        var refused: String?
    }

    /// The spec's weak variable: the implementation has one weak field, a buffer's `rx_len`.
    private var weakVariable: Result<String?, MappingError> {
        let names = spec.instance.spec.weakMemory?.weak ?? []
        guard names.count <= 1 else {
            return .failure(MappingError("the spec declares \(names.count) weak variables; the implementation has one weak field (rx_len)"))
        }
        return .success(names.first)
    }

    /// The history length of element `element` of weak variable `variable` in state `number` of the trace.
    private func historyLength(_ variable: String, _ element: String, at number: Int) -> Int? {
        TraceSpec.value(of: WeakMemoryTransformation.historyLengthName(variable), instance: element, in: trace.steps[number].values).flatMap { Int($0) }
    }

    /// How the implementation's weak reads in step `number` choose their write (nil: the newest).
    private func writeChooser(for number: Int, notes: ReadNotes) -> Result<((WeakRead) -> Int?)?, MappingError> {
        guard options.weakReads == .asTraced,
              let text = trace.steps[number].parameters.first(where: { $0.name == WeakMemoryTransformation.readParameterName })?.value
        else { return .success(nil) }
        guard let slot = Int(text) else { return .failure(MappingError("the weak read's slot is '\(text)', not a number")) }
        let variable: String
        switch weakVariable {
        case .failure(let error): return .failure(error)
        case .success(nil): return .failure(MappingError("the step reads weakly, but the spec declares no weak variable"))
        case .success(let name?): variable = name
        }
        let lengths = Dictionary(uniqueKeysWithValues: (0..<simulation.configuration.buffers).compactMap { buffer in
            historyLength(variable, StateAbstraction.bufferName(buffer), at: number - 1).map { (buffer, $0) }
        })
        let keepsGoing = options.skipsStepsItCannotTake
        return .success { [simulation] read in
            guard let buffer = simulation.bufferIndex(ofWeakField: read.location), let length = lengths[buffer] else {
                notes.refused = "the trace holds no history of \(variable) for \(read.location)"
                return nil
            }
            let element = "\(variable)[\(StateAbstraction.bufferName(buffer))]"
            let age = length - 1 - slot
            let target = read.newest - age
            if age >= 0, read.allowed.contains(target) {
                notes.observed.append(Self.describe(read, target))
                return target
            }
            notes.refused = "\(read.actor)'s view of \(read.location) is at write \(read.allowed.lowerBound) of \(read.newest): it cannot observe write \(target), "
                + "\(age) behind the newest, as the trace's read of \(element) took write \(slot + 1) of \(length)"
            guard keepsGoing else { return nil }
            notes.observed.append(Self.describe(read, read.allowed.lowerBound))
            return read.allowed.lowerBound
        }
    }

    /// `buf1.rx_len: write 3, 1 newer write not visible`.
    private static func describe(_ read: WeakRead, _ write: Int) -> String {
        let newer = read.newest - write
        return "\(read.location): write \(write), " + (newer == 0 ? "the newest" : "\(newer) newer write\(newer == 1 ? "" : "s") not visible")
    }

    /// Why step `number`'s weak write has no counterpart: the spec inserted it before a newer
    /// write of its element, where the implementation's writes are the newest when they execute.
    private func weakWriteProblem(_ number: Int) -> String? {
        guard let text = trace.steps[number].parameters.first(where: { $0.name == WeakMemoryTransformation.writeParameterName })?.value,
              case .success(let name?) = weakVariable else { return nil }
        guard let position = Int(text) else { return "the weak write's slot is '\(text)', not a number" }
        for buffer in 0..<simulation.configuration.buffers {
            let element = StateAbstraction.bufferName(buffer)
            guard let before = historyLength(name, element, at: number - 1), let after = historyLength(name, element, at: number),
                  after == before + 1 else { continue }
            if position != before {
                return "the spec inserted this write of \(name)[\(element)] at slot \(position) of \(after), before a newer write; the implementation's writes are the newest when they execute"
            }
        }
        return nil
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
