import TransitionSystems
import Vocabulary

/// The SCMI virtio transport's TX channel in polling mode, as a spec for the checkers.
///
/// Build it for a configuration (CPUs, buffers, variant, core) with ``make(_:)``.
/// Senders do transfers forever; the configuration bounds CPUs and buffers, not transfers,
/// so a verdict over all reachable states covers any number of transfers.
///
/// The spec is written by kernel function, one file each: `DoXfer.swift` (the core's
/// `do_xfer`, its wait and result), `SendMessage.swift`, `PollDone.swift`, `MarkTxdone.swift`,
/// `CompleteCallback.swift` (the IRQ path and the delivery), `DeferredWorker.swift`, and
/// `Environment.swift` (the device and the deadlines). A variant is its ``Switches``.
public enum TransportSpec {
    /// The spec's name, as the CLI and traces give it.
    public static let name = "scmi-virtio"

    /// The property names, in report order.
    public static let invariantNames = Property.specified.map(\.rawValue)

    /// A built spec and what each of its steps stands for in the implementation.
    public struct Instance: Sendable {
        public let spec: Spec
        public let counterparts: StepCounterparts
    }

    /// The spec for `configuration`.
    public static func make(_ configuration: TransportConfiguration) -> Spec {
        // The vocabulary's test checks that the spec models every variant's switches.
        try! build(configuration).spec
    }

    /// The spec for `configuration` with `switches` instead of its variant's (tests turn one
    /// fix off this way to show that the fix is what makes the proof), and the counterpart of
    /// each step. Throws a ``SpecError`` for switches the spec does not model one by one.
    public static func build(_ configuration: TransportConfiguration, switches: Switches? = nil) throws -> Instance {
        let switches = switches ?? configuration.variant.switches
        if let reason = switches.unmodelledBySpec {
            throw SpecError.invalid(spec: name, problems: ["the transport spec does not model these switches: \(reason)"])
        }
        let model = TransportModel(configuration, switches: switches)
        let (sender, irq, worker) = model.onTheirCPUs(model.sender(), model.irq(), model.worker())
        let device = model.device()
        let timer = model.timer(sender)
        let shutdown = configuration.shutdown ? model.shutdown() : nil
        // CPUs are interchangeable (unless the IRQ is bound to one), and so are buffers: no step or
        // invariant names one in particular (the explicit engine checks this claim on the states it explores).
        let symmetric = configuration.contexts?.irqCPU == nil ? [model.cpu, model.buffer] : [model.buffer]
        let spec = Spec(name, doc: "The SCMI virtio TX channel with polled and non-polled transfers (\(configuration.variant.rawValue)).",
                        symmetric: symmetric) {
            model.weakMemory
            model.variables
            sender
            irq
            worker
            device
            timer
            if let shutdown { shutdown }
            model.invariants(sender, irq, worker, shutdown)
        }
        return Instance(spec: spec, counterparts: model.counterparts.recorded)
    }
}
