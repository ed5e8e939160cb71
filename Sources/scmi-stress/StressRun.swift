#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Scheduling
import VirtioSCMI
import Vocabulary

/// `scmi-stress` on real threads: senders, device threads, the IRQ handler and the worker
/// all run concurrently on the OS scheduler; the channel's own monitor records violations.
///
/// A run is a sequence of channel lifetimes (`StressRound`). Without `--shutdown` there is
/// one, which lasts the whole run. With it, each round's traffic runs for a moment drawn
/// from the seed (up to `--round-ms`), then `chan_free` races the transfers in flight, and
/// a fresh channel starts the next round. Every round shares one `ViolationRecorder` and,
/// with `--inject-add-sgs-failures`, one `AddFailureInjection`.
final class StressRun {
    let options: StressOptions
    let clock = ContinuousClock()
    let start: ContinuousClock.Instant
    /// The monitor of every round's channel.
    let recorder: ViolationRecorder
    /// The add_sgs failures every round's virtqueue injects, if any.
    let injection: AddFailureInjection?

    /// How long `chan_free` may take before the run reports it as stuck.
    static let chanFreeLimit = Duration.seconds(5)

    private let flags = PlainLock()
    private var firstByProperty: [(Property, Duration)] = []
    private var stopRequested = false
    private var printedViolations = 0
    private var currentRound = 1
    private var failures: [String] = []

    private let sentLock = PlainLock()
    private var sentByCPU: [Int]

    /// What the finished rounds did.
    private(set) var summary = Summary()

    /// Figures over the whole run.
    struct Summary {
        var rounds = 0
        var tally = StressTally()
        var quiescenceChecks = 0
        /// Rounds ended by a `chan_free` that returned, and the longest one.
        var chanFrees = 0
        var longestChanFree: Duration = .zero
        /// Transfers inside `do_xfer` when `chan_free` began, over every round.
        var inFlightAtChanFree = 0
        var polledInFlightAtChanFree = 0
        var elapsed: Duration = .zero
    }

    init(options: StressOptions) {
        self.options = options
        start = clock.now
        recorder = ViolationRecorder(platform: RealPlatform())
        injection = options.addFailurePercent > 0 ? AddFailureInjection(percent: options.addFailurePercent, seed: options.seed) : nil
        sentByCPU = Array(repeating: 0, count: options.threads)
        recorder.onRecord = { [unowned self] violation in
            flags.withLock {
                let now = clock.now - start
                if !firstByProperty.contains(where: { $0.0 == violation.property }) {
                    firstByProperty.append((violation.property, now))
                }
                if !options.keepGoing && (options.stopProperty == nil || options.stopProperty == violation.property) {
                    stopRequested = true
                }
                printedViolations += 1
                let round = options.includesShutdown ? " (round \(currentRound))" : ""
                if printedViolations <= 10 { print("VIOLATION at \(now.formattedSeconds)\(round): \(violation)") }
            }
        }
    }

    /// Whether the run saw no violation and no failure.
    var isClean: Bool { recorder.violations.isEmpty && flags.withLock { failures.isEmpty } }

    /// The failures that are no property violation (a stuck `chan_free`, a channel
    /// reference kept), in the order seen.
    var failuresSeen: [String] { flags.withLock { failures } }

    // MARK: - Run

    /// Runs the stress test; true if no violation and no failure was seen.
    func run() -> Bool {
        print("scmi-stress: \(options.variant)/\(options.core), \(options.threads) threads × \(options.transfers) transfers (\(options.polling)), \(options.buffers) buffers, timeout ~\(options.timeoutMicroseconds) µs, reply delay ≤ \(options.maxDelayMicroseconds) µs, \(options.latePercent)% late, seed \(options.seed), at most \(options.seconds) s")
        if options.includesShutdown {
            print("shutdown: rounds of up to \(Int(options.roundLength.inSeconds * 1000)) ms of traffic, each ended by chan_free racing the transfers in flight; a fresh channel for each round")
        }
        if let injection {
            print("add_sgs failures: \(injection.percent)% of calls fail, alternately -ENOSPC and -EIO")
        }
        let limit = Duration.milliseconds(Int64(options.seconds * 1000))
        let interval = Duration.milliseconds(Int64(options.checkIntervalMilliseconds))
        var lastCheck = clock.now
        var lastPrinted = clock.now
        var number = 0
        while true {
            number += 1
            flags.withLock { currentRound = number }
            let violationsBefore = recorder.violations.count + recorder.droppedCount
            let failuresBefore = failuresSeen.count
            let round = StressRound(number: number, run: self)
            let roundStart = clock.now
            let chanFreeAt = options.includesShutdown ? chanFreeMoment(round: number) : nil
            round.start()

            var checkedThisRound = false
            var chanFreeDue = false
            var lastRound = false
            while true {
                usleep(1_000)
                if flags.withLock({ stopRequested }) { break }
                if round.allSendersFinished || clock.now - start >= limit {
                    chanFreeDue = chanFreeAt != nil
                    lastRound = true
                    break
                }
                let elapsed = clock.now - roundStart
                if let chanFreeAt, elapsed >= chanFreeAt {
                    chanFreeDue = true
                    break
                }
                // With rounds, a due check happens once, halfway to the round's chan_free.
                let checkAllowed = chanFreeAt.map { !checkedThisRound && elapsed >= $0 / 2 } ?? true
                if checkAllowed && clock.now - lastCheck >= interval {
                    round.checkAtQuiescence()
                    lastCheck = clock.now
                    checkedThisRound = true
                }
            }

            var freed: StressRound.ChanFree?
            if chanFreeDue {
                let outcome = round.chanFree(within: Self.chanFreeLimit)
                if outcome.duration == nil {
                    fail("round \(number): chan_free did not return within \(Self.chanFreeLimit.formattedSeconds): the channel refcount is still \(outcome.usersLeft), so some path kept its channel reference")
                }
                freed = outcome
                round.stop()
            } else if chanFreeAt == nil {
                // Senders stopped, the device still answering: the last check needs no pause.
                round.stopSenders()
                round.checkAtQuiescence(resume: false)
                round.stop()
            } else {
                round.stop()
            }

            let tally = round.tally
            summary.rounds = number
            summary.tally.add(tally)
            summary.quiescenceChecks += round.quiescenceChecks
            if let freed {
                if let duration = freed.duration {
                    summary.chanFrees += 1
                    summary.longestChanFree = max(summary.longestChanFree, duration)
                }
                summary.inFlightAtChanFree += freed.inFlight
                summary.polledInFlightAtChanFree += freed.inFlightPolled
            }

            let stop = lastRound || !chanFreeDue || flags.withLock { stopRequested }
            if options.includesShutdown {
                let newViolations = recorder.violations.count + recorder.droppedCount - violationsBefore
                let newFailures = failuresSeen.count - failuresBefore
                if newViolations > 0 || newFailures > 0 || stop || clock.now - lastPrinted >= .seconds(1) {
                    print(roundLine(number, tally: tally, freed: freed, violations: newViolations, failures: newFailures))
                    lastPrinted = clock.now
                }
            }
            if stop { break }
        }
        summary.elapsed = clock.now - start
        report()
        return isClean
    }

    /// When the round's `chan_free` runs: 1 ms to `--round-ms` after the round starts, drawn
    /// from the seed and the round's number.
    private func chanFreeMoment(round: Int) -> Duration {
        var generator = SplitMix64(seed: options.seed ^ (UInt64(round) &* 0xA24B_AED4_963E_E407))
        let milliseconds = Int(options.roundLength.inSeconds * 1000)
        return .milliseconds(1 + Int(generator.next() % UInt64(max(milliseconds, 1))))
    }

    // MARK: - Shared with the rounds

    /// Transfers `cpu`'s senders have sent, over every round.
    func sent(by cpu: Int) -> Int {
        sentLock.withLock { sentByCPU[cpu] }
    }

    func countSent(by cpu: Int) {
        sentLock.withLock { sentByCPU[cpu] += 1 }
    }

    /// Reports a failure that is no property violation; it fails the run like one.
    func fail(_ message: String) {
        let first = flags.withLock {
            failures.append(message)
            if !options.keepGoing && options.stopProperty == nil { stopRequested = true }
            return failures.count <= 10
        }
        if first { print("FAILURE at \((clock.now - start).formattedSeconds): \(message)") }
    }

    // MARK: - Report

    private func roundLine(_ number: Int, tally: StressTally, freed: StressRound.ChanFree?, violations: Int, failures: Int) -> String {
        var line = "round \(number) at \((clock.now - start).formattedSeconds): \(tally.brief)"
        if let freed {
            let took = freed.duration.map { "returned in \(Self.milliseconds($0))" } ?? "did not return"
            line += "; chan_free raced \(freed.inFlight) in flight (\(freed.inFlightPolled) polled), \(took)"
            if tally.channelGone > 0 { line += ", then \(tally.channelGone) sends found the channel gone" }
        } else {
            line += "; no chan_free (stopped)"
        }
        line += violations == 0 ? "; no violation" : "; \(violations) violations"
        if failures > 0 { line += ", \(failures) failures" }
        return line
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let tenths = Int((duration.inSeconds * 10_000).rounded())
        return "\(tenths / 10).\(tenths % 10) ms"
    }

    private func report() {
        let tally = summary.tally
        let elapsed = summary.elapsed
        let rate = elapsed.inSeconds > 0 ? Int(Double(tally.sent) / elapsed.inSeconds) : 0
        let added = tally.noSpace + tally.ioError
        print("transfers: \(tally.sent) sent in \(elapsed.formattedSeconds) (\(rate) transfers/s): \(tally.succeeded) ok, \(tally.timedOut) timed out, "
              + "\(added) failed in add_sgs (\(tally.noSpace) -ENOSPC, \(tally.ioError) -EIO), \(tally.otherFailures) failed otherwise; "
              + "\(tally.busy) refused for lack of a free buffer; \(summary.quiescenceChecks) quiescence checks")
        if options.includesShutdown {
            print("rounds: \(summary.rounds), \(summary.chanFrees) ended by a chan_free that returned (longest \(Self.milliseconds(summary.longestChanFree))); "
                  + "in flight when chan_free began: \(summary.inFlightAtChanFree) transfers (\(summary.polledInFlightAtChanFree) polled); "
                  + "\(tally.channelGone) sends found the channel gone (-EINVAL)")
        }
        if let injection {
            let injected = injection.tally
            print("add_sgs: \(injected.calls) calls, \(injected.failures) failures injected (\(injected.noSpace) -ENOSPC, \(injected.ioError) -EIO)")
        }
        let failures = failuresSeen
        for failure in failures.dropFirst(10) { print("FAILURE: \(failure)") }
        let violations = recorder.violations
        if violations.isEmpty && failures.isEmpty {
            print("no violation")
            return
        }
        if !violations.isEmpty {
            var properties: [String] = []
            for violation in violations where !properties.contains(violation.property.rawValue) {
                properties.append(violation.property.rawValue)
            }
            let first = flags.withLock { firstByProperty }
            print("VIOLATED: \(properties.joined(separator: ", ")) (\(violations.count + recorder.droppedCount) violations)")
            print("first seen: " + first.map { "\($0.0) after \($0.1.formattedSeconds)" }.joined(separator: ", "))
        }
        if !failures.isEmpty {
            print("FAILED: \(failures.count) failures that are no property violation (see above)")
        }
    }
}
