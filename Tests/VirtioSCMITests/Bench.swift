import XCTest
import Scheduling
@testable import VirtioSCMI
import Vocabulary

/// A channel, core and device whose actors never start: the test calls the driver's
/// functions itself, one after another, on its own thread.
final class Bench {
    let simulation: ChannelSimulation
    var channel: VirtioChannel { simulation.channel }
    var core: SCMICore { simulation.core }
    var device: SimulatedDevice { simulation.device }
    var vqueue: Virtqueue { simulation.channel.vqueue }
    var violations: [Violation] { simulation.violations }

    init(_ variant: Variant, core: CoreVersion = .current, buffers: Int = 2, configure: (inout SimulationConfiguration) -> Void = { _ in }) {
        var configuration = SimulationConfiguration(variant: variant, core: core, cpus: 1, buffers: buffers)
        configure(&configuration)
        simulation = ChannelSimulation(configuration)
    }

    /// A new transfer of "cpu0".
    func transfer(polled: Bool) -> Transfer {
        core.xferGetInit(cpu: "cpu0", polled: polled, timeout: .milliseconds(1))!
    }

    /// A new transfer, already sent.
    func sent(polled: Bool, file: StaticString = #filePath, line: UInt = #line) -> Transfer {
        let xfer = transfer(polled: polled)
        XCTAssertEqual(channel.sendMessage(xfer), 0, file: file, line: line)
        return xfer
    }

    /// Ends a transfer as `do_xfer` would after waiting: `mark_txdone(ret)`, then the
    /// transfer is released.
    func end(_ xfer: Transfer, result: Int32) {
        channel.markTxDone(xfer, result: result)
        channel.transferEnded(xfer)
        core.xferPut(xfer)
    }

    func buffer(_ index: Int) -> ChannelSnapshot.Buffer {
        simulation.snapshot().buffers[index]
    }

    func location(_ index: Int) -> BufferLocation {
        channel.location(of: index)
    }

    func properties() -> [Property] {
        violations.map(\.property)
    }
}

extension ChannelSimulation {
    /// Steps `actor` until its next step's label contains `text` (that step not taken).
    func advance(_ actor: String, to text: String, limit: Int = 500, file: StaticString = #filePath, line: UInt = #line) throws {
        for _ in 0..<limit {
            guard let label = nextLabel(of: actor) else {
                XCTFail("\(actor) finished before reaching \"\(text)\"", file: file, line: line)
                return
            }
            if label.contains(text) { return }
            try step(actor)
        }
        XCTFail("\(actor) did not reach \"\(text)\" in \(limit) steps", file: file, line: line)
    }

    /// Steps `actor` until it has finished.
    func runToEnd(_ actor: String, limit: Int = 1_000) throws {
        for _ in 0..<limit where !runtime.hasFinished(actor) && nextLabel(of: actor) != nil {
            if actor == "irq" || actor == "worker", let label = nextLabel(of: actor), label.hasSuffix("start complete_cb") || label.hasSuffix("run deferred_tx_work") {
                return
            }
            try step(actor)
        }
    }
}
