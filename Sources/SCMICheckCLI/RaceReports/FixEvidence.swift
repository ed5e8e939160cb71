import Vocabulary

/// The evidence a report gives that `fixed` is enough: where it is proved and how.
///
/// Every proof listed was made by an exhaustive explicit-state search (every reachable
/// state, senders doing transfers forever, so any number of transfers), under sequential
/// consistency or under `lkmm-nolb`; the small ones are made again by the CLI tests, the 2 × 2
/// ones by `make prove` and `make bench-long`.
enum FixEvidence {
    /// One configuration at which `fixed` keeps every property.
    struct Proof: Equatable {
        let cpus: Int
        let buffers: Int
        let core: CoreVersion
        /// States stored, up to renaming of CPUs and buffers.
        let states: Int
        /// The command that makes the proof again.
        let command: String
        /// The memory model it holds under.
        var memoryModel = "sequential consistency (sc)"

        var configuration: String { "\(cpus) CPU\(cpus == 1 ? "" : "s") x \(buffers) buffer\(buffers == 1 ? "" : "s"), \(core) core" }
    }

    static let proofs: [Proof] = [
        Proof(cpus: 2, buffers: 2, core: .current, states: 7_998_912, command: "make prove"),
        Proof(cpus: 2, buffers: 1, core: .current, states: 18_857, command: "scmi-check check --variant fixed --cpus 2 --buffers 1 --exhaustive"),
        Proof(cpus: 1, buffers: 2, core: .current, states: 106_127, command: "scmi-check check --variant fixed --cpus 1 --buffers 2 --exhaustive"),
        Proof(cpus: 2, buffers: 2, core: .current, states: 28_084_713,
              command: "scmi-check check --variant fixed --exhaustive --memory-model lkmm-nolb",
              memoryModel: "the Linux-kernel memory model without load buffering (lkmm-nolb)"),
    ]

    /// The memory model of the interleavings the reports show.
    static let memoryModel = "sequential consistency (sc)"

    /// The stress run the Makefile's `stress` target makes of the implementation of `fixed`.
    static let stress = "make stress runs scmi-stress --variant fixed --threads 2 --seconds 20 --shutdown --inject-add-sgs-failures 5 on real threads (chan_free racing the traffic, add_sgs failing) and fails on any violation"
}
