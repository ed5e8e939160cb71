import Checking
import MemoryModel
import TransitionSystems

/// One litmus test answered twice, by the axiomatic LKMM (`Sources/MemoryModel`) and by the
/// operational `lkmm-nolb` model (the test as a spec, transformed, explored by the explicit
/// engine), with the final outcomes each allows.
///
/// An outcome is the final value of every register and location. `lkmm-nolb` must allow exactly the
/// outcomes of the LKMM executions whose program order and reads-from are acyclic: an outcome
/// only LKMM allows must have no such execution (load buffering); an outcome only the operational
/// model allows would be a spurious counterexample.
public struct LitmusComparison: Sendable {
    public let name: String
    /// The file's `Result:` word.
    public let expected: String?
    /// herd7's answer under LKMM (Always, Sometimes, Never).
    public let lkmm: String
    /// The answer under `lkmm-nolb`, from the outcomes the explicit engine reached.
    public let operational: String
    /// The explicit engine's verdict on "the final clause is never reached".
    public let engineVerdict: Verdict
    /// Outcomes both allow.
    public let common: Int
    /// Outcomes only LKMM allows, every execution of which has a po ∪ rf cycle.
    public let loadBuffering: [String]
    /// Outcomes only LKMM allows that have an execution without such a cycle: a fault of the model.
    public let missing: [String]
    /// Outcomes LKMM forbids that the operational model reaches: a fault of the model.
    public let spurious: [String]
    /// States the explicit engine stored.
    public let states: Int

    /// Whether the operational model allows what its name says, and nothing LKMM forbids.
    public var isFaithful: Bool { missing.isEmpty && spurious.isEmpty }

    /// Compares the two models on `test`.
    public static func compare(_ test: LitmusTest) throws -> LitmusComparison {
        let reference = try LitmusChecker().check(test)
        var lkmmOutcomes: [String: Bool] = [:]
        for execution in try LitmusChecker().allowedExecutions(test) {
            let key = outcomeKey(registers: execution.registers.flatMap { thread, values in
                values.map { (LitmusSpec.registerName(thread, $0.key), $0.value.description) }
            }, memory: execution.memory.map { ($0.key, $0.value.description) })
            let acyclic = (execution.execution.po | execution.execution.rf).isAcyclic
            lkmmOutcomes[key] = (lkmmOutcomes[key] ?? false) || acyclic
        }
        let spec = try LitmusSpec.make(test)
        let system = try TransitionSystem(try WeakMemoryTransformation(spec).transformed())
        let run = try ExplicitStateChecker(system: system, options: CheckOptions(maxStates: 2_000_000))
            .check([LitmusSpec.invariantName, WeakMemoryTransformation.historyBoundInvariant])
        guard run.first(where: { $0.invariant == WeakMemoryTransformation.historyBoundInvariant })?.verdict == .proved else {
            throw WeakMemoryError("\(test.name): a weak history overflowed")
        }
        let verdict = run.first { $0.invariant == LitmusSpec.invariantName }!.verdict
        let (reached, states) = try finalOutcomes(system, test)
        let satisfied = reached.values.filter { $0 }.count
        let operational = satisfied == 0 ? "Never" : (satisfied == reached.count ? "Always" : "Sometimes")
        let onlyLKMM = lkmmOutcomes.keys.filter { reached[$0] == nil }.sorted()
        return LitmusComparison(
            name: test.name, expected: test.expected, lkmm: reference.answer.rawValue, operational: operational,
            engineVerdict: verdict, common: reached.keys.filter { lkmmOutcomes[$0] != nil }.count,
            loadBuffering: onlyLKMM.filter { lkmmOutcomes[$0] == false }, missing: onlyLKMM.filter { lkmmOutcomes[$0] == true },
            spurious: reached.keys.filter { lkmmOutcomes[$0] == nil }.sorted(), states: states)
    }

    static func outcomeKey(registers: [(String, String)], memory: [(String, String)]) -> String {
        (registers + memory).sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }

    /// Every final outcome the transformed spec reaches, with whether it satisfies the clause.
    private static func finalOutcomes(_ system: TransitionSystem, _ test: LitmusTest) throws -> ([String: Bool], Int) {
        let interpreter = Interpreter(system)
        let layout = system.layout
        let doneSlots = test.threads.map { layout.variable(named: "P\($0.index)_pc")! }
        let registerNames = system.spec.variables.map(\.name).filter { $0.hasPrefix("P") && $0.contains(":") }
        let locations = test.initialMemory.keys.filter { !LitmusSpec.lockLocations(test).contains($0) }
        let clause = system.invariants.firstIndex { $0.name == LitmusSpec.invariantName }!
        var seen: Set<State> = []
        var frontier = try interpreter.initialStates()
        var outcomes: [String: Bool] = [:]
        seen.formUnion(frontier)
        while let state = frontier.popLast() {
            let finished = doneSlots.allSatisfy { v in
                let slot = layout.offsets[v]
                return state.valueName(ofSlot: slot, in: layout) == "done"
            }
            if finished {
                func value(_ name: String) -> String { state.valueName(ofSlot: layout.offsets[layout.variable(named: name)!], in: layout) }
                let key = outcomeKey(registers: registerNames.map { ($0, value($0)) }, memory: locations.map { ($0, value($0)) })
                outcomes[key] = try !interpreter.holds(clause, in: state)
            }
            for (_, next) in try interpreter.successors(of: state) where seen.insert(next).inserted { frontier.append(next) }
        }
        return (outcomes, seen.count)
    }
}
