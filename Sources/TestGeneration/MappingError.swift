/// Why a trace step has no counterpart in the implementation.
struct MappingError: Error, Equatable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
