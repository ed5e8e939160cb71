import Traces
import VirtioSCMI
import Vocabulary

/// The implementation's state in the spec's vocabulary, and its comparison with a trace state.
///
/// Compared: the free list, the used ring and the pending list (in order), `in_device`, each
/// buffer's `poll_status` and (with refcounts) `users`, and for each CPU whose sender is
/// inside a transfer, `xfer_state` and `priv`. With shutdown also the channel's lifecycle
/// (``shutdownDifferences(_:_:)``), and with execution contexts where the IRQ path and the
/// worker run (``contextsDifferences(_:_:)``). Ghost variables and path locals have no counterpart in
/// the implementation and are not compared, except the ghost verdict `touched_after_teardown`,
/// which the implementation records as a violation. With a token space, who holds each token
/// (``tokenDifferences(_:_:space:)``). A variable the comparison needs and the
/// trace lacks is a difference, never skipped: renaming a spec variable cannot turn
/// conformance off.
enum StateAbstraction {
    /// The spec variables the implementation's `snapshot` differs on; `shutdown` when the trace
    /// races `chan_free` with the traffic.
    static func differences(_ expected: [String: TraceValue], _ snapshot: ChannelSnapshot, switches: Switches,
                            shutdown: Bool = false, tokens: Int? = nil, contexts: Bool = false) -> [StateDifference] {
        var found = Differences()
        func compare(_ variable: String, _ want: String?, _ have: String) { found.compare(variable, want, have) }
        let queues: [(StateName, [Int])] = [(.freeList, snapshot.freeList), (.usedRing, snapshot.usedRing), (.pendingList, snapshot.pendingList)]
        for (name, actual) in queues {
            compare(name.rawValue, queue(name, in: expected).map(list), list(actual.map(bufferName)))
        }
        for buffer in snapshot.buffers {
            let m = bufferName(buffer.index)
            compare("\(StateName.inDevice)[\(m)]", entry(.inDevice, m, in: expected), snapshot.deviceHeld.contains(buffer.index) ? "TRUE" : "FALSE")
            compare("\(StateName.pollStatus)[\(m)]", entry(.pollStatus, m, in: expected), buffer.pollStatus.rawValue)
            if switches.messageRefcount, let users = buffer.users {
                compare("\(StateName.users)[\(m)]", entry(.users, m, in: expected), String(users))
            }
        }
        for cpu in snapshot.cpus {
            guard let pc = entry(.senderPC, cpu.name, in: expected) else {
                compare("\(StateName.senderPC)[\(cpu.name)]", nil, cpu.nextStep ?? "finished")
                continue
            }
            guard pc != "idle" else { continue }
            guard let transfer = cpu.transfer else {
                found.list.append(StateDifference(variable: "\(StateName.senderPC)[\(cpu.name)]", expected: pc, actual: "no transfer"))
                continue
            }
            compare("\(StateName.transferState)[\(cpu.name)]", entry(.transferState, cpu.name, in: expected),
                    transfer.state == .sentOK ? "SENT_OK" : "RESP_OK")
            compare("\(StateName.priv)[\(cpu.name)]", entry(.priv, cpu.name, in: expected), transfer.priv.map(bufferName) ?? "none")
        }
        if shutdown { found.list += shutdownDifferences(expected, snapshot) }
        if let tokens { found.list += tokenDifferences(expected, snapshot, space: tokens) }
        if contexts { found.list += contextsDifferences(expected, snapshot) }
        return found.list
    }

    /// With a token space: `last_token`, and for each token who holds it: a CPU's current
    /// transfer (`token_owner`), a released transfer a delivery path still holds (`token_held`),
    /// or nobody; the implementation's pending tokens say the same, by the transfer's CPU.
    static func tokenDifferences(_ expected: [String: TraceValue], _ snapshot: ChannelSnapshot, space: Int) -> [StateDifference] {
        var found = Differences()
        func compare(_ variable: String, _ want: String?, _ have: String) { found.compare(variable, want, have) }
        compare("last_token", expected["last_token"]?.description, snapshot.lastToken.map { "t\($0)" } ?? "none")
        for t in 0..<space {
            let owner = TraceSpec.value(of: "token_owner", instance: "t\(t)", in: expected)
            let held = TraceSpec.value(of: "token_held", instance: "t\(t)", in: expected)
            let want = owner.flatMap { owner in held.map { held in owner != "none" ? owner : held != "no" ? "a released transfer" : "free" } }
            let have = snapshot.pendingTokens[t] ?? "free"
            compare("token_owner[t\(t)]", want, have)
        }
        return found.list
    }

    /// Where the paths that are not senders run: `irq_cpu` (the CPU the IRQ handler interrupted,
    /// until it returns) and `worker_cpu` (the CPU the worker's thread runs on, while it runs),
    /// `none` when the path does not run; the implementation's are its runtime's placements.
    static func contextsDifferences(_ expected: [String: TraceValue], _ snapshot: ChannelSnapshot) -> [StateDifference] {
        var found = Differences()
        for (name, cpu) in [(StateName.irqCPU, snapshot.irqCPU), (StateName.workerCPU, snapshot.workerCPU)] {
            found.compare(name.rawValue, expected[name.rawValue]?.description, cpu.map { "cpu\($0)" } ?? "none")
        }
        return found.list
    }

    /// The channel's lifecycle: `chan_users` (the implementation's count, less the reference
    /// the worker's own `complete_cb` takes per round inside the worker's, which the spec leaves
    /// out), `shutdown_done_set`, `vq_broken`, `deferred_tx_wq`, each sender's `chan_ref` (from
    /// the references the implementation's actor holds), and `touched_after_teardown` (a
    /// `shutdown-safety` violation recorded so far).
    static func shutdownDifferences(_ expected: [String: TraceValue], _ snapshot: ChannelSnapshot) -> [StateDifference] {
        var found = Differences()
        func compare(_ name: StateName, _ key: String? = nil, _ have: String) {
            found.compare(key.map { "\(name)[\($0)]" } ?? name.rawValue,
                          key.map { entry(name, $0, in: expected) } ?? expected[name.rawValue]?.description, have)
        }
        func truth(_ value: Bool) -> String { value ? "TRUE" : "FALSE" }
        let workerRounds = max(0, (snapshot.channelReferences["worker"] ?? 0) - 1)
        compare(.channelUsers, nil, String(snapshot.channelUsers - workerRounds))
        compare(.shutdownBegun, nil, truth(snapshot.shutdownBegun))
        compare(.deviceBroken, nil, truth(snapshot.deviceBroken))
        compare(.deferredWorkQueue, nil, truth(snapshot.deferredWorkQueueSet))
        for cpu in snapshot.cpus {
            compare(.channelReference, cpu.name, truth((snapshot.channelReferences[cpu.name] ?? 0) > 0))
        }
        compare(.touchedAfterTeardown, nil, truth(snapshot.violations.contains { $0.property == .shutdownSafety }))
        return found.list
    }

    // MARK: - Quiescence

    /// Whether the trace state is at rest, by the vocabulary's one definition.
    static func quiescence(of values: [String: TraceValue]) -> Quiescence<Bool> {
        func all(_ name: StateName, _ value: TraceValue) -> Bool {
            switch values[name.rawValue] {
            case .map(let entries)?: return entries.allSatisfy { $0.value == value }
            case let scalar?: return scalar == value
            case nil: return false
            }
        }
        // With shutdown, only before chan_free begins (the spec's no-leak-at-quiescence).
        let shutdownIdle = values[StateName.shutdownPC.rawValue].map { $0 == .string("idle") } ?? true
        return Quiescence(sendersIdle: all(.senderPC, .string("idle")) && shutdownIdle, irqIdle: all(.irqPC, .string("idle")),
                          workerIdle: all(.workerPC, .string("idle")), workQueued: values[StateName.workQueued.rawValue] != .bool(false),
                          usedRingEmpty: values[StateName.usedRing.length] == .int(0), deviceHoldsNoBuffer: all(.inDevice, .bool(false)))
    }

    /// Whether the implementation (whose state now is `snapshot`) is at rest, by the same
    /// definition; a sender is idle between transfers (at its next `xfer_get_init`) or when it
    /// has finished, and with shutdown only before `chan_free` begins.
    static func quiescence(of simulation: ChannelSimulation, _ snapshot: ChannelSnapshot) -> Quiescence<Bool> {
        var terms = simulation.quiescence
        terms.sendersIdle = !simulation.shutdownHasBegun && snapshot.cpus.allSatisfy { cpu in
            simulation.nextOperation(of: cpu.name).map { $0.function == .xferGetInit } ?? true
        }
        return terms
    }

    // MARK: - Lost wakeups

    /// Where a sender waits when it is in the core's polling loop, between `poll_done` drains.
    static let pollingLoop: [Operation] = [
        Operation(.pollDone, .read(.xferPriv)), Operation(.pollDone, .channelAcquire),
        Operation(.pollDone, .virtqueue(.poll)), Operation(.pollDone, .virtqueue(.pollAfterRearm)),
    ]

    /// The polled transfers the implementation can no longer finish before their deadline, by
    /// the vocabulary's one definition (``LostWakeup``), as (`cpuN`, message).
    ///
    /// The implementation does not mark the core's last `poll_done` after the loop; that call
    /// follows a found own buffer or a passed deadline, which `foundOwnBuffer` and
    /// `deadlinePassed` (kept by the replay from the trace) exclude.
    static func lostWakeups(_ snapshot: ChannelSnapshot, simulation: ChannelSimulation, deadlinePassed: Set<String>,
                            foundOwnBuffer: Set<String>) -> [(String, String)] {
        snapshot.cpus.compactMap { cpu in
            guard let transfer = cpu.transfer, let next = simulation.nextOperation(of: cpu.name) else { return nil }
            let bound = transfer.priv.flatMap { $0 < snapshot.buffers.count ? snapshot.buffers[$0] : nil }
            let held: Bool
            switch bound?.location {
            case .device?, .usedRing?, .pendingList?, .dequeued?, .several?: held = true
            case .freeList?, .heldBySender?, .nowhere?, nil: held = false
            }
            let facts = LostWakeup(
                inPollingLoop: transfer.phase == .waiting && (next.function == .pollLoop || pollingLoop.contains(next)),
                polled: transfer.polled, deadlinePassed: deadlinePassed.contains(cpu.name), finalPollStarted: false,
                ownBufferFound: foundOwnBuffer.contains(cpu.name), bufferBound: bound != nil, someoneHoldsBuffer: held,
                markedPollDone: bound?.pollStatus == .pollDone, completed: transfer.fetches != 0)
            guard facts.isStuck, let buffer = bound else { return nil }
            return (cpu.name, "\(cpu.name) polls for \(bufferName(buffer.index)), which is \(buffer.location) and not POLL_DONE, and no one will hand it back: nothing ends the loop before the deadline (next: \(cpu.nextStep ?? next.description))")
        }
    }

    static func bufferName(_ index: Int) -> String { "msg\(index)" }

    /// The differences found so far.
    struct Differences {
        var list: [StateDifference] = []

        /// Records `variable` when the trace's value `want` differs from the implementation's
        /// `have`; a value missing from the trace (`want` nil) is a difference, never skipped.
        mutating func compare(_ variable: String, _ want: String?, _ have: String) {
            guard let want else {
                list.append(StateDifference(variable: variable, expected: "(not in the trace)", actual: have))
                return
            }
            if want != have { list.append(StateDifference(variable: variable, expected: want, actual: have)) }
        }
    }

    private static func list(_ names: [String]) -> String { "[" + names.joined(separator: ", ") + "]" }

    /// The first `NAME_len` slots of the queue variable `NAME`, or nil when the trace lacks either.
    private static func queue(_ name: StateName, in values: [String: TraceValue]) -> [String]? {
        guard case .map(let slots)? = values[name.rawValue], case .int(let length)? = values[name.length] else { return nil }
        let ordered = slots.sorted { lhs, rhs in
            if case .int(let a) = lhs.key, case .int(let b) = rhs.key { return a < b }
            return false
        }
        return ordered.prefix(length).map { $0.value.description }
    }

    /// The value of `name[key]` as the trace prints it.
    private static func entry(_ name: StateName, _ key: String, in values: [String: TraceValue]) -> String? {
        TraceSpec.value(of: name.rawValue, instance: key, in: values)
    }
}
