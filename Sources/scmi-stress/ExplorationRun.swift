import Scheduling
import VirtioSCMI

/// `scmi-stress --explore`: a controlled exploration, for bounds too large for unit tests.
struct ExplorationRun {
    let options: StressOptions

    func run() -> Bool {
        var configuration = SimulationConfiguration(
            variant: options.variant,
            core: options.core,
            cpus: options.threads,
            buffers: options.buffers,
            transfersPerCPU: options.transfers
        )
        configuration.switches = options.switches
        configuration.includesShutdown = options.includesShutdown
        if options.contexts { configuration.contexts = SimulationConfiguration.Contexts(irqCPU: options.irqCPU) }
        switch options.polling {
        case .polled: configuration.polling = .allPolled
        case .mixed: configuration.polling = .alternating
        case .nonpolled: configuration.polling = .nonePolled
        }
        let scheduler: Scheduler
        switch options.mode {
        case .exhaustive:
            let exhaustive = ExhaustiveScheduler(preemptionBound: options.preemptionBound, maxExecutions: options.executions)
            exhaustive.exploresOlderWrites = options.choosesOlderWrites
            scheduler = exhaustive
        default:
            let random = RandomScheduler(seed: options.seed, maxExecutions: options.executions, printsFailures: false)
            random.choosesOlderWrites = options.choosesOlderWrites
            scheduler = random
        }
        print("exploring \(options.variant)/\(options.core), \(options.threads) CPUs, \(options.buffers) buffers, \(options.transfers) transfers per CPU, \(options.polling), \(options.mode == .exhaustive ? "preemption bound \(options.preemptionBound)" : "seed \(options.seed)"), at most \(options.executions) executions, \(options.seconds) s")
        let exploration = ChannelSimulation.explore(
            configuration,
            with: scheduler,
            stopAtFirstFailure: !options.keepGoing,
            timeLimit: .milliseconds(Int64(options.seconds * 1000))
        )
        print(exploration.summary)
        if let failure = exploration.shortestFailure, let seed = failure.summary.seed {
            print("seed of that execution: \(seed)")
        }
        return !exploration.foundViolation
    }
}
