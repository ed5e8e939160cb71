import Scheduling

/// A transfer of the SCMI core (`struct scmi_xfer`): token, `state`, completion `done`,
/// `priv`, the transfer lock and refcount, and whether it is polled.
///
/// Tokens are never reused unless the core has a token space (`SCMICore.tokenSpace`; the real
/// core's 10-bit tokens wrap), where a late reply can meet a newer transfer with its token; the
/// shadow `serial` tells the two transfers apart for the checks. Each transfer is a fresh
/// object, so its state starts SENT_OK and its completion starts empty without a step: no
/// other path can see it before `send_message`.
public final class Transfer: @unchecked Sendable, CustomStringConvertible {
    public let token: Int
    /// Shadow, not a field of `struct scmi_xfer`: which transfer this is, never reused (tokens
    /// are, with a token space). The checks of a delivery compare it.
    public let serial: Int
    /// The sender that issued it ("cpu0").
    public let cpu: String
    /// `xfer->hdr.poll_completion`.
    public let isPolled: Bool
    let lock: SpinLock
    let state: Shared<TransferState>
    let done: Completion
    let priv: Shared<MessageRef?>
    let users: RefCount
    let deadline: Deadline

    private let shadow = PlainLock()
    private var fetches = 0
    private var received: Payload?
    private var phaseValue: TransferPhase = .allocated
    private var resultValue: Int32?
    private var sent: MessageRef?

    init(token: Int, serial: Int, cpu: String, isPolled: Bool, timeout: Duration, platform: Platform) {
        self.token = token
        self.serial = serial
        self.cpu = cpu
        self.isPolled = isPolled
        lock = SpinLock("xfer\(token).lock", platform: platform)
        state = Shared("xfer\(token).state", .sentOK, platform: platform)
        done = Completion("xfer\(token).done", platform: platform)
        priv = Shared("xfer\(token).priv", nil, platform: platform)
        users = RefCount("xfer\(token).users", initial: 1, platform: platform)
        deadline = Deadline(owner: cpu, timeout: timeout, platform: platform)
    }

    public var description: String { "token \(token) (\(cpu), \(isPolled ? "polled" : "not polled"))" }

    // MARK: - Observation (no scheduling points)

    /// The transfer's state now.
    public var currentState: TransferState { state.peek() }

    /// The buffer bound through `priv` now, if any.
    public var boundBuffer: Int? { priv.peek()?.message.index }

    /// Where the sender is in `do_xfer`.
    public var phase: TransferPhase { shadow.withLock { phaseValue } }

    /// What `do_xfer` returned, once it has.
    public var result: Int32? { shadow.withLock { resultValue } }

    /// How many times `fetch_response` copied a reply into this transfer.
    public var fetchCount: Int { shadow.withLock { fetches } }

    /// The buffer `send_message` used for this transfer, if it got one.
    public var sentBuffer: Int? { shadow.withLock { sent?.message.index } }

    /// The last reply copied into this transfer.
    public var receivedPayload: Payload? { shadow.withLock { received } }

    // MARK: - Shadow updates

    func noteSent(_ msg: MessageRef) {
        shadow.withLock { sent = msg }
    }

    var sentMessage: MessageRef? { shadow.withLock { sent } }

    func enter(_ phase: TransferPhase) {
        shadow.withLock { phaseValue = phase }
    }

    func finish(_ result: Int32) {
        shadow.withLock {
            resultValue = result
            phaseValue = .done
        }
    }

    /// Notes a copy of `payload` into the transfer; returns how many copies there were.
    func noteFetch(_ payload: Payload) -> Int {
        shadow.withLock {
            fetches += 1
            received = payload
            return fetches
        }
    }
}
