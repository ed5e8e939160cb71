import Scheduling

/// Makes a share of `virtqueue_add_sgs` calls fail, so that `send_message`'s unwinding runs
/// under real concurrency.
///
/// Each call draws from a generator seeded once: `percent` of them fail. The failures
/// alternate between the two errors the kernel's `virtqueue_add_sgs` returns
/// (virtio_ring.c:virtqueue_add_split): `-ENOSPC`, a ring with too few free descriptors, and
/// `-EIO`, a broken device; the first is `-ENOSPC`. An injected `-EIO` does not break the
/// device: the next call may succeed (only `chan_free` breaks it for good).
///
/// Set it on a `Virtqueue` (`injectedAddFailures`) before any thread uses the queue. The
/// same injection may serve several channels one after another: its draws and counts go on.
public final class AddFailureInjection: @unchecked Sendable {
    /// What an injection has done so far.
    public struct Tally: Hashable, Sendable {
        /// `add_sgs` calls that reached the injection (not those refused by a broken device
        /// or a full ring first).
        public var calls = 0
        /// Calls made to fail with `-ENOSPC`.
        public var noSpace = 0
        /// Calls made to fail with `-EIO`.
        public var ioError = 0

        public var failures: Int { noSpace + ioError }
    }

    /// The share of calls that fail, from 0 to 100.
    public let percent: Int
    private let lock = PlainLock()
    private var generator: SplitMix64
    private var counts = Tally()

    /// An injection that fails `percent` (0...100) of the calls, drawing from `seed`.
    public init(percent: Int, seed: UInt64) {
        precondition((0...100).contains(percent), "a percentage is between 0 and 100")
        self.percent = percent
        generator = SplitMix64(seed: seed ^ 0xADD5_6E5F_A11E_D000)
    }

    /// The error the next `add_sgs` call returns (negated, as in the kernel), or nil if it
    /// goes through.
    public func nextError() -> Int32? {
        lock.withLock {
            counts.calls += 1
            guard Int(generator.next() % 100) < percent else { return nil }
            if counts.noSpace <= counts.ioError {
                counts.noSpace += 1
                return -Errno.ENOSPC
            }
            counts.ioError += 1
            return -Errno.EIO
        }
    }

    /// The calls and failures so far.
    public var tally: Tally { lock.withLock { counts } }
}
