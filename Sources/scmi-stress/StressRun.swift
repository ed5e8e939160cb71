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
final class StressRun {
    let options: StressOptions
    let platform = RealPlatform()
    let channel: VirtioChannel
    let core: SCMICore
    let clock = ContinuousClock()
    let start: ContinuousClock.Instant

    private let control = ConditionLock()
    private var paused = false
    private var parked = 0
    private var finishedSenders = 0
    private var stopping = false

    private let flags = PlainLock()
    private var draining = false
    private var deviceStopping = false
    private var firstByProperty: [(Property, Duration)] = []
    private var stopRequested = false
    private var printedViolations = 0

    private let statsLock = PlainLock()
    private var succeeded = 0
    private var timedOut = 0
    private var busy = 0
    private var failed = 0
    private var quiescenceChecks = 0

    init(options: StressOptions) {
        self.options = options
        channel = VirtioChannel(switches: options.switches, platform: platform, bufferCount: options.buffers)
        core = SCMICore(core: options.core, transport: channel)
        start = clock.now
        channel.recorder.onRecord = { [unowned self] violation in
            flags.withLock {
                let now = clock.now - start
                if !firstByProperty.contains(where: { $0.0 == violation.property }) {
                    firstByProperty.append((violation.property, now))
                }
                if !options.keepGoing && (options.stopProperty == nil || options.stopProperty == violation.property) {
                    stopRequested = true
                }
                printedViolations += 1
                if printedViolations <= 10 { print("VIOLATION at \((clock.now - start).formattedSeconds): \(violation)") }
            }
        }
    }

    /// Runs the stress test; true if no violation was seen.
    func run() -> Bool {
        print("scmi-stress: \(options.variant)/\(options.core), \(options.threads) threads × \(options.transfers) transfers (\(options.polling)), \(options.buffers) buffers, timeout ~\(options.timeoutMicroseconds) µs, reply delay ≤ \(options.maxDelayMicroseconds) µs, \(options.latePercent)% late, seed \(options.seed), at most \(options.seconds) s")
        channel.startServiceActors()
        let devices = (0..<options.deviceThreads).map { index in
            NativeThread.start(name: "device\(index)") { [self] in deviceLoop() }
        }
        let senders = (0..<options.threads).map { cpu in
            NativeThread.start(name: "cpu\(cpu)") { [self] in senderLoop(cpu: cpu) }
        }

        let limit = Duration.milliseconds(Int64(options.seconds * 1000))
        let interval = Duration.milliseconds(Int64(options.checkIntervalMilliseconds))
        var nextCheck = clock.now + interval
        while true {
            usleep(1_000)
            if flags.withLock({ stopRequested }) { break }
            if control.withLock({ finishedSenders == options.threads }) { break }
            if clock.now - start >= limit { break }
            if clock.now >= nextCheck {
                checkAtQuiescence()
                nextCheck = clock.now + interval
            }
        }
        let elapsed = clock.now - start
        control.withLock {
            stopping = true
            paused = false
            control.broadcast()
        }
        for sender in senders { sender.join() }
        checkAtQuiescence(resume: false)

        flags.withLock { deviceStopping = true }
        platform.stop()
        platform.joinAll()
        for device in devices { device.join() }
        report(elapsed: elapsed)
        return channel.recorder.violations.isEmpty
    }

    // MARK: - Senders

    private func senderLoop(cpu: Int) {
        var generator = SplitMix64(seed: options.seed &+ UInt64(cpu + 1) &* 0x9E37_79B9_7F4A_7C15)
        let name = "cpu\(cpu)"
        var sent = 0
        while sent < options.transfers {
            guard waitWhilePaused() else { break }
            let polled: Bool
            switch options.polling {
            case .polled: polled = true
            case .nonpolled: polled = false
            case .mixed: polled = generator.next() % 2 == 0
            }
            let base = options.timeoutMicroseconds
            let timeout = base / 2 + Int(generator.next() % UInt64(base + 1))
            let xfer = core.xferGetInit(cpu: name, polled: polled, timeout: .microseconds(timeout))
            let ret = core.doXfer(xfer)
            core.xferPut(xfer)
            statsLock.withLock {
                switch ret {
                case 0: succeeded += 1
                case -Errno.ETIMEDOUT: timedOut += 1
                case -Errno.EBUSY: busy += 1
                default: failed += 1
                }
            }
            if ret == -Errno.EBUSY {
                sched_yield()
            } else {
                sent += 1
            }
        }
        control.withLock {
            finishedSenders += 1
            control.broadcast()
        }
    }

    /// Parks the caller while the coordinator checks quiescence; false once stopping.
    private func waitWhilePaused() -> Bool {
        control.lock()
        defer { control.unlock() }
        if stopping { return false }
        if paused {
            parked += 1
            control.broadcast()
            while paused && !stopping { control.wait(timeout: .milliseconds(5)) }
            parked -= 1
        }
        return !stopping
    }

    // MARK: - Device

    private func deviceLoop() {
        let timeout = options.timeoutMicroseconds
        while !flags.withLock({ deviceStopping }) {
            let drain = flags.withLock { draining }
            let now = clock.now
            var replied = false
            for request in channel.vqueue.heldRequests {
                guard let added = request.addedAt else { continue }
                if drain || now >= added + replyDelay(token: request.token ?? 0, timeout: timeout) {
                    if channel.device.reply(to: request) { replied = true }
                }
            }
            if !replied { usleep(20) }
        }
    }

    /// The delay before the device replies to `token`: mostly short, sometimes (late
    /// percent) two to four timeouts long, so that the reply arrives after the sender gave up.
    private func replyDelay(token: Int, timeout: Int) -> Duration {
        var generator = SplitMix64(seed: options.seed ^ (UInt64(token) &* 0xD1B5_4A32_D192_ED03))
        let draw = generator.next()
        if Int(draw % 100) < options.latePercent {
            return .microseconds(timeout * (2 + Int((draw >> 8) % 3)))
        }
        return .microseconds(Int((draw >> 16) % UInt64(options.maxDelayMicroseconds + 1)))
    }

    // MARK: - Quiescence

    /// Pauses the senders, lets the device return everything, waits until the IRQ path and
    /// the worker are idle, and checks that every buffer is back on the free list.
    private func checkAtQuiescence(resume: Bool = true) {
        control.withLock {
            paused = true
            while parked + finishedSenders < options.threads && !stopping {
                control.wait(timeout: .milliseconds(5))
            }
        }
        flags.withLock { draining = true }
        let deadline = clock.now + .seconds(5)
        var stableRounds = 0
        while stableRounds < 3 && clock.now < deadline {
            usleep(500)
            stableRounds = isQuiet ? stableRounds + 1 : 0
        }
        if stableRounds >= 3 {
            statsLock.withLock { quiescenceChecks += 1 }
            for index in channel.messages.indices {
                let location = channel.location(of: index)
                if location != .freeList {
                    channel.recorder.record(.noLeakAtQuiescence, "buf\(index) is not back on the free list at quiescence (\(location))", actor: "quiescence")
                }
            }
        } else {
            print("warning: the channel did not become quiet within 5 s; no leak check this time")
        }
        flags.withLock { draining = false }
        if resume {
            control.withLock {
                paused = false
                control.broadcast()
            }
        }
    }

    private var isQuiet: Bool {
        let queue = channel.vqueue
        return queue.heldRequests.isEmpty && queue.usedElements.isEmpty
            && !channel.interrupt.isRunning && !channel.workQueue.isRunning && !channel.workQueue.isPending
    }

    // MARK: - Report

    private func report(elapsed: Duration) {
        let (ok, late, full, other, checks) = statsLock.withLock { (succeeded, timedOut, busy, failed, quiescenceChecks) }
        let sent = ok + late + other
        let rate = elapsed.inSeconds > 0 ? Int(Double(sent) / elapsed.inSeconds) : 0
        print("transfers: \(sent) sent in \(elapsed.formattedSeconds) (\(rate) transfers/s): \(ok) ok, \(late) timed out, \(other) failed; \(full) refused for lack of a free buffer; \(checks) quiescence checks")
        let violations = channel.recorder.violations
        if violations.isEmpty {
            print("no violation")
            return
        }
        var properties: [String] = []
        for violation in violations where !properties.contains(violation.property.rawValue) {
            properties.append(violation.property.rawValue)
        }
        let first = flags.withLock { firstByProperty }
        print("VIOLATED: \(properties.joined(separator: ", ")) (\(violations.count + channel.recorder.droppedCount) violations)")
        print("first seen: " + first.map { "\($0.0) after \($0.1.formattedSeconds)" }.joined(separator: ", "))
    }
}
