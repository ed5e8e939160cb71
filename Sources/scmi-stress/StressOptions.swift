import ArgumentParser
import VirtioSCMI
import Vocabulary

extension Variant: ExpressibleByArgument {}
extension CoreVersion: ExpressibleByArgument {}
extension Property: ExpressibleByArgument {}
extension Switch: ExpressibleByArgument {}

/// The command line of `scmi-stress`.
struct StressOptions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scmi-stress",
        abstract: "Stress the channel implementation on real threads, or explore it under the controlled scheduler.",
        discussion: """
        Stress (default): N real threads each send up to M transfers (or until S seconds pass; \
        attempts refused for lack of a free buffer are retried and not counted) against a simulated \
        device with random reply delays; P% of replies arrive after the transfer's timeout. Every I ms \
        the senders pause, the device returns everything, and the channel is checked at quiescence. \
        Stops at the first violation (of PROPERTY with --until; never with --keep-going) and exits 1 \
        if there was any, or any failure that is no property violation (a chan_free that never \
        returns, a channel reference kept); bad options exit 2. --without turns one of the variant's switches off (repeatable), e.g. the \
        fixed variant's rxLenBeforePollDone, secondReleaseOnlyWhenPollDone or decidesBeforeReleasing. \
        --no-final-poll-after-success makes the current core skip its last poll_done when poll_done \
        ended the loop (the 'described' core, the reference page's reading; the kernel polls).

        Shutdown (--shutdown): the run becomes a sequence of channel lifetimes (rounds). Each round \
        starts a fresh channel, core and device, lets the traffic run for a moment drawn from the seed \
        (1 ms to --round-ms, default 200), then runs chan_free on a thread of its own while the \
        transfers in flight go on: the device breaks, cleanup_sync drops the initial reference and \
        waits for the last user. What applies after shutdown is checked as it happens: \
        shutdown-safety (nothing touches the virtqueue, the lists or cinfo once the users reached \
        zero), exactly-once-delivery (no transfer returns success with a reply that never came), \
        no-double-free and no-use-after-release; a chan_free that has not returned within 5 s fails \
        the run (a path kept its channel reference). A due quiescence check happens halfway to the \
        round's chan_free (no-leak-at-quiescence applies only before it), and also checks that the \
        channel holds just its initial reference. A line per round is printed when it saw a \
        violation, and otherwise at most once a second.

        Failure injection (--inject-add-sgs-failures P): P% of virtqueue_add_sgs calls fail, \
        alternately -ENOSPC (a full ring) and -EIO (a broken device), drawn from the seed, so that \
        send_message's unwinding (priv cleared after the unlock, one release or two, the buffer back \
        on the free list, the channel reference dropped) runs under real concurrency; each failed \
        send is checked to have returned its buffer (conservation otherwise). make stress runs fixed with both this and \
        --shutdown, and must stay clean.

        Explore (--explore): runs the controlled, deterministic scheduler instead (exhaustive \
        depth-first with a preemption bound, or random from a seed) and prints the shortest failing \
        schedule; --threads is then the number of CPUs, --transfers the transfers per CPU, --seconds \
        a time limit; --shutdown adds an actor that runs chan_free at a moment the scheduler chooses; \
        --contexts makes the CPUs execution contexts (--irq-cpu N fixes where the interrupt goes). \
        With --explore ... --older-writes, each read of a buffer's rx_len observes a write the \
        controlled runtime's memory model allows (MemoryViews), not always the newest: one picked at \
        random, or each in turn (exhaustive, the newest first); only then can --without turn off a switch that changes memory ordering only \
        (releaseOnPollDoneMark, acquireOnPollDoneCheck).
        """
    )

    /// What to run: real threads, or a controlled exploration.
    enum Mode: String {
        case stress
        case exhaustive
        case random
    }

    /// The controlled explorations `--explore` offers.
    enum Exploration: String, CaseIterable, ExpressibleByArgument {
        case exhaustive
        case random
    }

    /// Which transfers are polled.
    enum Polling: String, CaseIterable, ExpressibleByArgument {
        case polled
        case mixed
        case nonpolled
    }

    @Option(help: "The transport variant.")
    var variant: Variant = .upstream

    @Option(name: .customLong("core"), help: "The SCMI core version (default: the first core the variant met: 2022 for v4 and v4-proposal, current for upstream and fixed).")
    var chosenCore: CoreVersion?

    @Option(name: [.customLong("threads"), .customLong("cpus")], help: "Sender threads (CPUs when exploring).")
    var threads = 2

    @Option(help: "Transfers per sender.")
    var transfers = 100_000

    @Option(help: "Time limit in seconds.")
    var seconds = 10.0

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "TX message buffers.")
    var buffers = 4

    @Option(name: .customLong("mode"), help: "Which transfers are polled.")
    var polling: Polling = .polled

    @Option(name: .customLong("timeout-us"), help: "Transfer timeout in microseconds.")
    var timeoutMicroseconds = 200

    @Option(name: .customLong("max-delay-us"), help: "Longest reply delay in microseconds.")
    var maxDelayMicroseconds = 150

    @Option(name: .customLong("late-percent"), help: "Percentage of replies that arrive after the timeout.")
    var latePercent = 5

    @Option(name: .customLong("device-threads"), help: "Device threads.")
    var deviceThreads = 1

    @Option(name: .customLong("check-interval-ms"), help: "Milliseconds between quiescence checks.")
    var checkIntervalMilliseconds = 500

    @Flag(name: .customLong("keep-going"), help: "Do not stop at the first violation.")
    var keepGoing = false

    @Option(name: .customLong("until"), help: "Stop only at a violation of this property.")
    var stopProperty: Property?

    @Option(name: .customLong("without"), help: ArgumentHelp("Turn this switch of the variant off (repeatable).", valueName: "switch"))
    var disabledSwitches: [Switch] = []

    @Flag(name: .customLong("no-final-poll-after-success"), help: "With the current core: no last poll_done after a successful one (the described core); no effect on the others.")
    var noFinalPollAfterPollSuccess = false

    @Option(name: .customLong("explore"), help: "Explore under the controlled scheduler instead of stressing.")
    var exploration: Exploration?

    @Option(name: .customLong("preemption-bound"), help: "Preemption bound of the exhaustive exploration.")
    var preemptionBound = 1

    @Option(help: "The most executions an exploration runs.")
    var executions = 1_000

    @Flag(name: .customLong("shutdown"), help: "Stress: run in rounds, each channel ended by chan_free racing the traffic. Exploration: add an actor that runs chan_free.")
    var includesShutdown = false

    @Option(name: .customLong("round-ms"), help: ArgumentHelp("Stress with --shutdown: the longest traffic of a round before its chan_free, in ms (default 200).", valueName: "ms"))
    var roundMilliseconds: Int?

    @Option(name: .customLong("inject-add-sgs-failures"), help: ArgumentHelp("Stress: make this percentage (0 to 100) of virtqueue_add_sgs calls fail, alternately -ENOSPC and -EIO.", valueName: "percent"))
    var addFailurePercent = 0

    @Flag(name: .customLong("contexts"), help: "Exploration: CPUs as execution contexts (the IRQ path interrupts a CPU with interrupts on and runs to its end there, the worker runs on a CPU).")
    var contexts = false

    @Option(name: .customLong("irq-cpu"), help: ArgumentHelp("Exploration with --contexts: the CPU (from 0) every interrupt goes to (default: any the scheduler picks).", valueName: "n"))
    var irqCPU: Int?

    @Flag(name: .customLong("older-writes"), help: "Exploration: reads of rx_len may observe older writes (the controlled runtime's memory model).")
    var choosesOlderWrites = false

    /// The longest traffic of a stress round before its `chan_free`.
    var roundLength: Duration { .milliseconds(roundMilliseconds ?? 200) }

    /// What to run.
    var mode: Mode {
        switch exploration {
        case nil: return .stress
        case .exhaustive: return .exhaustive
        case .random: return .random
        }
    }

    /// The core the run uses: the chosen one, or `described` for the current core without
    /// its last `poll_done` after a successful one.
    var core: CoreVersion {
        let core = chosenCore ?? variant.coresMet[0]
        return noFinalPollAfterPollSuccess && core == .current ? .described : core
    }

    /// The channel's switches: the variant's, minus those turned off with `--without`.
    var switches: Switches {
        var switches = variant.switches
        for name in disabledSwitches { switches[name] = false }
        return switches
    }

    func validate() throws {
        guard threads > 0, buffers > 0, transfers > 0 else {
            throw ValidationError("threads, buffers and transfers must be positive")
        }
        guard seconds > 0, timeoutMicroseconds > 0, maxDelayMicroseconds >= 0, deviceThreads > 0, checkIntervalMilliseconds > 0 else {
            throw ValidationError("--seconds, --timeout-us, --device-threads and --check-interval-ms must be positive, --max-delay-us not negative")
        }
        guard (0...100).contains(addFailurePercent) else {
            throw ValidationError("--inject-add-sgs-failures takes a percentage from 0 to 100, not \(addFailurePercent)")
        }
        guard (0...100).contains(latePercent) else {
            throw ValidationError("--late-percent takes a percentage from 0 to 100, not \(latePercent)")
        }
        if addFailurePercent > 0 && exploration != nil {
            throw ValidationError("--inject-add-sgs-failures applies to the real-thread stress only (--explore chooses no add_sgs failures)")
        }
        if let roundMilliseconds {
            guard includesShutdown, exploration == nil else {
                throw ValidationError("--round-ms needs --shutdown without --explore (rounds are channel lifetimes of the real-thread stress)")
            }
            guard roundMilliseconds > 0 else { throw ValidationError("--round-ms must be positive, not \(roundMilliseconds)") }
        }
        if contexts && exploration == nil {
            throw ValidationError("--contexts needs --explore (real threads run where the OS puts them)")
        }
        if let irqCPU {
            guard contexts, (0..<threads).contains(irqCPU) else {
                throw ValidationError("--irq-cpu \(irqCPU) needs --contexts and a CPU from 0 to \(threads - 1)")
            }
        }
        if choosesOlderWrites && exploration == nil {
            throw ValidationError("--older-writes needs --explore (real threads run on this machine's memory)")
        }
        if let ordering = disabledSwitches.first(where: \.isMemoryOrderingOnly), !choosesOlderWrites {
            throw ValidationError("--without \(ordering) changes memory ordering only, which only an exploration with "
                                  + "--older-writes observes (real threads run on this machine's memory; without it every read observes the newest write)")
        }
    }
}
