import Fixtures
import TransitionSystems
import XCTest

final class FootprintTests: XCTestCase {
    func testIndependentInstancesCommuteAndNeitherEnablesNorDisablesTheOtherOnEveryReachableStateOfTheFixtures() throws {
        for fixture in Fixtures.all {
            try assertIndependenceIsSound(try TransitionSystem(fixture.spec), name: fixture.name)
        }
    }

    func testIndependentInstancesCommuteOnEveryReachableStateOfRandomSystems() throws {
        for seed in UInt64(1)...40 {
            try assertIndependenceIsSound(try TransitionSystem(RandomSystems.spec(seed: seed)), name: "random system \(seed)")
        }
    }

    func testAnInstanceWritingAnArrayAtADynamicIndexWritesEveryElement() throws {
        let buffer = Domain.instances("Msg", count: 2, prefix: "msg")
        let held = Variable("held", buffer.optional, initial: buffer.none)
        let status = Variable("status", .boolean, indexedBy: buffer, initial: false)
        let spec = Spec("dynamic") {
            held
            status
            Process("p") { _ in Step("mark") { status[held.value] <- true } }
        }
        let system = try TransitionSystem(spec)
        let footprint = Footprint(system.instances[0])
        XCTAssertEqual(footprint.writes, Set(system.layout.slots.indices.filter { system.layout.slots[$0].name.hasPrefix("status") }))
        XCTAssertTrue(footprint.reads.contains(0), "the index is read")
    }

    /// Checks, on every reachable state, what ``Footprint/isIndependent(of:)`` promises.
    private func assertIndependenceIsSound(_ system: TransitionSystem, name: String) throws {
        let interpreter = Interpreter(system)
        let footprints = system.footprints
        var seen = Set<[UInt8]>()
        var frontier = try interpreter.initialStates()
        var checkedPairs = 0
        while let state = frontier.popLast() {
            guard seen.insert(state.slots).inserted else { continue }
            for a in system.instances.indices {
                guard let afterA = try? interpreter.successor(of: state, by: a) else { continue }
                for b in system.instances.indices where b != a && footprints[a].isIndependent(of: footprints[b]) {
                    let bBefore = try? interpreter.successor(of: state, by: b)
                    let bAfter = try? interpreter.successor(of: afterA, by: b)
                    XCTAssertEqual(bBefore == nil, bAfter == nil,
                                   "\(name): firing \(system.instances[a].label) changes whether \(system.instances[b].label) is enabled")
                    if let bBefore, let bAfter {
                        let ab = bAfter
                        let ba = try? interpreter.successor(of: bBefore, by: a)
                        XCTAssertEqual(ab.slots, ba?.slots, "\(name): \(system.instances[a].label) and \(system.instances[b].label) do not commute")
                        checkedPairs += 1
                    }
                }
                frontier.append(afterA)
            }
        }
        XCTAssertGreaterThan(checkedPairs + seen.count, 0, "\(name): nothing was explored")
    }
}
