#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Scheduling
import VirtioSCMI
import Vocabulary

/// One channel lifetime of a stress run: a fresh channel, core and device on a fresh
/// `RealPlatform`, with its sender and device threads, its interrupt handler and worker.
///
/// Its life: `start()` starts every thread; the coordinator may `checkAtQuiescence()` any
/// number of times; with `--shutdown` it then calls `chanFree(within:)`, which runs
/// `chan_free` on its own thread while the senders go on; `stop()` ends the senders (each
/// finishes the transfer it is in), the service actors and the device threads. Violations
/// go to the run's recorder as they happen.
final class StressRound {
    /// How `chan_free` went.
    struct ChanFree {
        /// How long it took, or nil if it had not returned within the watchdog's limit.
        var duration: Duration?
        /// Transfers inside `do_xfer` when it began, and how many of them were polled.
        var inFlight: Int
        var inFlightPolled: Int
        /// The channel refcount when the watchdog gave up (0 if it returned).
        var usersLeft: Int
    }

    let number: Int
    let options: StressOptions
    unowned let run: StressRun
    let platform = RealPlatform()
    let channel: VirtioChannel
    let core: SCMICore
    private let clock = ContinuousClock()

    private let control = ConditionLock()
    private var paused = false
    private var parked = 0
    private var finishedSenders = 0
    private var stopping = false

    private let flags = PlainLock()
    private var draining = false
    private var deviceStopping = false

    private let statsLock = PlainLock()
    private var counts = StressTally()
    private var inFlight = 0
    private var inFlightPolled = 0
    private var checks = 0

    private var senders: [NativeThread] = []
    private var devices: [NativeThread] = []
    private var stopped = false

    init(number: Int, run: StressRun) {
        self.number = number
        self.run = run
        options = run.options
        channel = VirtioChannel(switches: options.switches, platform: platform, bufferCount: options.buffers, recorder: run.recorder)
        channel.vqueue.injectedAddFailures = run.injection
        core = SCMICore(core: options.core, transport: channel)
    }

    /// What the round's transfers returned so far.
    var tally: StressTally { statsLock.withLock { counts } }

    /// Quiescence checks done in this round.
    var quiescenceChecks: Int { statsLock.withLock { checks } }

    /// Whether every sender has sent its `--transfers`.
    var allSendersFinished: Bool { control.withLock { finishedSenders == options.threads } }

    /// Starts the interrupt handler, the worker, the device threads and the senders.
    func start() {
        channel.startServiceActors()
        devices = (0..<options.deviceThreads).map { index in
            NativeThread.start(name: "device\(index)") { [self] in deviceLoop() }
        }
        senders = (0..<options.threads).map { cpu in
            NativeThread.start(name: "cpu\(cpu)") { [self] in senderLoop(cpu: cpu) }
        }
    }

    /// Ends the round: the senders finish their current transfer and exit, then the
    /// service actors and the device threads; every thread is joined.
    func stop() {
        guard !stopped else { return }
        stopped = true
        stopSenders()
        flags.withLock { deviceStopping = true }
        platform.stop()
        platform.joinAll()
        for device in devices { device.join() }
    }

    /// Ends the senders only: each finishes its current transfer and exits; the device, the
    /// interrupt handler and the worker go on (a last quiescence check may follow).
    func stopSenders() {
        control.withLock {
            stopping = true
            paused = false
            control.broadcast()
        }
        for sender in senders { sender.join() }
    }

    // MARK: - Senders

    private func senderLoop(cpu: Int) {
        var generator = SplitMix64(seed: options.seed &+ UInt64(cpu + 1) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(number - 1) &* 0xBF58_476D_1CE4_E5B9)
        let name = "cpu\(cpu)"
        while run.sent(by: cpu) < options.transfers {
            guard waitWhilePaused() else { break }
            let polled: Bool
            switch options.polling {
            case .polled: polled = true
            case .nonpolled: polled = false
            case .mixed: polled = generator.next() % 2 == 0
            }
            let base = options.timeoutMicroseconds
            let timeout = base / 2 + Int(generator.next() % UInt64(base + 1))
            // Tokens are never reused here (no token space), so xfer_get never runs out.
            guard let xfer = core.xferGetInit(cpu: name, polled: polled, timeout: .microseconds(timeout)) else { continue }
            statsLock.withLock {
                inFlight += 1
                if polled { inFlightPolled += 1 }
            }
            let ret = core.doXfer(xfer)
            statsLock.withLock {
                inFlight -= 1
                if polled { inFlightPolled -= 1 }
                counts.count(ret)
            }
            if ret == 0 && xfer.fetchCount == 0 {
                run.recorder.record(.exactlyOnceDelivery, "do_xfer returned success for \(xfer), but no reply was ever copied into it")
            }
            core.xferPut(xfer)
            if StressTally.counts(ret) {
                run.countSent(by: cpu)
            } else {
                sched_yield()
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
        var generator = SplitMix64(seed: options.seed ^ (UInt64(token) &* 0xD1B5_4A32_D192_ED03) ^ (UInt64(number - 1) &* 0x94D0_49BB_1331_11EB))
        let draw = generator.next()
        if Int(draw % 100) < options.latePercent {
            return .microseconds(timeout * (2 + Int((draw >> 8) % 3)))
        }
        return .microseconds(Int((draw >> 16) % UInt64(options.maxDelayMicroseconds + 1)))
    }

    // MARK: - Quiescence

    /// Pauses the senders, lets the device return everything, waits until the IRQ path and
    /// the worker are idle, and checks that every buffer is back on the free list and that
    /// the channel holds only its initial reference. Resumes the senders unless `resume` is false.
    func checkAtQuiescence(resume: Bool = true) {
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
            statsLock.withLock { checks += 1 }
            for index in channel.messages.indices {
                let location = channel.location(of: index)
                if location != .freeList {
                    channel.recorder.record(.noLeakAtQuiescence, "buf\(index) is not back on the free list at quiescence (\(location))", actor: "quiescence")
                }
            }
            if channel.channelUsers != 1 {
                run.fail("round \(number): the channel refcount is \(channel.channelUsers) at quiescence, not 1 (its initial reference): a path kept or dropped a channel reference, so chan_free would wait forever or end too early")
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

    // MARK: - Shutdown

    /// Runs `chan_free` on a thread of its own ("shutdown") while the senders, the device,
    /// the interrupt handler and the worker go on, and waits up to `limit` for it to return.
    /// A `chan_free` still waiting then is left to `stop()`, which releases its wait.
    func chanFree(within limit: Duration) -> ChanFree {
        let (transfers, polled) = statsLock.withLock { (inFlight, inFlightPolled) }
        let returned = ConditionLock()
        var finished: ContinuousClock.Instant?
        let begun = clock.now
        let thread = NativeThread.start(name: "shutdown") { [channel, clock] in
            channel.channelFree()
            returned.withLock {
                finished = clock.now
                returned.broadcast()
            }
        }
        let end: ContinuousClock.Instant? = returned.withLock {
            while finished == nil && clock.now - begun < limit {
                returned.wait(timeout: .milliseconds(1))
            }
            return finished
        }
        let users = channel.channelUsers
        if end == nil {
            stop()
        }
        thread.join()
        return ChanFree(duration: end.map { $0 - begun }, inFlight: transfers, inFlightPolled: polled, usersLeft: end == nil ? users : 0)
    }
}
