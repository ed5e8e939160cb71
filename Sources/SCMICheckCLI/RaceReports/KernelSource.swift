import Vocabulary

/// Where the kernel code of an ``Operation`` lives, as a race report cites it: a short file
/// name and the C function, `virtio.c:virtio_poll_done`.
///
/// Reports cite the current tree: the transport moved from `drivers/firmware/arm_scmi/virtio.c`
/// (Linux 5.18, where `upstream` was merged) to `drivers/firmware/arm_scmi/transports/virtio.c`
/// in Linux 6.11 without changing these functions. ``files`` spells out each short name.
enum KernelSource {
    /// The short file names reports use, with the paths they stand for.
    static let files: [(short: String, path: String)] = [
        ("virtio.c", "drivers/firmware/arm_scmi/transports/virtio.c (drivers/firmware/arm_scmi/virtio.c before 6.11)"),
        ("driver.c", "drivers/firmware/arm_scmi/driver.c"),
    ]

    /// `file:function` of the entry point whose code performs `operation`.
    static func location(of operation: Operation) -> String {
        location(of: operation.function)
    }

    /// `file:function` of a kernel entry point.
    static func location(of function: KernelFunction) -> String {
        switch function {
        case .xferGetInit: return "driver.c:xfer_get_init"
        case .sendMessage: return "virtio.c:virtio_send_message"
        case .pollDone: return "virtio.c:virtio_poll_done"
        case .pollLoop, .waitForReply: return "driver.c:scmi_wait_for_reply"
        case .fetchResponse: return "virtio.c:virtio_fetch_response"
        case .markTxdone: return "virtio.c:virtio_mark_txdone"
        case .xferPut: return "driver.c:xfer_put"
        case .completeCb: return "virtio.c:scmi_vio_complete_cb"
        case .rxCallback: return "driver.c:scmi_rx_callback"
        case .handleResponse: return "driver.c:scmi_handle_response"
        case .deferredTxWorker, .deferredTxWork: return "virtio.c:scmi_vio_deferred_tx_worker"
        case .cleanupSync: return "virtio.c:scmi_vio_channel_cleanup_sync"
        case .chanFree: return "virtio.c:virtio_chan_free"
        case .chanSetup: return "virtio.c:virtio_chan_setup"
        }
    }

    /// The C name of a helper an access sits inside.
    static func name(of helper: Helper) -> String {
        switch helper {
        case .getFreeMsg: return "scmi_virtio_get_free_msg"
        case .putFreeMsg: return "scmi_virtio_put_free_msg"
        case .msgRelease: return "scmi_vio_msg_release"
        case .channelRelease: return "scmi_vio_channel_release"
        }
    }

    /// Every `file:function` a report may cite, for checking a report's rows.
    static var allLocations: Set<String> { Set(KernelFunction.allCases.map { location(of: $0) }) }
}
