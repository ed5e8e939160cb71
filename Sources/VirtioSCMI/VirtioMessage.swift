import Scheduling

/// A TX message buffer (`struct scmi_vio_msg`): request and input SDUs, `rx_len`,
/// `poll_idx`, `poll_status`, `poll_lock` and the refcount `users`.
///
/// The driver code reaches a buffer only through a `MessageRef`, the equivalent of a
/// `struct scmi_vio_msg *` that also remembers which life of the buffer it points into.
public final class VirtioMessage: @unchecked Sendable, CustomStringConvertible {
    /// Position in the channel's buffer array: "buf0", "buf1", ...
    public let index: Int
    let pollStatus: Shared<PollStatus>
    /// `poll_idx`: touched only by the owner of a polled transfer, so it is no scheduling point.
    let pollIndex: Shared<UInt16>
    /// `rx_len`: the one field the spec declares weak (`TransportModel.weakMemory`). Written
    /// plainly by whoever dequeues the buffer and read plainly by `fetch_response`
    /// (virtio.c virtio_poll_done, scmi_vio_complete_cb, virtio_fetch_response), so under a
    /// controlled runtime a read may observe an older length (see `MemoryViews`).
    let rxLen: WeakShared<RxLength>
    /// The input SDU, written by the device.
    let input: Shared<Payload>
    /// The request SDU's token, written by `tx_prepare`.
    let request: Shared<Int?>
    /// Shadow, not a driver field: the serial of the transfer whose request the buffer carries,
    /// written with `request`. Tokens repeat (a token space), serials never do.
    private let serialLock = PlainLock()
    private var serial: Int?
    let users: RefCount
    let pollLock: SpinLock

    init(index: Int, platform: Platform) {
        self.index = index
        pollStatus = Shared("buf\(index).poll_status", .notPolled, platform: platform)
        pollIndex = Shared("buf\(index).poll_idx", 0, platform: platform)
        rxLen = WeakShared("buf\(index).rx_len", .unset, platform: platform)
        input = Shared("buf\(index).input", .empty, platform: platform)
        request = Shared("buf\(index).request", nil, platform: platform)
        users = RefCount("buf\(index).users", initial: 0, platform: platform)
        pollLock = SpinLock("buf\(index).poll_lock", platform: platform)
    }

    /// The serial of the transfer whose request the buffer carries (shadow bookkeeping).
    var requestSerial: Int? {
        get { serialLock.withLock { serial } }
        set { serialLock.withLock { serial = newValue } }
    }

    public var description: String { "buf\(index)" }
}
