import TransitionSystems
import Vocabulary

/// The verdicts each variant is expected to have with each core it met, so a run can tell a
/// new or a lost finding from a known one.
///
/// A historical variant names the invariants it is known to violate (found by the checker
/// and confirmed against the kernel code, see the notes beside each); everything else is
/// expected to hold.
public enum TransportExpectations {
    /// The expectation for every invariant of `configuration`, or nil when none is recorded
    /// for its variant and core.
    public static func of(_ configuration: TransportConfiguration) -> [String: Expectation]? {
        let table = configuration.contexts == nil ? knownViolations : knownViolationsWithContexts
        guard configuration.cpus >= 2, configuration.buffers >= 2, !configuration.shutdown,
              let known = table[Pairing(configuration.variant, configuration.core)] else { return nil }
        let atDefault = configuration.cpus == 2 && configuration.buffers == 2
        var result = Dictionary(uniqueKeysWithValues: TransportSpec.invariantNames.map { ($0, Expectation.holds) })
        // A configuration with more CPUs or buffers contains these runs (the extra CPUs stay idle),
        // so the violations stand there too, at a depth not recorded.
        for (property, depth) in known { result[property.rawValue] = .violated(depth: atDefault ? depth : nil) }
        return result
    }

    /// The expectations under each weak memory model: under `lkmm-nolb`, only `rx_len` is weak and
    /// only `fetch_response`'s read of it feeds an invariant (`exactly-once-delivery`), so every other
    /// verdict is the sequentially consistent one; that one changes where nothing orders the poller's
    /// `rx_len` store before its POLL_DONE mark, or the owner's check before its fetch.
    public static func underWeakMemory(_ configuration: TransportConfiguration) -> [MemoryModelKind: [String: Expectation]] {
        // Measured with free-running contexts only.
        guard configuration.contexts == nil, var expectations = of(configuration) else { return [:] }
        if let depth = staleLengthUnderLKMMNoLB[Pairing(configuration.variant, configuration.core)] {
            let atDefault = configuration.cpus == 2 && configuration.buffers == 2
            expectations[Property.exactlyOnceDelivery.rawValue] = .violated(depth: atDefault ? depth : nil)
        }
        return [.lkmmNoLB: expectations]
    }

    /// The shortest `exactly-once-delivery` violation under `lkmm-nolb` at 2 CPUs and 2 buffers, by
    /// pairing (`scmi-check check --variant V --core C --memory-model lkmm-nolb`): a stale `rx_len`
    /// fetched by an owner that saw another CPU's POLL_DONE mark (Spec/Litmus/poll-done-rx-len-once.litmus).
    /// v4 writes the length before an `smp_store_mb` of the mark, which orders nothing before the
    /// store; v4-proposal writes it before a plain mark under `poll_lock`; the 2022 core's
    /// `ktime_get()` orders the owner's reads, the current core nothing; `fixed` is proved.
    static let staleLengthUnderLKMMNoLB: [Pairing: Int] = [
        Pairing(.v4, .current): 19, Pairing(.v4, .y2022): 18, Pairing(.v4, .described): 17,
        Pairing(.v4Proposal, .current): 18, Pairing(.v4Proposal, .y2022): 17,
        Pairing(.upstream, .current): 17, Pairing(.upstream, .y2022): 16,
    ]

    /// Every recorded finding at 2 CPUs and 2 buffers: each pairing of the findings table with the
    /// invariants it violates and their shortest depths, in variant and core order.
    public static var findings: [(configuration: TransportConfiguration, violations: [(property: Property, depth: Int)])] {
        recorded(knownViolations) { TransportConfiguration(variant: $0.variant, core: $0.core) }
    }

    /// The findings of `table`, in variant and core order, each pairing at the configuration
    /// `configuration` gives it, with its violations in the properties' order.
    static func recorded(_ table: [Pairing: [Property: Int]], at configuration: (Pairing) -> TransportConfiguration)
        -> [(configuration: TransportConfiguration, violations: [(property: Property, depth: Int)])] {
        table.keys.sorted(by: pairingOrder).map { pairing in
            (configuration(pairing), Property.allCases.compactMap { p in table[pairing]![p].map { (p, $0) } })
        }
    }

    /// Known violations with shutdown racing the traffic (`--shutdown on`), for each pairing of the
    /// findings table but `fixed`, at the smallest configuration that shows each: 1 CPU and 1 buffer
    /// where that shows it (`scmi-check check --variant V --core C --cpus 1 --buffers 1 --shutdown on`),
    /// else 2 CPUs and 1 buffer (1 CPU and 2 buffers not tried). A polled transfer in flight at `chan_free` fetches a reply that
    /// never came (`exactly-once-delivery`, every pairing: the last user's release tears the channel
    /// down, `poll_done`'s channel acquire fails and it answers "done"); the others are the
    /// findings without shutdown, shown at fewer CPUs or buffers. `shutdown-safety` holds at 1 x 1
    /// on `v4` and `v4-proposal` (proved) and is not seen on `upstream` (whose state space at 1 x 1
    /// is too large to exhaust). Pairings without an entry at a size record none there.
    static let knownViolationsWithShutdown: [Sizes: [Pairing: [Property: Int]]] = [
        Sizes(cpus: 1, buffers: 1): [
            Pairing(.v4, .y2022): [.exactlyOnceDelivery: 10, .noLeakAtQuiescence: 14, .noUseAfterRelease: 15],
            Pairing(.v4, .current): [.exactlyOnceDelivery: 11, .noUseAfterRelease: 15, .noLeakAtQuiescence: 17],
            Pairing(.v4, .described): [.exactlyOnceDelivery: 9, .noUseAfterRelease: 15],
            Pairing(.v4Proposal, .y2022): [.exactlyOnceDelivery: 10, .noUseAfterRelease: 15],
            Pairing(.v4Proposal, .current): [.exactlyOnceDelivery: 11, .noUseAfterRelease: 15],
            Pairing(.upstream, .current): [.exactlyOnceDelivery: 11, .noDoubleFree: 20, .noUseAfterRelease: 20, .conservation: 26],
            Pairing(.upstream, .y2022): [.exactlyOnceDelivery: 10, .noDoubleFree: 21, .noUseAfterRelease: 21, .conservation: 27],
        ],
        // A lost wakeup needs another CPU's poller; so do the leaks not shown at 1 x 1
        // (`--cpus 2 --buffers 1 --shutdown on`, breadth first within 2,000,000 states).
        Sizes(cpus: 2, buffers: 1): [
            Pairing(.v4, .y2022): [.noLostWakeup: 22],
            Pairing(.v4, .current): [.noLostWakeup: 22],
            Pairing(.v4, .described): [.noLostWakeup: 22, .noLeakAtQuiescence: 30],
            Pairing(.v4Proposal, .y2022): [.noLeakAtQuiescence: 32, .noLostWakeup: 58],
            Pairing(.v4Proposal, .current): [.noLeakAtQuiescence: 32, .noLostWakeup: 52],
            Pairing(.upstream, .current): [.noLostWakeup: 37, .noLeakAtQuiescence: 44],
            Pairing(.upstream, .y2022): [.noLostWakeup: 38, .noLeakAtQuiescence: 39],
        ],
    ]

    /// Numbers of CPUs and buffers.
    public struct Sizes: Hashable, Sendable, Comparable {
        public let cpus: Int
        public let buffers: Int

        public init(cpus: Int, buffers: Int) {
            self.cpus = cpus
            self.buffers = buffers
        }

        public static func < (a: Sizes, b: Sizes) -> Bool { (a.cpus, a.buffers) < (b.cpus, b.buffers) }
    }

    /// Every recorded finding with shutdown: each pairing at each size with the invariants it
    /// violates there and their shortest depths, smallest size first, then in variant and core order.
    public static var shutdownFindings: [(configuration: TransportConfiguration, violations: [(property: Property, depth: Int)])] {
        knownViolationsWithShutdown.keys.sorted().flatMap { sizes in
            recorded(knownViolationsWithShutdown[sizes]!) {
                TransportConfiguration(cpus: sizes.cpus, buffers: sizes.buffers, variant: $0.variant, core: $0.core, shutdown: true)
            }
        }
    }

    /// Known violations with token reuse (`--tokens 1`) at 1 CPU and 1 buffer, for each pairing of
    /// the findings table: those that token reuse brings, or brings sooner, than a token per
    /// transfer at the same size (`scmi-check check --cpus 1 --buffers 1 --tokens 1 --exhaustive`
    /// against the same without `--tokens`). Every pairing delivers a late reply to the newer
    /// transfer that holds its token (`exactly-once-delivery`, 14 steps); on `v4` and `v4-proposal`
    /// what follows from the misdelivery breaks more (`fixed` keeps every other invariant: proved at
    /// 1 x 1 with `--tokens 1`). One token stands for the kernel's 1024 (Spec/Tokens.swift): each token more
    /// adds a transfer (3 steps) before the reuse.
    static let knownViolationsWithTokens: [Pairing: [Property: Int]] = [
        Pairing(.v4, .y2022): [.exactlyOnceDelivery: 14, .conservation: 29, .noDoubleFree: 35],
        Pairing(.v4Proposal, .y2022): [.exactlyOnceDelivery: 14, .conservation: 30, .noDoubleFree: 36],
        Pairing(.upstream, .current): [.exactlyOnceDelivery: 14],
        Pairing(.upstream, .y2022): [.exactlyOnceDelivery: 14],
        Pairing(.fixed, .current): [.exactlyOnceDelivery: 14],
    ]

    /// Known violations with CPUs as execution contexts and shutdown racing the traffic together
    /// (`--contexts on --shutdown on`, irq-cpu any) at 1 CPU and 1 buffer, for each pairing of the
    /// findings table (`scmi-check check --cpus 1 --buffers 1 --contexts on --shutdown on
    /// --exhaustive`: every space has under 3,300 states, so each other invariant, `shutdown-safety`
    /// included, is proved there; on one CPU the IRQ path and the worker cannot run beside the
    /// sender). The reply that never came (10-11 steps) and the use after release (one step later
    /// than without contexts where it is the handler's extra `get_buf`); `fixed` has none.
    static let knownViolationsWithContextsAndShutdown: [Pairing: [Property: Int]] = [
        Pairing(.v4, .y2022): [.exactlyOnceDelivery: 10, .noLeakAtQuiescence: 14, .noUseAfterRelease: 16],
        Pairing(.v4Proposal, .y2022): [.exactlyOnceDelivery: 10, .noUseAfterRelease: 16],
        Pairing(.upstream, .current): [.exactlyOnceDelivery: 11, .noUseAfterRelease: 24],
        Pairing(.upstream, .y2022): [.exactlyOnceDelivery: 10, .noUseAfterRelease: 22],
    ]

    /// Every recorded finding with contexts and shutdown together, in variant and core order.
    public static var contextsAndShutdownFindings: [(configuration: TransportConfiguration, violations: [(property: Property, depth: Int)])] {
        recorded(knownViolationsWithContextsAndShutdown) {
            TransportConfiguration(cpus: 1, buffers: 1, variant: $0.variant, core: $0.core, contexts: ExecutionContexts(), shutdown: true)
        }
    }

    /// Known violations at 2 CPUs and 3 buffers that a breadth-first search within 2,000,000 states
    /// reaches (`scmi-check check --cpus 2 --buffers 3`; it completes depth 35 to 37 there). The free
    /// list is a FIFO: with a third buffer a freed one comes round later, so what needs reuse
    /// deepens (`upstream`'s conservation 28 → 35 and 29 → 36, `v4`'s lost wakeup 29 → 36), while
    /// the findings that need one buffer keep their depths. The deeper findings of 2 x 2 lie beyond
    /// the cap here; at 2 x 4 the shallow ones keep their depths too and nothing else is reached.
    static let knownViolationsWithThreeBuffers: [Pairing: [Property: Int]] = [
        Pairing(.v4, .y2022): [.noUseAfterRelease: 15, .noLeakAtQuiescence: 14, .noLostWakeup: 36],
        Pairing(.v4Proposal, .y2022): [.noUseAfterRelease: 15],
        Pairing(.upstream, .current): [.conservation: 35, .noDoubleFree: 20, .noUseAfterRelease: 20, .exactlyOnceDelivery: 17],
        Pairing(.upstream, .y2022): [.conservation: 36, .noDoubleFree: 21, .noUseAfterRelease: 21, .exactlyOnceDelivery: 16],
    ]

    /// Every recorded finding at 2 CPUs and 3 buffers, in variant and core order.
    public static var threeBufferFindings: [(configuration: TransportConfiguration, violations: [(property: Property, depth: Int)])] {
        recorded(knownViolationsWithThreeBuffers) { TransportConfiguration(cpus: 2, buffers: 3, variant: $0.variant, core: $0.core) }
    }

    /// Every recorded finding with token reuse, in variant and core order.
    public static var tokenFindings: [(configuration: TransportConfiguration, violations: [(property: Property, depth: Int)])] {
        recorded(knownViolationsWithTokens) { TransportConfiguration(cpus: 1, buffers: 1, variant: $0.variant, core: $0.core, tokens: 1) }
    }

    /// Variant order, then core order.
    static func pairingOrder(_ a: Pairing, _ b: Pairing) -> Bool {
        let (va, vb) = (Variant.allCases.firstIndex(of: a.variant)!, Variant.allCases.firstIndex(of: b.variant)!)
        return va != vb ? va < vb : CoreVersion.allCases.firstIndex(of: a.core)! < CoreVersion.allCases.firstIndex(of: b.core)!
    }

    /// Known violations with CPUs as execution contexts (`--contexts on`, with `--irq-cpu any` and
    /// `--irq-cpu 0`, which agree), at 2 CPUs and 2 buffers, for each variant with the cores it met
    /// (`scmi-check check --contexts on [--irq-cpu 0] --exhaustive`). Every finding survives: none
    /// needed a free-running IRQ path or worker. The deeper ones take one step more, the handler's
    /// last `get_buf`, which finds the ring empty and returns (without contexts the IRQ path returns
    /// after each buffer). `fixed` is proved (17,094,935 states up to renaming).
    static let knownViolationsWithContexts: [Pairing: [Property: Int]] = [
        Pairing(.v4, .y2022): [.noLeakAtQuiescence: 14, .noUseAfterRelease: 15, .noLostWakeup: 30],
        Pairing(.v4Proposal, .y2022): [.noUseAfterRelease: 15, .exactlyOnceDelivery: 44, .noLeakAtQuiescence: 46,
                                       .noDoubleFree: 48, .conservation: 52, .noLostWakeup: 57],
        Pairing(.upstream, .current): [.exactlyOnceDelivery: 17, .noDoubleFree: 20, .noUseAfterRelease: 20,
                                       .conservation: 28, .noLostWakeup: 45, .noLeakAtQuiescence: 58],
        Pairing(.upstream, .y2022): [.exactlyOnceDelivery: 16, .noDoubleFree: 21, .noUseAfterRelease: 21,
                                     .conservation: 29, .noLostWakeup: 46, .noLeakAtQuiescence: 53],
        Pairing(.fixed, .current): [:],
    ]

    /// A variant with a core.
    public struct Pairing: Hashable, Sendable {
        public let variant: Variant
        public let core: CoreVersion

        public init(_ variant: Variant, _ core: CoreVersion) {
            self.variant = variant
            self.core = core
        }
    }

    /// Known violations with the shortest depth at 2 CPUs and 2 buffers, for every pairing of a
    /// variant with a core it met (``Variant/coresMet``) and the pairings the README reports.
    ///
    /// Found by `scmi-check check --variant NAME --core CORE --exhaustive` (explicit engine) and
    /// walked step by step against the kernel code.
    static let knownViolations: [Pairing: [Property: Int]] = [
        // The IRQ path frees a polled buffer its owner's poll_done still reads (15); the core's
        // last poll_done after a successful one fails on v4, which leaves its own buffer POLLING,
        // so the transfer "times out" and mark_txdone never frees it (17); a poller left with
        // nothing to wake it (29).
        Pairing(.v4, .current): [.noUseAfterRelease: 15, .noLeakAtQuiescence: 17, .noLostWakeup: 29],
        // No poll-path reference: the IRQ path frees a buffer its owner still polls (15), and
        // what follows from reusing it.
        Pairing(.v4Proposal, .current): [.noUseAfterRelease: 15, .noLeakAtQuiescence: 45, .exactlyOnceDelivery: 46,
                                         .noDoubleFree: 50, .conservation: 54, .noLostWakeup: 58],
        // poll_done writes rx_len after marking POLL_DONE: the owner fetches it first (17);
        // mark_txdone releases twice after the IRQ path delivered, and the IRQ path releases a
        // third time (20), freeing a buffer in use (28) and starving a poller (44); mark_txdone's
        // POLL_TIMEOUT lands on a buffer the IRQ path freed and another CPU reuses, whose own
        // poller then neither marks nor frees it (57).
        Pairing(.upstream, .current): [.exactlyOnceDelivery: 17, .noDoubleFree: 20, .noUseAfterRelease: 20,
                                       .conservation: 28, .noLostWakeup: 44, .noLeakAtQuiescence: 57],
        Pairing(.fixed, .current): [:],

        // With the 2022 core, the cores v4 and v4-proposal were posted against and upstream was
        // merged with: the deadline passes between a successful poll_done and the core's decision,
        // so a reply that was found is reported as -ETIMEDOUT and never freed (v4, 14, one CPU);
        // the rest as with the current core, at other depths.
        Pairing(.v4, .y2022): [.noLeakAtQuiescence: 14, .noUseAfterRelease: 15, .noLostWakeup: 29],
        Pairing(.v4Proposal, .y2022): [.noUseAfterRelease: 15, .exactlyOnceDelivery: 43, .noLeakAtQuiescence: 45,
                                       .noDoubleFree: 47, .conservation: 51, .noLostWakeup: 56],
        // The reference page's reading of the current core (one more poll_done only after a
        // deadline): the review thread's own leak, a very late reply dequeued by another CPU's
        // poller and marked POLL_DONE after its owner timed out (33).
        Pairing(.v4, .described): [.noUseAfterRelease: 15, .noLostWakeup: 29, .noLeakAtQuiescence: 33],
        Pairing(.upstream, .y2022): [.exactlyOnceDelivery: 16, .noDoubleFree: 21, .noUseAfterRelease: 21,
                                     .conservation: 29, .noLostWakeup: 45, .noLeakAtQuiescence: 52],
    ]
}
