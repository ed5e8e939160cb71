import TransitionSystems

/// A bounded ring buffer of two slots with one producer and one consumer.
///
/// The correct buffer produces only while `count < 2`, so it never writes a full slot.
/// The overflowing one checks `count < 3`: by hand, three `produce` steps in a row are
/// the shortest way to write a full slot (the third write lands on slot 0 again), so
/// `no-overwrite` fails at depth 3, and `count-bounded` (count <= 2) at the same depth.
enum RingBuffer {
    static let fixture = Fixture(
        name: "ring-buffer",
        summary: "A two-slot ring buffer with a producer and a consumer (correct).",
        spec: spec(limit: 2, name: "ring-buffer"),
        expectations: ["no-overwrite": .holds, "count-bounded": .holds, "count-matches-slots": .holds]
    )

    static let overflowingFixture = Fixture(
        name: "ring-buffer-overflow",
        summary: "The same ring buffer whose producer checks against the wrong capacity (broken).",
        spec: spec(limit: 3, name: "ring-buffer-overflow"),
        expectations: ["no-overwrite": .violated(depth: 3), "count-bounded": .violated(depth: 3),
                       "count-matches-slots": .violated(depth: 3)]
    )

    static let position = Domain.range("Position", 0...1)
    static let occupancy = Domain.range("Count", 0...3)
    static let contents = Domain.enumeration("Slot", ["EMPTY", "FULL"])

    static func spec(limit: Int, name: String) -> Spec {
        let slot = Variable("slot", contents, indexedBy: position, initial: contents["EMPTY"], doc: "Each slot's contents.")
        let head = Variable("head", position, initial: 0, doc: "Next slot to consume.")
        let tail = Variable("tail", position, initial: 0, doc: "Next slot to fill.")
        let count = Variable("count", occupancy, initial: 0, doc: "Items in the buffer, as the producer and consumer see it.")
        let overwritten = Variable("overwritten", .boolean, initial: false, doc: "A full slot was written (ghost).")
        func next(_ p: Expr) -> Expr { .ite(p == 1, then: 0, else: 1) }
        return Spec(name, doc: "A ring buffer of two slots.") {
            slot
            head
            tail
            count
            overwritten
            Process("producer") { _ in
                Step("produce") {
                    Guard(count.value < Expr.number(limit))
                    slot[tail.value] <- contents["FULL"]
                    tail.value <- next(tail.value)
                    count.value <- count.value + 1
                    If(slot[tail.value] == contents["FULL"]) { overwritten.value <- true }
                }
            }
            Process("consumer") { _ in
                Step("consume") {
                    Guard(count.value > 0)
                    slot[head.value] <- contents["EMPTY"]
                    head.value <- next(head.value)
                    count.value <- count.value - 1
                }
            }
            Invariant("no-overwrite", "The producer never writes a slot that still holds an item.") {
                overwritten.value == false
            }
            Invariant("count-bounded", "The buffer never holds more items than it has slots.") {
                count.value <= 2
            }
            Invariant("count-matches-slots", "The count equals the number of full slots.") {
                count.value == .count("p", in: position) { slot[$0] == contents["FULL"] }
            }
        }
    }
}
