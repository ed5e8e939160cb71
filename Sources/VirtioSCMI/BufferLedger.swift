import Scheduling
import Vocabulary

/// Shadow bookkeeping of the TX buffers, kept beside the driver's own state to judge it.
///
/// For each buffer it knows the current *generation* (incremented each time the buffer is
/// taken from the free list), whether it is on the free list, which sender took it, whether
/// that sender still holds it, and which paths have dequeued it and not finished with it.
/// It never changes what the driver does; it records violations in its `ViolationRecorder`.
public final class BufferLedger: @unchecked Sendable {
    /// What the ledger knows about one buffer.
    public struct Record: Hashable, Sendable {
        /// The buffer's current life, from 0 (initial set-up).
        public var generation = 0
        /// Whether the buffer sits on the free list.
        public var onFreeList = true
        /// The sender that took the buffer in its current life ("cpu0").
        public var owner: String?
        /// Whether that sender still holds the buffer (a polled transfer until `mark_txdone`,
        /// any transfer until its request is on the ring).
        public var ownerHolds = false
        /// Paths that dequeued the buffer and have not finished with it.
        public var dequeuedBy: [String] = []
    }

    let recorder: ViolationRecorder
    let platform: Platform
    private let lock = PlainLock()
    private var records: [Record]
    private var tornDown = false

    init(count: Int, recorder: ViolationRecorder, platform: Platform) {
        self.records = Array(repeating: Record(), count: count)
        self.recorder = recorder
        self.platform = platform
    }

    /// A snapshot of one buffer's record.
    public func record(of index: Int) -> Record {
        lock.withLock { records[index] }
    }

    /// Whether the last reference to the channel was dropped during shutdown.
    public var isChannelTornDown: Bool { lock.withLock { tornDown } }

    // MARK: - Life cycle

    /// The buffer was just taken from the free list by the running actor: a new life begins.
    func takenFromFreeList(_ message: VirtioMessage) -> MessageRef {
        let actor = platform.currentActorName
        let generation: Int = lock.withLock {
            records[message.index].generation += 1
            records[message.index].onFreeList = false
            records[message.index].owner = actor
            records[message.index].ownerHolds = true
            records[message.index].dequeuedBy = []
            return records[message.index].generation
        }
        return MessageRef(message: message, generation: generation, ledger: self)
    }

    /// Judges an append of `ref` to the free list; returns whether the append happens.
    ///
    /// A buffer already on the free list is not appended again (the kernel's list would be
    /// corrupted): `no-double-free`. A pointer of an earlier life is `no-use-after-release`.
    /// A buffer that is also on the ring, the used ring or the pending list breaks
    /// `conservation` (it is appended anyway, as the code does).
    func admitToFreeList(_ ref: MessageRef, alsoIn places: [String]) -> Bool {
        let record = self.record(of: ref.message.index)
        if record.onFreeList {
            recorder.record(.noDoubleFree, "appended \(ref) to the free list twice")
            return false
        }
        if record.generation != ref.generation {
            recorder.record(.noUseAfterRelease, "appended \(ref) of life \(ref.generation) to the free list, but it was reused (now life \(record.generation))")
        }
        if !places.isEmpty {
            recorder.record(.conservation, "appended \(ref) to the free list while it is also in \(places.joined(separator: " and "))")
        }
        lock.withLock {
            records[ref.message.index].onFreeList = true
            records[ref.message.index].ownerHolds = false
            records[ref.message.index].dequeuedBy = []
        }
        return true
    }

    /// Judges an access through `ref` at the moment it happens.
    func audit(_ ref: MessageRef, _ verb: @autoclosure () -> String) {
        let record = self.record(of: ref.message.index)
        if record.generation != ref.generation {
            recorder.record(.noUseAfterRelease, "\(verb()) \(ref) of life \(ref.generation) after it was released and reused (now life \(record.generation))")
        } else if record.onFreeList {
            recorder.record(.noUseAfterRelease, "\(verb()) \(ref) after it was released to the free list")
        }
    }

    // MARK: - Holders

    /// The owner no longer holds the buffer (its request is with the device, or the
    /// transfer is over).
    func ownerLetsGo(_ ref: MessageRef) {
        lock.withLock {
            if records[ref.message.index].generation == ref.generation {
                records[ref.message.index].ownerHolds = false
            }
        }
    }

    /// The running actor dequeued `ref` (from the used ring or the pending list).
    func dequeued(_ ref: MessageRef) {
        let actor = platform.currentActorName
        lock.withLock {
            if records[ref.message.index].generation == ref.generation {
                records[ref.message.index].dequeuedBy.append(actor)
            }
        }
    }

    /// The running actor has finished with a buffer it dequeued.
    func finished(with ref: MessageRef) {
        let actor = platform.currentActorName
        lock.withLock {
            guard records[ref.message.index].generation == ref.generation else { return }
            if let position = records[ref.message.index].dequeuedBy.firstIndex(of: actor) {
                records[ref.message.index].dequeuedBy.remove(at: position)
            }
        }
    }

    /// Judges `send_message`'s unwinding once it has returned `result` (an error) for a
    /// transfer that had taken `ref`: the buffer must be back on the free list, or taken
    /// again since (a later life). Anything else is `conservation`: a buffer no path will return.
    func auditUnwound(_ ref: MessageRef, after result: Int32) {
        let record = self.record(of: ref.message.index)
        guard record.generation == ref.generation, !record.onFreeList else { return }
        recorder.record(.conservation, "send_message failed with \(Errno.name(result)) but did not return \(ref) (life \(ref.generation)) to the free list")
    }

    // MARK: - Shutdown

    /// The channel's last user is gone: from now on nothing may touch the queue or lists.
    func channelTornDown() {
        lock.withLock { tornDown = true }
    }

    /// Records `shutdown-safety` if the channel is already torn down.
    func auditChannelAlive(_ what: @autoclosure () -> String) {
        if isChannelTornDown {
            recorder.record(.shutdownSafety, "\(what()) after the channel's users reached zero")
        }
    }
}
