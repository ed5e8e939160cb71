import TransitionSystems
import TransportSpec
import Vocabulary

/// The action names of each process of the transport spec for one variant: the steps an
/// actor of the implementation may be at the beginning of, when a replay has no trace
/// step to look ahead to.
enum SpecActions {
    /// Process name (`sender`, `irq`, `worker`) to action names, for the variant called `variant`.
    static func of(variant: String, cpus: Int, buffers: Int, core: String) -> [String: [String]] {
        guard let transportVariant = Variant(rawValue: variant) else { return [:] }
        let configuration = TransportConfiguration(cpus: cpus, buffers: buffers, variant: transportVariant,
                                                   core: CoreVersion(rawValue: core) ?? .current)
        var result: [String: [String]] = [:]
        for process in TransportSpec.make(configuration).processes {
            result[process.name] = process.actions.map(\.name)
        }
        return result
    }

    /// Per process, action name to what the action does in the spec's words, for the variant called `variant`.
    static func docs(variant: String, cpus: Int, buffers: Int, core: String) -> [String: [String: String]] {
        guard let transportVariant = Variant(rawValue: variant) else { return [:] }
        let configuration = TransportConfiguration(cpus: cpus, buffers: buffers, variant: transportVariant,
                                                   core: CoreVersion(rawValue: core) ?? .current)
        var result: [String: [String: String]] = [:]
        for process in TransportSpec.make(configuration).processes {
            result[process.name] = Dictionary(process.actions.map { ($0.name, $0.doc) }, uniquingKeysWith: { first, _ in first })
        }
        return result
    }
}
