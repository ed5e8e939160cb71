import TransitionSystems

/// The SCMI virtio transport's TX channel in polling mode, as a spec for the checkers.
///
/// Build it for a configuration (CPUs, buffers, variant, core) with ``make(_:)``.
/// Senders do transfers forever; the configuration bounds CPUs and buffers, not transfers,
/// so a verdict over all reachable states covers any number of transfers.
public enum TransportSpec {
    /// The spec's name, as the CLI and traces give it.
    public static let name = "scmi-virtio"

    /// The property names, in report order.
    public static let invariantNames = [
        "conservation", "no-double-free", "no-use-after-release", "exactly-once-delivery",
        "no-leak-at-quiescence", "no-lost-wakeup",
    ]

    /// The spec for `configuration`.
    public static func make(_ configuration: TransportConfiguration) -> Spec {
        make(configuration, behaviour: .of(configuration.variant))
    }

    /// The spec for `configuration` with the switches of `behaviour` instead of its variant's:
    /// tests turn one fix off this way to show that the fix is what makes the proof.
    public static func make(_ configuration: TransportConfiguration, behaviour: TransportBehaviour) -> Spec {
        let model = TransportModel(configuration, behaviour: behaviour)
        let sender = model.sender()
        let irq = model.irq()
        let worker = model.worker()
        // CPUs are interchangeable, and so are buffers: no step or invariant names one in particular
        // (the explicit engine checks this claim on the states it explores).
        return Spec(name, doc: "The SCMI virtio TX channel with polled and non-polled transfers (\(configuration.variant.rawValue)).",
                    symmetric: [model.cpu, model.buffer]) {
            model.variables
            sender
            irq
            worker
            model.device()
            model.timer(sender)
            model.invariants(sender, irq, worker)
        }
    }
}
