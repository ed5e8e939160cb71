import Scheduling
import Vocabulary

/// The SCMI core's transfer path above the transport: tokens, pending transfers,
/// `do_xfer` with its polling loop and result decision, and delivery by token
/// (`rx_callback` → `handle_response`).
public final class SCMICore: @unchecked Sendable {
    /// The core version, whose decision after the polling loop `waitForReply` follows.
    public let version: CoreVersion
    public let transport: VirtioChannel
    let platform: Platform
    let recorder: ViolationRecorder
    /// `minfo->xfer_lock`: protects the pending transfers and transfer refcounts.
    let xferLock: SpinLock
    private let table = PlainLock()
    private var pendingTransfers: [Int: Transfer] = [:]
    /// Pending tokens whose transfer its sender released (`xfer_put`) while a path held it.
    private var releasedBySender: Set<Int> = []
    private var nextToken = 1
    /// Transfers allocated so far (each transfer's `serial`).
    private var serials = 0
    /// The size of the token space, or nil for a new token per transfer (none reused).
    public let tokenSpace: Int?

    /// A core over `transport`; with `tokens`, transfers take their tokens from a space of that
    /// size and reuse them (the kernel's MSG_TOKEN_MAX is 1024), else every transfer's is new.
    public init(core version: CoreVersion, transport: VirtioChannel, tokens: Int? = nil) {
        precondition(tokens.map { $0 > 0 } ?? true, "a token space has at least one token")
        self.version = version
        tokenSpace = tokens
        if let tokens { nextToken = tokens - 1 }
        self.transport = transport
        self.platform = transport.platform
        self.recorder = transport.recorder
        self.xferLock = SpinLock("xfer_lock", platform: transport.platform)
        transport.core = self
    }

    /// The token the next transfer will get (without a token space), or the last token given
    /// (with one: the search for the next starts one past it).
    public var upcomingToken: Int { table.withLock { nextToken } }

    /// The pending transfers' tokens, each with the CPU whose current transfer holds it, or
    /// "a released transfer" when its sender released it and a delivery path still holds it.
    public var pendingTokens: [Int: String] {
        table.withLock {
            Dictionary(uniqueKeysWithValues: pendingTransfers.map { token, xfer in
                (token, releasedBySender.contains(token) ? "a released transfer" : xfer.cpu)
            })
        }
    }

    /// The pending transfer with `token`, read without a scheduling point.
    public func pendingTransfer(token: Int) -> Transfer? {
        table.withLock { pendingTransfers[token] }
    }

    // MARK: - Transfers

    /// Allocates a transfer and registers its token as pending (`xfer_get_init`). With a token
    /// space (`scmi_xfer_token_set`): the first token not pending at or after the one past the
    /// last given, wrapping around; nil when every token is pending (`xfer_get` fails). A token
    /// stays pending until the transfer's last reference is dropped.
    public func xferGetInit(cpu: String, polled: Bool, timeout: Duration) -> Transfer? {
        xferLock.lock(.op(.xferGetInit, .lock(.xferTable)))
        let xfer: Transfer? = table.withLock {
            let token: Int
            if let space = tokenSpace {
                guard let free = (1...space).map({ (nextToken + $0) % space }).first(where: { pendingTransfers[$0] == nil }) else {
                    return nil
                }
                token = free
                nextToken = free
            } else {
                token = nextToken
                nextToken += 1
            }
            serials += 1
            let xfer = Transfer(token: token, serial: serials, cpu: cpu, isPolled: polled, timeout: timeout, platform: platform)
            pendingTransfers[xfer.token] = xfer
            return xfer
        }
        xferLock.unlock()
        platform.trace(xfer.map { "\(cpu) allocated \($0)" } ?? "\(cpu) found every token pending: xfer_get fails")
        return xfer
    }

    /// Drops a reference to the transfer; the last one frees its token (`__scmi_xfer_put`).
    public func xferPut(_ xfer: Transfer, caller: KernelFunction = .xferPut) {
        xferLock.lock(.op(caller, .lock(.xferTable)))
        if xfer.users.decrementAndTest(.op(caller, .refcountDecAndTest(.transferUsers), "xfer\(xfer.token).users")) {
            table.withLock {
                pendingTransfers[xfer.token] = nil
                releasedBySender.remove(xfer.token)
            }
            platform.trace("token \(xfer.token) is no longer pending")
        } else if caller == .xferPut {
            table.withLock { _ = releasedBySender.insert(xfer.token) }
        }
        xferLock.unlock()
    }

    /// Sends the transfer and waits for its reply (`do_xfer`); returns 0 or `-errno`.
    public func doXfer(_ xfer: Transfer) -> Int32 {
        xfer.enter(.sending)
        let sent = transport.sendMessage(xfer)
        if sent < 0 {
            xfer.finish(sent)
            transport.sendFailed(xfer, result: sent)
            return sent
        }
        xfer.enter(.waiting)
        let ret = waitForReply(xfer)
        xfer.enter(.markingTxDone)
        transport.markTxDone(xfer, result: ret)
        xfer.finish(ret)
        transport.transferEnded(xfer)
        platform.trace("\(xfer.cpu) finished \(xfer) with \(Errno.name(ret))")
        return ret
    }

    // MARK: - Waiting

    /// Busy-waits (polled) or sleeps (not polled) for the reply (`scmi_wait_for_reply`).
    func waitForReply(_ xfer: Transfer) -> Int32 {
        guard xfer.isPolled else {
            xfer.deadline.arm()
            let completed = xfer.done.wait(.op(.waitForReply, .waitForCompletionTimeout), deadline: xfer.deadline)
            xfer.deadline.disarm()
            return completed ? 0 : -Errno.ETIMEDOUT
        }
        xfer.deadline.arm()
        var endedByCompletion = false
        var endedByPoll = false
        while true {
            if transport.pollDone(xfer) {
                endedByPoll = true
                break
            }
            if xfer.done.tryWait(.op(.pollLoop, .tryWaitForCompletion)) {
                endedByCompletion = true
                break
            }
            if xfer.deadline.hasPassed(.op(.pollLoop, .deadlineCheck)) { break }
            platform.relax(.op(.pollLoop, .cpuRelax), wakeWhen: { [unowned self] in self.pollingLoopCouldEnd(xfer) })
        }
        var ret: Int32 = 0
        if version.decidesByDeadline {
            if xfer.deadline.hasPassed(.op(.waitForReply, .deadlineCheck)) { ret = -Errno.ETIMEDOUT }
            // ktime_get() (kernel/time/timekeeping.c) reads its seqcount with
            // read_seqcount_begin(), whose smp_rmb() (include/linux/seqlock.h) orders the loop's
            // reads before fetch_response's.
            platform.fence(.rmb)
        } else {
            let pollAgain = !endedByCompletion && (!endedByPoll || version.finalPollAfterPollSuccess)
            if pollAgain && !transport.pollDone(xfer) { ret = -Errno.ETIMEDOUT }
        }
        xfer.deadline.disarm()
        if ret == 0 {
            // `state` is only ever accessed under xfer->lock once the transfer is sent, so
            // the lock step covers it.
            xfer.lock.lock(.op(.waitForReply, .lock(.transfer)))
            if xfer.state.peek() == .sentOK {
                transport.fetchResponse(xfer)
                xfer.state.poke(.respOK)
            }
            xfer.lock.unlock()
        }
        return ret
    }

    /// The polling loop's wake condition for a controlled scheduler: whether another
    /// iteration could end the loop or change anything. It reads without scheduling points.
    func pollingLoopCouldEnd(_ xfer: Transfer) -> Bool {
        xfer.done.isDone || xfer.deadline.hasPassedQuietly || transport.pollDoneCouldSucceed(xfer)
    }

    // MARK: - Delivery

    /// A reply arrived on the channel (`scmi_rx_callback` for a command response).
    public func rxCallback(header token: Int?, priv msg: MessageRef) {
        handleResponse(token: token, msg)
    }

    /// Delivers a reply to the pending transfer with its token (`scmi_handle_response`).
    func handleResponse(token: Int?, _ msg: MessageRef) {
        // scmi_xfer_command_acquire: look the token up, take a transfer reference.
        xferLock.lock(.op(.rxCallback, .lock(.xferTable)))
        guard let token, let xfer = table.withLock({ pendingTransfers[token] }) else {
            xferLock.unlock()
            platform.trace("reply in \(msg) for token \(token.map(String.init) ?? "?") matches no pending transfer: dropped")
            return
        }
        xfer.users.increment(.op(.rxCallback, .refcountInc(.transferUsers), "xfer\(xfer.token).users"))
        xferLock.unlock()
        xfer.lock.lock(.op(.rxCallback, .lock(.transfer)))
        let valid = xfer.state.peek() == .sentOK
        if valid { xfer.state.poke(.respOK) }
        xfer.lock.unlock()
        guard valid else {
            platform.trace("reply for \(xfer) arrived in state RESP_OK: dropped")
            xferPut(xfer, caller: .rxCallback)
            return
        }
        xfer.priv.store(msg, .op(.handleResponse, .write(.xferPriv), "\(msg)"))
        transport.fetchResponse(xfer)
        if transport.switches.coreClearsPrivAfterDelivery {
            xfer.priv.store(nil, .op(.handleResponse, .clear(.xferPriv)))
        }
        xfer.done.complete(.op(.handleResponse, .complete(.done)))
        xferPut(xfer, caller: .rxCallback)
    }

    /// Copies the reply into the transfer (the core's `fetch_response` message op) and
    /// checks that it is the transfer's own, fresh reply, delivered once.
    func copyResponse(into xfer: Transfer, from msg: MessageRef, input: Payload, length: RxLength) {
        let count = xfer.noteFetch(input)
        var problems: [String] = []
        if let request = msg.message.request.peek(), request != xfer.token {
            problems.append("\(msg) now carries the request of token \(request)")
        } else if let serial = msg.message.requestSerial, serial != xfer.serial {
            problems.append("\(msg) carries the request of an earlier transfer with the same token (the token was reused)")
        }
        if input != .reply(token: xfer.token) {
            problems.append("it read \"\(input)\" from \(msg)")
        }
        if length.replyToken != xfer.token {
            problems.append("it read a stale rx_len of \(msg) (\(length))")
        }
        if count > 1 {
            problems.append("the reply was copied \(count) times")
        }
        if !problems.isEmpty {
            recorder.record(.exactlyOnceDelivery, "fetch_response for token \(xfer.token): \(problems.joined(separator: "; "))")
        }
    }
}
