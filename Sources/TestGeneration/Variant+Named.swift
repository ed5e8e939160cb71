import Traces
import VirtioSCMI
import Vocabulary

extension Variant {
    /// The variant called `name`, or an error naming the variants there are.
    static func named(_ name: String?) throws -> Variant {
        guard let name else { throw TraceError.inconsistent("the trace names no variant in #meta.variant; give one") }
        guard let variant = Variant(rawValue: name) else {
            throw TraceError.inconsistent("the implementation has no variant '\(name)'; known variants: \(Variant.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return variant
    }
}
