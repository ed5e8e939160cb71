import Scheduling
import Vocabulary

extension VirtioChannel {
    // MARK: - Shutdown

    /// Frees the channel (`virtio_chan_free`): breaks the device, then waits for the
    /// channel's users to drain.
    public func channelFree() {
        vqueue.breakDevice(.op(.chanFree, .virtqueue(.breakDevice)))
        cleanupSync()
    }

    /// `scmi_vio_channel_cleanup_sync`: drops the initial reference and waits until the last
    /// user has released the channel.
    func cleanupSync() {
        let done = Completion("shutdown_done", platform: platform)
        lock.lock(.op(.cleanupSync, .lock(.channel)))
        if !cinfo.load(.op(.cleanupSync, .read(.cinfo))) || shutdownDone.peek() != nil {
            lock.unlock()
            return
        }
        shutdownDone.poke(done)
        // Cannot be kicked any more after this.
        deferredTxWQ.poke(nil)
        lock.unlock()

        channelRelease(.cleanupSync)
        _ = done.wait(.op(.cleanupSync, .waitForCompletion(.shutdownDone)))
    }
}
