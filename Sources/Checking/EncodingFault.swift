/// A deliberate mistake in the symbolic encoding, for tests that show the counterexample validator catches it.
///
/// Never set outside tests: with a fault, the solver's models describe runs the spec does
/// not have, and every counterexample built from them must fail validation.
enum EncodingFault: Sendable, Equatable {
    /// Slot `slot` keeps no value between steps: when no instance writes it, its next value is unconstrained.
    case dropFrame(slot: Int)
    /// Instance `instance` no longer writes slot `slot`; the slot keeps its value instead.
    case ignoreWrite(instance: Int, slot: Int)
}
