import TransitionSystems

/// Where a sender is: the SCMI core's `do_xfer` and the transport operations it calls, in
/// the order a transfer visits them.
enum SenderPC: String, ProgramCounter {
    case idle, getFree = "get_free", send, wait
    case pdPriv = "pd_priv", pdStatus = "pd_status", pdPoll = "pd_poll", pdGet = "pd_get", pdMark = "pd_mark"
    case pdRxLen = "pd_rx_len", pdClassify = "pd_classify", pdMarkOther = "pd_mark_other", pdAppend = "pd_append"
    case pdEnd = "pd_end", loopCheck = "loop_check", decide, fetch
    case txRead = "tx_read", txDecide = "tx_decide", txReset = "tx_reset", txRelease = "tx_release"
    case txRelease2 = "tx_release2", txFree = "tx_free", put
    case sendUnbind = "send_unbind", sendRelease = "send_release", sendFree = "send_free"

    /// Inside the core's polling loop, `poll_done` included (also the one after the loop).
    static let polling: [SenderPC] = [
        .pdPriv, .pdStatus, .pdPoll, .pdGet, .pdMark, .pdRxLen, .pdClassify, .pdMarkOther, .pdAppend, .pdEnd, .loopCheck,
    ]

    /// Inside `poll_done`'s drain, which holds the channel lock (`spin_lock_irqsave`: interrupts
    /// off on the sender's CPU): from `poll_done_lock` to `poll_done_finish`.
    static let holdingChannelLock: [SenderPC] = [.pdGet, .pdMark, .pdRxLen, .pdClassify, .pdMarkOther, .pdAppend, .pdEnd]
}

/// Where the IRQ path is in `complete_cb` and the delivery it makes.
enum IRQPC: String, ProgramCounter {
    case idle, rxLen = "rx_len", acquire, setPriv = "set_priv", fetch, clearPriv = "clear_priv", complete
    case release, reset, free
}

/// Where the deferred worker is: the pending-list drain (`p_` labels) and then `complete_cb`
/// run from the worker (`cb_` labels).
enum WorkerPC: String, ProgramCounter {
    case idle, next, check
    case pAcquire = "p_acquire", pSetPriv = "p_set_priv", pFetch = "p_fetch", pClearPriv = "p_clear_priv"
    case pComplete = "p_complete", pRelease = "p_release", pReset = "p_reset", pFree = "p_free"
    case cbGet = "cb_get", cbRxLen = "cb_rx_len", cbAcquire = "cb_acquire", cbSetPriv = "cb_set_priv"
    case cbFetch = "cb_fetch", cbClearPriv = "cb_clear_priv", cbComplete = "cb_complete", cbRelease = "cb_release"
    case cbReset = "cb_reset", cbFree = "cb_free"

    /// Inside the pending-list drain, which holds `pending_lock` (`spin_lock_irqsave`: interrupts
    /// off on the worker's CPU): from `start` until `next_pending` finds the list empty.
    static let holdingPendingLock: [WorkerPC] = [.next, .check, .pAcquire, .pSetPriv, .pFetch, .pClearPriv, .pComplete, .pRelease, .pReset, .pFree]
}

/// Where `chan_free` is (with shutdown).
enum ShutdownPC: String, ProgramCounter {
    case idle, cleanup, release, done
}
