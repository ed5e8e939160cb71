import VirtioSCMI

/// What the senders' transfers returned, counted by outcome.
struct StressTally {
    var succeeded = 0
    var timedOut = 0
    /// `send_message` found no free buffer (`-EBUSY`): retried, not counted as sent.
    var busy = 0
    /// `send_message` could not acquire the channel (`-EINVAL`): the channel is gone
    /// (`chan_free` dropped its last user); not counted as sent.
    var channelGone = 0
    /// `virtqueue_add_sgs` failed with `-ENOSPC` (injected: a full ring).
    var noSpace = 0
    /// `virtqueue_add_sgs` failed with `-EIO` (injected, or a device broken by `chan_free`).
    var ioError = 0
    var otherFailures = 0

    /// Counts one result of `do_xfer`.
    mutating func count(_ result: Int32) {
        switch result {
        case 0: succeeded += 1
        case -Errno.ETIMEDOUT: timedOut += 1
        case -Errno.EBUSY: busy += 1
        case -Errno.EINVAL: channelGone += 1
        case -Errno.ENOSPC: noSpace += 1
        case -Errno.EIO: ioError += 1
        default: otherFailures += 1
        }
    }

    /// Whether a transfer that returned `result` counts against `--transfers`: every one
    /// that reached the transport, not those refused for lack of a buffer or of a channel.
    static func counts(_ result: Int32) -> Bool {
        result != -Errno.EBUSY && result != -Errno.EINVAL
    }

    /// Transfers that reached the transport.
    var sent: Int { succeeded + timedOut + noSpace + ioError + otherFailures }

    mutating func add(_ other: StressTally) {
        succeeded += other.succeeded
        timedOut += other.timedOut
        busy += other.busy
        channelGone += other.channelGone
        noSpace += other.noSpace
        ioError += other.ioError
        otherFailures += other.otherFailures
    }

    /// "1893 transfers (1650 ok, 201 timed out, 42 add_sgs failed)".
    var brief: String {
        var parts = ["\(succeeded) ok", "\(timedOut) timed out"]
        if noSpace + ioError > 0 { parts.append("\(noSpace + ioError) add_sgs failed") }
        if otherFailures > 0 { parts.append("\(otherFailures) failed otherwise") }
        return "\(sent) transfers (\(parts.joined(separator: ", ")))"
    }
}
