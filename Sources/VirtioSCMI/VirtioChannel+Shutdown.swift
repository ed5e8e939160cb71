import Scheduling

extension VirtioChannel {
    // MARK: - Shutdown

    /// Frees the channel (`virtio_chan_free`): breaks the device, then waits for the
    /// channel's users to drain.
    public func channelFree() {
        vqueue.breakDevice("chan_free virtio_break_device")
        cleanupSync()
    }

    /// `scmi_vio_channel_cleanup_sync`: drops the initial reference and waits until the last
    /// user has released the channel.
    func cleanupSync() {
        let done = Completion("shutdown_done", platform: platform)
        lock.lock("cleanup_sync lock vioch.lock")
        if !cinfo.load("cleanup_sync read cinfo") || shutdownDone.peek() != nil {
            lock.unlock()
            return
        }
        shutdownDone.poke(done)
        // Cannot be kicked any more after this.
        deferredTxWQ.poke(nil)
        lock.unlock()

        channelRelease("cleanup_sync")
        _ = done.wait("cleanup_sync wait_for_completion shutdown_done")
    }
}
