import Scheduling

/// A pointer to a message buffer (`struct scmi_vio_msg *`) as the driver holds it.
///
/// Besides the buffer it carries the buffer's *generation* when the pointer was obtained:
/// every time a buffer is taken from the free list it starts a new life. Every access
/// through the pointer is a labelled scheduling point and is audited by the
/// `BufferLedger`: touching a buffer of an earlier life, or one that sits on the free list,
/// is a `no-use-after-release` violation.
public struct MessageRef: @unchecked Sendable, CustomStringConvertible {
    public let message: VirtioMessage
    public let generation: Int
    unowned let ledger: BufferLedger

    init(message: VirtioMessage, generation: Int, ledger: BufferLedger) {
        self.message = message
        self.generation = generation
        self.ledger = ledger
    }

    /// Pointer equality (`next_msg == msg`): the same buffer, whatever the life.
    public func pointsTo(_ other: MessageRef) -> Bool { message === other.message }

    public var description: String { message.description }

    // MARK: - Accesses

    func readPollStatus(_ operation: @autoclosure () -> PointLabel, order: MemoryOrder = .plain) -> PollStatus {
        message.pollStatus.load(operation(), order: order, audit: { ledger.audit(self, "read poll_status of") })
    }

    func writePollStatus(_ status: PollStatus, _ operation: @autoclosure () -> PointLabel, order: MemoryOrder = .plain) {
        message.pollStatus.store(status, operation(), order: order, audit: { ledger.audit(self, "wrote poll_status \(status) to") })
    }

    func writeRxLen(_ length: RxLength, _ operation: @autoclosure () -> PointLabel) {
        message.rxLen.store(length, operation(), audit: { ledger.audit(self, "wrote rx_len to") })
    }

    func readRxLen(_ operation: @autoclosure () -> PointLabel) -> RxLength {
        message.rxLen.load(operation(), audit: { ledger.audit(self, "read rx_len of") })
    }

    func readInput(_ operation: @autoclosure () -> PointLabel) -> Payload {
        message.input.load(operation(), audit: { ledger.audit(self, "read the input of") })
    }

    func writeRequest(token: Int, serial: Int, _ operation: @autoclosure () -> PointLabel) {
        message.request.store(token, operation(), audit: { ledger.audit(self, "wrote the request into") })
        message.requestSerial = serial
    }

    func lockPoll(_ operation: @autoclosure () -> PointLabel) {
        message.pollLock.lock(operation())
        ledger.audit(self, "took poll_lock of")
    }

    func unlockPoll() {
        message.pollLock.unlock()
    }

    func setUsers(_ count: Int, _ operation: @autoclosure () -> PointLabel) {
        message.users.set(count, operation(), audit: { ledger.audit(self, "set the refcount of") })
    }

    func acquire(_ operation: @autoclosure () -> PointLabel) -> Bool {
        message.users.incrementIfNotZero(operation(), audit: { ledger.audit(self, "took a reference to") })
    }

    func decrementUsers(_ operation: @autoclosure () -> PointLabel) -> Bool {
        message.users.decrementAndTest(operation(), audit: { ledger.audit(self, "dropped a reference to") })
    }
}
