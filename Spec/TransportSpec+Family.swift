import TransitionSystems
import Vocabulary

extension TransportSpec {
    /// The transport as a ``SpecFamily``: its variants, parameters and expectations, for the CLI.
    public static let family = Family()

    public struct Family: SpecFamily {
        public let name = TransportSpec.name
        public let summary = "The SCMI virtio TX channel in polling mode (default: 2 CPUs, 2 buffers, each variant with the cores it met)."
        public let variants = Variant.allCases.map { SpecVariant(name: $0.rawValue, base: $0.base?.rawValue, summary: $0.summary) }
        public let parameters = [
            SpecParameter(name: "cpus", help: "Number of CPUs.", values: TransportConfiguration.cpuRange.map(String.init), defaultDescription: "2"),
            SpecParameter(name: "buffers", help: "Number of message buffers.", values: TransportConfiguration.bufferRange.map(String.init),
                          defaultDescription: "2"),
            SpecParameter(name: "core", help: "The SCMI core's result decision.", values: CoreVersion.allCases.map(\.rawValue),
                          defaultDescription: "the cores the variant met"),
            SpecParameter(name: "contexts", help: "CPUs as execution contexts: the IRQ handler interrupts a CPU, the worker runs on one.",
                          values: ["off", "on"], defaultDescription: "off"),
            SpecParameter(name: "irq-cpu", help: "With contexts on: the CPU the virtqueue's interrupt is delivered to.",
                          values: ["any"] + TransportConfiguration.cpuRange.map { String($0 - 1) }, defaultDescription: "any"),
            SpecParameter(name: "shutdown", help: "chan_free races the traffic: the device breaks, cleanup_sync drops the channel's first reference and waits for its users.",
                          values: ["off", "on"], defaultDescription: "off"),
            SpecParameter(name: "tokens", help: "Transfers take their tokens from a space of N (at least the CPUs) and reuse them, as the kernel's 1024 wrap; unique: no late reply meets a newer transfer with its token.",
                          values: ["unique"] + TransportConfiguration.tokenRange.map(String.init), defaultDescription: "unique"),
        ]
        public let invariantNames = Property.allCases.map(\.rawValue)
        public let diagramVariables = [StateName.pollStatus.rawValue]
        public let defaultMaxStates: Int? = 2_000_000
        // k-induction does not close the transport's proofs without lemmas (none up to k = 8 on
        // `fixed`), and BMC's time doubles per depth past 12: the explicit engine decides here.
        public let preferredEngine: String? = "explicit"

        /// Each variant asked for with each core asked for, or with every core it met.
        public func instances(variant: String?, settings: [String: String]) throws -> [SpecInstance] {
            let chosen: [Variant]
            do { chosen = try variant.map { [try Variant.named($0)] } ?? Variant.allCases } catch {
                throw SpecFamilyError("\(error)")
            }
            let cpus = settings["cpus"].flatMap(Int.init) ?? 2
            let buffers = settings["buffers"].flatMap(Int.init) ?? 2
            let core = try settings["core"].map { name -> CoreVersion in
                do { return try CoreVersion.named(name) } catch { throw SpecFamilyError("\(error)") }
            }
            let contexts = try Self.contexts(settings, cpus: cpus)
            let tokens = try Self.tokens(settings, cpus: cpus)
            return chosen.flatMap { variant in
                (core.map { [$0] } ?? variant.coresMet).map { core in
                    let configuration = TransportConfiguration(cpus: cpus, buffers: buffers, variant: variant, core: core, contexts: contexts,
                                                               shutdown: settings["shutdown"] == "on", tokens: tokens)
                    return SpecInstance(spec: TransportSpec.make(configuration), variant: variant.rawValue,
                                        configuration: configuration.labels,
                                        expectations: TransportExpectations.of(configuration),
                                        note: variant.pairingNote(for: core),
                                        weakExpectations: TransportExpectations.underWeakMemory(configuration))
                }
            }
        }

        /// The token space `settings` ask for: nil for unique tokens, else N, at least one per CPU.
        static func tokens(_ settings: [String: String], cpus: Int) throws -> Int? {
            guard let value = settings["tokens"], value != "unique" else { return nil }
            guard let n = Int(value), n >= cpus else {
                throw SpecFamilyError("--tokens \(value) gives fewer tokens than the \(cpus) CPUs' transfers need (at least \(cpus))")
            }
            return n
        }

        /// The execution contexts `settings` ask for: `contexts` on or off, and `irq-cpu`, which
        /// needs them and a CPU there is.
        static func contexts(_ settings: [String: String], cpus: Int) throws -> ExecutionContexts? {
            let irqCPU = settings["irq-cpu"]
            guard settings["contexts"] == "on" else {
                if let irqCPU { throw SpecFamilyError("--irq-cpu \(irqCPU) needs --contexts on") }
                return nil
            }
            guard let irqCPU, irqCPU != "any" else { return ExecutionContexts() }
            guard let n = Int(irqCPU), (0..<cpus).contains(n) else {
                throw SpecFamilyError("--irq-cpu \(irqCPU) names no CPU of \(cpus) (CPUs are numbered from 0)")
            }
            return ExecutionContexts(irqCPU: n)
        }
    }
}
