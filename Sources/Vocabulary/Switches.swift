/// Every difference between the transport variants, as independent switches at the finest
/// grain either side needs.
///
/// The spec (`Spec/`) and the channel implementation (`Sources/VirtioSCMI`) both read these
/// switches and nothing else about a variant. Where the spec is deliberately coarser than
/// the implementation, ``unmodelledBySpec`` says how and names the combinations the spec
/// cannot express, so that a test toggling one switch gets a clear refusal rather than a
/// silently different model.
public struct Switches: Hashable, Codable, Sendable {
    // MARK: - v4-proposal (the review reply)

    /// A per-message `poll_lock` protects `poll_status` in `poll_done` and `mark_txdone`.
    public var pollLock = false
    /// `poll_done` marks every polled buffer it dequeues POLL_DONE, its own included; v4
    /// marks only other CPUs' buffers and leaves its own POLLING.
    public var marksOwnBufferPollDone = false
    /// The POLL_TIMEOUT state: `mark_txdone` marks a timed-out, still POLLING buffer
    /// POLL_TIMEOUT; a poller that dequeues a POLL_TIMEOUT buffer hands it to the deferred
    /// worker, which frees it without delivering it ("worker which would just free the
    /// timed out buffer", the review reply) and delivers any other.
    public var pollTimeoutState = false
    /// `mark_txdone` frees a timed-out buffer that a poller already marked POLL_DONE; v4
    /// never frees timed-out buffers.
    public var freesPollDoneBufferOnTimeout = false

    // MARK: - upstream (v5, merged)

    /// Message refcounts (`users`): taking a buffer sets 1, a polled send takes a second
    /// reference for the poll path, the last release returns the buffer. Without them paths
    /// return buffers with `put_free_msg`, which also resets `poll_status` to NOT_POLLED.
    public var messageRefcount = false
    /// `poll_done` writes a dequeued buffer's `rx_len` before marking it POLL_DONE (v4,
    /// v4-proposal, fixed). Upstream marks first, under `poll_lock`, and writes the length
    /// after, when the owner may already see POLL_DONE and fetch a stale length.
    public var rxLenBeforePollDone = true
    /// The worker delivers only NOT_POLLED buffers from the pending list and only releases
    /// the others (upstream's `scmi_vio_deferred_tx_worker`); without it, with
    /// ``pollTimeoutState``, it frees POLL_TIMEOUT buffers and delivers the rest.
    public var workerDeliversOnlyNotPolled = false
    /// The core clears `xfer->priv` right after `fetch_response` on the IRQ and worker
    /// delivery path (the v4 series' driver.c change).
    public var coreClearsPrivAfterDelivery = true

    // MARK: - fixed (this project)

    /// `mark_txdone` releases the poll path's reference only when a poller marked the
    /// buffer POLL_DONE (pollers do not release). Upstream also releases it whenever `ret`
    /// is not -ETIMEDOUT, although the IRQ path that dequeued the buffer releases that
    /// reference itself: three releases for two references.
    public var secondReleaseOnlyWhenPollDone = false
    /// `mark_txdone` reads and updates `poll_status` under `poll_lock` while it still holds
    /// the transfer's reference, and only then releases. Upstream releases first, so its
    /// POLL_TIMEOUT write can land on a buffer the IRQ path freed and another CPU reuses.
    public var decidesBeforeReleasing = false
    /// `poll_done` marks a dequeued buffer POLL_DONE with `smp_store_release` (after writing its
    /// `rx_len`): the length is visible to whoever sees the mark with an acquire. Upstream writes
    /// the mark plainly under `poll_lock`, which orders nothing before it for an unlocked reader
    /// (Spec/Litmus/poll-done-rx-len-release-acquire.litmus). Memory ordering only: it changes
    /// nothing under sequential consistency; in the implementation only the controlled runtime's
    /// memory model sees it, once reads may observe older writes (`MemoryViews`).
    public var releaseOnPollDoneMark = false
    /// The owner's unlocked check of its buffer's POLL_DONE mark in `poll_done` is an
    /// `smp_load_acquire`, so its `fetch_response` reads the `rx_len` written before the mark.
    /// Upstream reads it plainly: with the current core nothing orders that read before the
    /// length's (Spec/Litmus/poll-done-rx-len-once.litmus). Memory ordering only, as above.
    public var acquireOnPollDoneCheck = false
    /// `poll_done` answers "not yet" when its `scmi_vio_channel_acquire` fails (the channel is
    /// being torn down), so the core's polling loop runs to its deadline and the transfer ends
    /// with -ETIMEDOUT. Upstream answers "done": the core then calls `fetch_response` and returns
    /// success with a reply the device never sent (`--shutdown on`, `exactly-once-delivery`).
    /// Changes nothing without shutdown.
    public var pollDoneNotYetAfterTeardown = false

    public init() {}

    /// The value of one switch.
    public subscript(_ s: Switch) -> Bool {
        get { self[keyPath: s.keyPath] }
        set { self[keyPath: s.keyPath] = newValue }
    }

    /// These switches with `s` set to `value`.
    public func with(_ s: Switch, _ value: Bool) -> Switches {
        var copy = self
        copy[s] = value
        return copy
    }

    // MARK: - Where the spec is coarser

    /// Why the spec cannot model these switches, or nil when it can: the written mapping
    /// of where the spec is deliberately coarser than the implementation.
    ///
    /// - `pollLock` and `marksOwnBufferPollDone` come together in the spec (the review
    ///   reply's "mark every polled message, under poll_lock"): with both, `poll_done`
    ///   classifies and marks a dequeued buffer in one step under its `poll_lock`; with
    ///   neither, v4's unlocked read and its separate POLL_DONE write are two steps.
    /// - `pollTimeoutState` and `freesPollDoneBufferOnTimeout` come together: the spec's
    ///   `mark_txdone` decides both under one `poll_lock`.
    /// - `rxLenBeforePollDone` off needs `messageRefcount`: only upstream's `poll_done`
    ///   marks under `poll_lock` before writing the length; `messageRefcount` needs `pollLock`.
    /// - `workerDeliversOnlyNotPolled` needs `pollTimeoutState`; `secondReleaseOnlyWhenPollDone`
    ///   and `decidesBeforeReleasing` need `messageRefcount`.
    public var unmodelledBySpec: String? {
        var reasons: [String] = []
        if pollLock != marksOwnBufferPollDone {
            reasons.append("pollLock and marksOwnBufferPollDone differ (the spec models them together)")
        }
        if pollTimeoutState != freesPollDoneBufferOnTimeout {
            reasons.append("pollTimeoutState and freesPollDoneBufferOnTimeout differ (the spec models them together)")
        }
        if !rxLenBeforePollDone && !messageRefcount { reasons.append("rxLenBeforePollDone is off without messageRefcount") }
        if messageRefcount && !pollLock { reasons.append("messageRefcount is on without pollLock") }
        if workerDeliversOnlyNotPolled && !pollTimeoutState { reasons.append("workerDeliversOnlyNotPolled is on without pollTimeoutState") }
        if releaseOnPollDoneMark && !messageRefcount {
            reasons.append("releaseOnPollDoneMark is on without messageRefcount (only upstream's poll_done marks under poll_lock)")
        }
        if (secondReleaseOnlyWhenPollDone || decidesBeforeReleasing) && !messageRefcount {
            reasons.append("a fixed mark_txdone switch is on without messageRefcount")
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }
}

/// The name of one switch of ``Switches``, for listing, describing and toggling.
public enum Switch: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case pollLock, marksOwnBufferPollDone, pollTimeoutState, freesPollDoneBufferOnTimeout
    case messageRefcount, rxLenBeforePollDone, workerDeliversOnlyNotPolled, coreClearsPrivAfterDelivery
    case secondReleaseOnlyWhenPollDone, decidesBeforeReleasing
    case releaseOnPollDoneMark, acquireOnPollDoneCheck
    case pollDoneNotYetAfterTeardown

    public var description: String { rawValue }

    public var keyPath: WritableKeyPath<Switches, Bool> {
        switch self {
        case .pollLock: return \.pollLock
        case .marksOwnBufferPollDone: return \.marksOwnBufferPollDone
        case .pollTimeoutState: return \.pollTimeoutState
        case .freesPollDoneBufferOnTimeout: return \.freesPollDoneBufferOnTimeout
        case .messageRefcount: return \.messageRefcount
        case .rxLenBeforePollDone: return \.rxLenBeforePollDone
        case .workerDeliversOnlyNotPolled: return \.workerDeliversOnlyNotPolled
        case .coreClearsPrivAfterDelivery: return \.coreClearsPrivAfterDelivery
        case .secondReleaseOnlyWhenPollDone: return \.secondReleaseOnlyWhenPollDone
        case .decidesBeforeReleasing: return \.decidesBeforeReleasing
        case .releaseOnPollDoneMark: return \.releaseOnPollDoneMark
        case .acquireOnPollDoneCheck: return \.acquireOnPollDoneCheck
        case .pollDoneNotYetAfterTeardown: return \.pollDoneNotYetAfterTeardown
        }
    }

    /// Whether the switch only changes memory ordering: nothing under sequential consistency;
    /// in the implementation, nothing unless its controlled runtime lets reads observe older
    /// writes (a weak replay, or a random exploration with older writes).
    public var isMemoryOrderingOnly: Bool {
        switch self {
        case .releaseOnPollDoneMark, .acquireOnPollDoneCheck: return true
        default: return false
        }
    }
}
