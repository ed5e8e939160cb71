import TransitionSystems
import Vocabulary

/// What the channel does not control: the device's replies and each transfer's deadline.
extension TransportModel {
    /// The device: replies to any request it holds, in any order, at any time, or never.
    func device() -> Process {
        counterparts.recorded.record(process: "device", action: "reply", from: nil, .deviceReply)
        return Process("device") { _ in
            Step("reply", Parameter("m", buffer),
                 doc: "Return a request with its reply on the used ring; the used index moves.",
                 source: "virtio device: writes the reply into msg->input, adds the buffer to the used ring") { m in
                Guard(inDevice[m] && usedRing.length.value < Expr.number(usedRing.capacity))
                // A broken device's replies no longer reach the driver (Shutdown.swift).
                if configuration.shutdown { Guard(!broken.value) }
                inDevice[m] <- false
                usedRing.push(m)
                inputFresh[m] <- true
                for name in buffer.valueNames { pollMoved[buffer[name]] <- true }
            }
        }
    }

    /// The passing of each transfer's deadline, a free event while the transfer waits or polls.
    func timer(_ sender: Process) -> Process {
        let waiting: [SenderPC] = [.wait, .decide] + SenderPC.polling
        counterparts.recorded.record(process: "timer", action: "deadline_passes", from: nil, .deadline)
        return Process("timer", over: cpu, named: "cpu") { c in
            Step("deadline_passes", doc: "The transfer's timeout expires.",
                 source: "driver.c: ktime_after(ktime_get(), stop) / wait_for_completion_timeout expiring") {
                Guard(!deadline[c] && .or(waiting.map { sender.at($0, c) }))
                deadline[c] <- true
            }
        }
    }
}
