import VirtioSCMI

/// The command line of `scmi-stress`, parsed by hand (the target has no dependencies).
struct StressOptions {
    /// What to run: real threads, or a controlled exploration.
    enum Mode: String {
        case stress
        case exhaustive
        case random
    }

    /// Which transfers are polled.
    enum Polling: String {
        case polled
        case mixed
        case nonpolled
    }

    var mode: Mode = .stress
    var variant: Variant = .upstream
    var core: CoreVersion = .current
    var threads = 2
    var transfers = 100_000
    var seconds = 10.0
    var seed: UInt64 = 1
    var buffers = 4
    var polling: Polling = .polled
    var timeoutMicroseconds = 200
    var maxDelayMicroseconds = 150
    var latePercent = 5
    var deviceThreads = 1
    var checkIntervalMilliseconds = 500
    var keepGoing = false
    var preemptionBound = 1
    var executions = 1_000
    var disabledFixes: [String] = []
    var finalPollAfterPollSuccess = true
    var stopProperty: Property?
    var includesShutdown = false

    static let usage = """
    usage: scmi-stress [--variant v4|v4-proposal|upstream|fixed] [--core current|2022]
                       [--threads N] [--transfers M] [--seconds S] [--seed X]
                       [--buffers B] [--mode polled|mixed|nonpolled]
                       [--timeout-us T] [--max-delay-us D] [--late-percent P]
                       [--device-threads K] [--check-interval-ms I] [--keep-going]
                       [--until PROPERTY]
                       [--without rx-len-first|poll-done-release|release-last]
                       [--no-final-poll-after-success]
           scmi-stress --explore exhaustive|random [--variant ...] [--core ...]
                       [--threads CPUS] [--buffers B] [--transfers PER_CPU] [--mode ...]
                       [--preemption-bound P] [--executions E] [--seed X] [--seconds LIMIT]
                       [--shutdown] [--keep-going]

    Stress (default): N real threads each send up to M transfers (or until S seconds pass;
    attempts refused for lack of a free buffer are retried and not counted)
    against a simulated device with random reply delays; P% of replies arrive after the
    transfer's timeout. Every I ms the senders pause, the device returns everything, and the
    channel is checked at quiescence. Stops at the first violation (of PROPERTY with --until;
    never with --keep-going) and exits 1 if there was any. --without turns one of the
    fixed variant's candidate fixes off: (a) rx-len-first, (b) poll-done-release,
    (c) release-last. --no-final-poll-after-success makes the current core skip its last
    poll_done when poll_done ended the loop (the reference page's reading; the kernel polls).

    Explore: runs the controlled, deterministic scheduler instead (exhaustive depth-first
    with a preemption bound, or random from a seed) and prints the shortest failing schedule;
    --shutdown adds an actor that runs chan_free at a moment the scheduler chooses.
    """

    static func parse(_ arguments: [String]) throws -> StressOptions {
        var options = StressOptions()
        var iterator = arguments.makeIterator()
        func value(_ flag: String) throws -> String {
            guard let value = iterator.next() else { throw StressError.usage("\(flag) needs a value") }
            return value
        }
        func number<T: LosslessStringConvertible>(_ flag: String) throws -> T {
            let text = try value(flag)
            guard let number = T(text) else { throw StressError.usage("\(flag): not a number: \(text)") }
            return number
        }
        while let argument = iterator.next() {
            switch argument {
            case "--variant":
                let name = try value(argument)
                guard let variant = Variant(rawValue: name) else { throw StressError.usage("unknown variant \(name)") }
                options.variant = variant
            case "--core":
                let name = try value(argument)
                guard let core = CoreVersion(rawValue: name) else { throw StressError.usage("unknown core \(name)") }
                options.core = core
            case "--threads", "--cpus": options.threads = try number(argument)
            case "--transfers": options.transfers = try number(argument)
            case "--seconds": options.seconds = try number(argument)
            case "--seed": options.seed = try number(argument)
            case "--buffers": options.buffers = try number(argument)
            case "--mode":
                let name = try value(argument)
                guard let polling = Polling(rawValue: name) else { throw StressError.usage("unknown mode \(name)") }
                options.polling = polling
            case "--timeout-us": options.timeoutMicroseconds = try number(argument)
            case "--max-delay-us": options.maxDelayMicroseconds = try number(argument)
            case "--late-percent": options.latePercent = try number(argument)
            case "--device-threads": options.deviceThreads = try number(argument)
            case "--check-interval-ms": options.checkIntervalMilliseconds = try number(argument)
            case "--keep-going": options.keepGoing = true
            case "--until":
                let name = try value(argument)
                guard let property = Property(rawValue: name) else { throw StressError.usage("unknown property \(name)") }
                options.stopProperty = property
            case "--without": options.disabledFixes.append(try value(argument))
            case "--no-final-poll-after-success": options.finalPollAfterPollSuccess = false
            case "--explore":
                let name = try value(argument)
                guard let mode = Mode(rawValue: name), mode != .stress else { throw StressError.usage("unknown exploration \(name)") }
                options.mode = mode
            case "--preemption-bound": options.preemptionBound = try number(argument)
            case "--shutdown": options.includesShutdown = true
            case "--executions": options.executions = try number(argument)
            case "--help", "-h": throw StressError.help
            default: throw StressError.usage("unknown argument \(argument)")
            }
        }
        guard options.threads > 0, options.buffers > 0, options.transfers > 0 else {
            throw StressError.usage("threads, buffers and transfers must be positive")
        }
        return options
    }

    /// The core's switches for the chosen core version.
    func coreBehaviour() -> CoreBehaviour {
        var behaviour = CoreBehaviour.for(core)
        behaviour.finalPollAfterPollSuccess = finalPollAfterPollSuccess
        return behaviour
    }

    /// The channel's switches for the chosen variant, minus any fix turned off by `--without`.
    func behaviour() throws -> ChannelBehaviour {
        var behaviour = ChannelBehaviour.for(variant)
        for fix in disabledFixes {
            switch fix {
            case "rx-len-first": behaviour.rxLenBeforePollDone = false
            case "poll-done-release": behaviour.secondReleaseOnlyWhenPollDone = false
            case "release-last": behaviour.decidesBeforeReleasing = false
            default: throw StressError.usage("unknown fix \(fix)")
            }
        }
        return behaviour
    }
}
