import Fixtures
import TransitionSystems
import XCTest

final class InterpreterTests: XCTestCase {
    func testInitialStateTakesEachVariablesInitialValue() throws {
        let system = try TransitionSystem(try XCTUnwrap(Fixtures.named("buffer-pool")).spec)
        let states = try Interpreter(system).initialStates()
        XCTAssertEqual(states.count, 1)
        XCTAssertEqual(states[0].description(in: system.layout),
                       "in_pool = 1, refs = 0, holds[u0] = false, holds[u1] = false, user_pc[u0] = idle, user_pc[u1] = idle")
    }

    func testOnlyGuardedInstancesAreEnabledAndUpdatesReadThePreState() throws {
        let system = try TransitionSystem(try XCTUnwrap(Fixtures.named("ring-buffer")).spec)
        let interpreter = Interpreter(system)
        let initial = try interpreter.initialStates()[0]
        let successors = try interpreter.successors(of: initial)
        XCTAssertEqual(successors.map { system.instances[$0.instance].label }, ["produce"])
        let after = successors[0].state
        XCTAssertEqual(after.description(in: system.layout),
                       "slot[0] = FULL, slot[1] = EMPTY, head = 0, tail = 1, count = 1, overwritten = false")
    }

    func testArbitraryInitialValuesAreEnumeratedAndFilteredByInitialConstraints() throws {
        let count = Domain.range("Count", 0...3)
        let x = Variable("x", count, arbitraryInitialValue: ())
        let spec = Spec("any") {
            x
            Initially(x.value < 2)
        }
        let system = try TransitionSystem(spec)
        let states = try Interpreter(system).initialStates()
        XCTAssertEqual(states.map { $0.value(ofSlot: 0, in: system.layout) }, [0, 1])
    }

    func testDynamicIndexOutsideTheArrayIsARuntimeError() throws {
        let buffer = Domain.instances("Msg", count: 2, prefix: "msg")
        let held = Variable("held", buffer.optional, initial: buffer.none)
        let status = Variable("status", .boolean, indexedBy: buffer, initial: false)
        let spec = Spec("none-index") {
            held
            status
            Process("p") { _ in Step("touch") { status[held.value] <- true } }
        }
        let system = try TransitionSystem(spec)
        let interpreter = Interpreter(system)
        XCTAssertThrowsError(try interpreter.successors(of: try interpreter.initialStates()[0])) { error in
            XCTAssertTrue("\(error)".contains("outside the array"), "\(error)")
        }
    }

    func testEveryInstanceIsNamedByActorActionAndArguments() throws {
        let system = try TransitionSystem(try XCTUnwrap(Fixtures.named("mutex-peterson")).spec)
        let labels = system.instances.map { "\($0.actor) \($0.label)" }
        XCTAssertEqual(labels.first, "proc[p0] raise_flag")
        XCTAssertEqual(labels.count, 8)
        XCTAssertNotNil(system.instance(actor: "proc[p1]", action: "enter", arguments: [:]))
    }
}
