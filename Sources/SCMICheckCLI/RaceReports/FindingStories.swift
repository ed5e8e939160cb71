import Vocabulary

/// The stories of the findings on `upstream`, one per mechanism, and a plain story for any
/// other violation a report is asked for.
///
/// Each mechanism was walked against the kernel source (drivers/firmware/arm_scmi/virtio.c
/// as merged in 5.18, transports/virtio.c today, and driver.c); the prose cites functions,
/// never statements.
enum FindingStories {
    /// The story of `property` broken on `variant`.
    static func story(variant: Variant, property: Property) -> FindingStory {
        if variant == .upstream, let story = upstream.first(where: { $0.properties.contains(property) }) {
            return story
        }
        return plain(variant: variant, property: property)
    }

    /// The distinct mechanisms found on `upstream`, in the order the findings index lists them.
    static let upstream: [FindingStory] = [staleRxLen, threeReleases, pollTimeoutAfterRelease]

    static let staleRxLen = FindingStory(
        slug: "stale-rx-len",
        subject: "polled reply fetched before rx_len is written",
        breaks: """
            virtio.c:virtio_poll_done drains the used ring on behalf of whichever CPU polls. When it \
            dequeues another CPU's polled message it marks it VIO_MSG_POLL_DONE under the message's \
            poll_lock, drops poll_lock, and only then stores the length virtqueue_get_buf() returned \
            into msg->rx_len. The owner of that message, spinning in driver.c:scmi_wait_for_reply, \
            calls virtio.c:virtio_poll_done, which checks msg->poll_status without taking poll_lock, \
            sees VIO_MSG_POLL_DONE and returns true; driver.c:scmi_wait_for_reply then calls \
            virtio.c:virtio_fetch_response, which reads msg->rx_len before the other CPU has stored it.
            """,
        consequence: """
            The reply is copied out with the length of the reply the buffer carried before (zero for \
            a buffer that never had one): the protocol driver gets a truncated reply, or one whose \
            length is not the one the platform sent, as a successful transfer. Nothing is logged.
            """,
        likelihood: """
            Two CPUs must poll on the TX channel at once (atomic transfers, \
            CONFIG_ARM_SCMI_TRANSPORT_VIRTIO_ATOMIC_ENABLE), the device must return the owner's reply \
            while the other CPU is inside virtio_poll_done's drain, and the owner must check \
            poll_status in the few instructions between the other CPU's poll_lock release and its \
            rx_len store. The window is a few instructions wide but opens on every reply another \
            CPU's poller dequeues; an interrupt on the draining CPU, or the hypervisor preempting \
            its vCPU, holds it open for as long as that lasts.
            """,
        fix: """
            In virtio.c:virtio_poll_done, store next_msg->rx_len before marking the message \
            VIO_MSG_POLL_DONE, so that the mark is the last thing the draining CPU writes, and make \
            the mark a release (smp_store_release) that the owner's unlocked read of poll_status in \
            virtio.c:virtio_poll_done takes with an acquire (smp_load_acquire): an owner that sees \
            the mark then finds the length written. Under sequential consistency the order alone is \
            enough; under the kernel memory model (without load buffering) the release and the \
            acquire are each needed, and together enough (proved below).
            """,
        switches: [.rxLenBeforePollDone, .releaseOnPollDoneMark, .acquireOnPollDoneCheck],
        properties: [.exactlyOnceDelivery]
    )

    static let threeReleases = FindingStory(
        slug: "three-releases",
        subject: "polled message released three times on IRQ delivery",
        breaks: """
            A polled message holds two references: the transfer's, set when \
            virtio.c:virtio_send_message takes it from free_list, and the poll path's, taken by \
            virtio.c:virtio_send_message for polling. Callbacks stay enabled while the owner polls, \
            so the reply may be dequeued by virtio.c:scmi_vio_complete_cb on the IRQ path, which \
            delivers it through driver.c:scmi_rx_callback (driver.c:scmi_handle_response completes \
            xfer->done) and only afterwards drops one reference. The owner's loop in \
            driver.c:scmi_wait_for_reply sees xfer->done completed and returns 0, and \
            virtio.c:virtio_mark_txdone drops the transfer's reference and then, because ret is not \
            -ETIMEDOUT, the poll path's too: the message goes back on free_list. The IRQ path's own \
            release then comes third.
            """,
        consequence: """
            refcount_t: underflow; use-after-free from the IRQ path's scmi_vio_msg_release. Worse, \
            when another CPU takes the message from free_list between the second and the third \
            release, the third one drops the new owner's reference and puts the message back on \
            free_list while the device owns it: one buffer is handed to two transfers, and one \
            transfer reads the other's reply or spins until its timeout (the checker shows both, \
            at 28 and 44 steps).
            """,
        likelihood: """
            No narrow window is involved: one CPU doing polled transfers and the TX virtqueue's \
            interrupt handled on another CPU before the owner's next virtio_poll_done are enough, \
            and the IRQ path wins that race whenever the interrupt is delivered promptly. It needs \
            atomic transfers (CONFIG_ARM_SCMI_TRANSPORT_VIRTIO_ATOMIC_ENABLE and a caller that asks \
            for polling).
            """,
        fix: """
            virtio.c:virtio_mark_txdone should drop the poll path's reference only when a poller \
            took the message off the used ring, which it marks VIO_MSG_POLL_DONE and does not \
            release itself; whatever ret is. A message the IRQ path or the deferred worker dequeued \
            is released by that path. The poll path's reference then has exactly one owner: the \
            path that dequeues the message, or mark_txdone when a poller did.
            """,
        switches: [.secondReleaseOnlyWhenPollDone],
        properties: [.noDoubleFree, .conservation, .noLostWakeup]
    )

    static let pollTimeoutAfterRelease = FindingStory(
        slug: "poll-timeout-after-release",
        subject: "mark_txdone writes poll_status after its release",
        breaks: """
            virtio.c:virtio_mark_txdone first drops the transfer's reference (scmi_vio_msg_release, \
            outside any lock) and only then takes msg->poll_lock to decide about the poll path's. \
            Once its own reference is gone it holds none: the other belongs to whichever path takes \
            the message off the used ring, and virtio.c:scmi_vio_complete_cb, which never looks at \
            poll_status, drops it after handling a late reply. The message is then on free_list, \
            and another CPU's virtio.c:virtio_send_message can take it and mark it \
            VIO_MSG_POLLING for a new polled transfer before the first CPU reaches poll_lock. For a \
            transfer that timed out, mark_txdone then sees VIO_MSG_POLLING with ret -ETIMEDOUT and \
            writes VIO_MSG_POLL_TIMEOUT into the new transfer's message; for one that did not time \
            out it releases a reference it no longer has (the shortest form, 20 steps).
            """,
        consequence: """
            The new owner's virtio.c:virtio_poll_done dequeues its own message but, the status not \
            being VIO_MSG_POLLING, does not mark it VIO_MSG_POLL_DONE; the current core's extra \
            virtio_poll_done after a successful one then fails, driver.c:scmi_wait_for_reply \
            returns -ETIMEDOUT for a transfer whose reply arrived, and virtio.c:virtio_mark_txdone, \
            seeing VIO_MSG_POLL_TIMEOUT, drops only the transfer's reference. Nobody drops the \
            other: the message is lost for good, one of the channel's max_msg TX messages; once \
            all are lost virtio.c:virtio_send_message fails every transfer with -EBUSY. The \
            messages are devm allocations that live as long as the channel, so KASAN does not see \
            the stale write.
            """,
        likelihood: """
            Rare: a polled transfer must time out (the platform answering after max_rx_timeout_ms), \
            its late reply must be dequeued by the IRQ path while the timed-out CPU is between its \
            scmi_vio_msg_release and its spin_lock of poll_lock in virtio_mark_txdone, and another \
            CPU must reuse that very message for a polled transfer inside the same window. The \
            window is a few instructions, with interrupts enabled: an interrupt on that CPU (the \
            virtqueue's own), or the hypervisor preempting the guest's vCPU, holds it open. It only \
            matters once the platform already misbehaves, and then it costs a buffer each time.
            """,
        fix: """
            Decide before releasing: virtio.c:virtio_mark_txdone takes msg->poll_lock while it \
            still holds the transfer's reference, decides there whether the poll path's reference \
            goes too (a poller marked the message VIO_MSG_POLL_DONE) or the message becomes \
            VIO_MSG_POLL_TIMEOUT (still VIO_MSG_POLLING: whoever dequeues it later drops the poll \
            path's reference), drops poll_lock, and only then releases the transfer's reference \
            and, if so decided, the poll path's. Nothing touches the message after its last \
            reference is gone.
            """,
        switches: [.decidesBeforeReleasing],
        properties: [.noLeakAtQuiescence, .noUseAfterRelease]
    )

    /// A story told from the property and the variant alone, for findings without one of their own.
    static func plain(variant: Variant, property: Property) -> FindingStory {
        let differences = Switch.allCases.filter { variant.switches[$0] != Variant.fixed.switches[$0] }
        return FindingStory(
            slug: "\(variant.rawValue)-\(property.rawValue)",
            subject: "\(variant.rawValue) breaks \(property.rawValue)",
            breaks: "On \(variant.rawValue), \(property.rawValue) breaks. The property promises that \(propertyText(property))",
            consequence: "The interleaving below shows how; its last row is where the property breaks.",
            likelihood: "The interleaving needs what the configuration below lists; the steps in it are all that has to line up.",
            fix: differences.isEmpty
                ? "The project's fixed variant has the same switches as this one."
                : "The project's fixed variant differs from \(variant.rawValue) by the switches listed below.",
            switches: differences,
            properties: [property]
        )
    }

    /// What a property promises, in a sentence.
    static func propertyText(_ property: Property) -> String {
        switch property {
        case .conservation: return "every TX message is in at most one of free_list, the device, the used ring and pending_cmds_list."
        case .noDoubleFree: return "a message is never added to free_list twice and its refcount never drops below zero."
        case .noUseAfterRelease: return "no path touches a message after the reference it relied on was dropped."
        case .exactlyOnceDelivery: return "a reply reaches at most once the transfer whose token it carries, complete and current."
        case .noLeakAtQuiescence: return "when nothing runs and the device holds nothing, every message is back on free_list."
        case .noLostWakeup: return "a polled transfer whose reply was dequeued is never left spinning until its timeout."
        case .shutdownSafety: return "once the channel's users reach zero, no path touches the virtqueue."
        }
    }
}
