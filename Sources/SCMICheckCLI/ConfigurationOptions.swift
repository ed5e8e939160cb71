import ArgumentParser
import TransitionSystems

/// The options that choose a spec and its configuration, shared by `check` and `describe`.
///
/// The values `--cpus`, `--buffers` and `--core` take, and whether a spec takes them at all,
/// come from the spec family (`scmi-check list` shows them).
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .long, help: "The spec (see 'scmi-check list').")
    var spec: String = SpecCatalog.defaultSpec

    @Option(name: .long, help: "The variant of the spec; every variant when omitted.")
    var variant: String?

    @Option(name: .long, help: "Number of CPUs (transport spec: 1-4, default 2).")
    var cpus: Int?

    @Option(name: .long, help: "Number of message buffers (transport spec: 1-4, default 2).")
    var buffers: Int?

    @Option(name: .long, help: "The SCMI core's result decision: current, 2022 or described (transport spec; default: the cores each variant met).")
    var core: String?

    @Option(name: .long, help: "CPUs as execution contexts, on or off: the IRQ handler interrupts a CPU and runs to its end, the worker runs on a CPU (transport spec; default off).")
    var contexts: String?

    @Option(name: .customLong("irq-cpu"), help: "With --contexts on: the CPU (from 0) the virtqueue's interrupt is delivered to, or any (default any).")
    var irqCPU: String?

    @Option(name: .long, help: "chan_free races the traffic, on or off; on adds the invariant shutdown-safety (transport spec; default off).")
    var shutdown: String?

    @Option(name: .long, help: "Token space: N tokens (at least the CPUs) that transfers reuse, so a late reply may meet a newer transfer with its token, or unique (transport spec; default unique).")
    var tokens: String?

    /// The parameter values given, by the family's parameter names.
    var settings: [String: String] {
        var result: [String: String] = [:]
        if let cpus { result["cpus"] = String(cpus) }
        if let buffers { result["buffers"] = String(buffers) }
        if let core { result["core"] = core }
        if let contexts { result["contexts"] = contexts }
        if let irqCPU { result["irq-cpu"] = irqCPU }
        if let shutdown { result["shutdown"] = shutdown }
        if let tokens { result["tokens"] = tokens }
        return result
    }

    /// The family named by `--spec`.
    func family() throws -> any SpecFamily { try SpecCatalog.family(named: spec) }

    /// The instances asked for: the variant (every one when omitted) with the parameters given.
    func instances() throws -> (family: any SpecFamily, instances: [SpecInstance]) {
        let family = try family()
        return (family, try SpecCatalog.instances(of: family, variant: variant, settings: settings))
    }
}
