import TransitionSystems

/// Rewrites a spec with weak variables into a sequentially consistent spec whose runs are the
/// runs of the original under the memory model `lkmm-nolb`; every engine then checks it unchanged.
///
/// The operational model, per weak element (one element of a weak variable):
/// - a *history*: the writes still readable, in coherence order, at most ``WeakMemoryDeclaration/history``;
///   a write is inserted anywhere after the last write its thread has seen (so coherence order need
///   not follow the order writes execute in); the original variable keeps the coherence-last value,
///   which invariants read;
/// - per thread (process instance) a *view*: the position of the latest write of each element it has
///   read or written (`cur`); a read takes any write at or after it. `acq` collects the views that
///   the writes it read carried (for `smp_rmb`), `own` its own writes (for `smp_wmb` and
///   `po-unlock-lock-po`), `wrel` the view its next plain write carries;
/// - each write carries a *message view*: the writer's `cur` for a release, its `wrel` otherwise;
///   an acquire read joins it into `cur`, any read into `acq`; `smp_rmb` joins `acq` into `cur`;
///   `smp_wmb` joins `own` into `wrel`; `smp_mb` joins `acq` and a global view `G` into `cur`, then
///   sets `G` and `wrel` to `cur` (its strong, A-cumulative ordering);
/// - a synchronisation object (lock, coherent flag) carries the view of its last releaser;
///   `spin_lock` joins it into `cur` and `acq`, and the pair `spin_unlock … spin_lock` orders the
///   thread's earlier reads before its later ones (`acq` at the unlock joins `cur`) and its earlier
///   writes before its later writes, also when the lock is taken by another CPU (the unlocker's
///   `own` joins the taker's `wrel`) — linux-kernel.cat's `po-unlock-lock-po` at v6.12.
///
/// Steps run in an interleaving, so a read only takes a write that already executed: program
/// order and reads-from together stay acyclic, which is what the name's "nolb" says is omitted.
///
/// A write that would overflow a full history sets the ghost flag `weak.overflow` instead; every
/// step is disabled from then on, every invariant holds there, and the added invariant
/// `history-bound` (`!weak.overflow`) is violated: a front end must then not report a proof.
public struct WeakMemoryTransformation {
    /// The name of the invariant a run must also keep for its proofs to count.
    public static let historyBoundInvariant = "history-bound"
    /// The ghost flag set when a history overflows.
    public static let overflowFlag = "weak.overflow"

    let spec: Spec
    let declaration: WeakMemoryDeclaration
    let weakVariables: [Variable]
    let syncVariables: [Variable]
    let positions: Domain
    let features: Features

    /// Which view components the spec's annotations need.
    struct Features {
        var acq = false
        var own = false
        var wrel = false
        var global = false
        var locks = false
        var messageViews = false
    }

    /// One element of a weak variable: its variable, and the index value (nil for a scalar).
    struct Element: Hashable {
        let variable: String
        let index: String?
        var suffix: String { index.map { "\(variable).\($0)" } ?? variable }
    }

    public init(_ spec: Spec) throws {
        guard let declaration = spec.weakMemory else {
            throw WeakMemoryError("spec \(spec.name) declares no weak variables")
        }
        guard declaration.history >= 2, declaration.history <= 8 else {
            throw WeakMemoryError("a history bound must be 2 to 8, not \(declaration.history)")
        }
        self.spec = spec
        self.declaration = declaration
        func lookup(_ names: [String]) throws -> [Variable] {
            try names.map { name in
                guard let v = spec.variables.first(where: { $0.name == name }) else {
                    throw WeakMemoryError("'\(name)' is declared weak or sync but is no variable of \(spec.name)")
                }
                return v
            }
        }
        weakVariables = try lookup(declaration.weak)
        syncVariables = try lookup(declaration.sync)
        positions = Domain.range("WeakPosition", 0...(declaration.history - 1))
        var f = Features()
        for access in spec.actions.flatMap(\.accesses) {
            switch access {
            case .fence(.rmb): f.acq = true
            case .fence(.wmb): f.own = true; f.wrel = true
            case .fence(.mb), .fence(.afterSpinlock): f.acq = true; f.global = true; f.wrel = true
            case .lock, .unlock: f.locks = true; f.acq = true; f.own = true; f.wrel = true
            case .write(_, .release): f.messageViews = true
            default: break
            }
        }
        if f.wrel { f.messageViews = true }
        features = f
    }

    // MARK: - Names of the added variables

    var elements: [Element] {
        weakVariables.flatMap { v in
            v.index.map { $0.valueNames.map { Element(variable: v.name, index: $0) } } ?? [Element(variable: v.name, index: nil)]
        }
    }

    func historyValue(_ v: String, _ slot: Int) -> String { Self.historyValueName(v, slot) }
    func historyLength(_ v: String) -> String { Self.historyLengthName(v) }
    func messageView(_ v: String, _ slot: Int, _ of: Element) -> String { "\(v)@\(slot).view.\(of.suffix)" }
    func threadView(_ component: String, _ process: String, _ of: Element) -> String { "\(process).\(component).\(of.suffix)" }
    func syncView(_ component: String, _ s: String, _ of: Element) -> String { "\(s).\(component).\(of.suffix)" }
    func globalView(_ of: Element) -> String { "weak.global.\(of.suffix)" }

    /// The thread-view components the features need.
    var threadComponents: [String] {
        var c = ["cur"]
        if features.acq { c.append("acq") }
        if features.own { c.append("own") }
        if features.wrel { c.append("wrel") }
        if features.locks { c += ["ul-acq", "ul-own"] }
        return c
    }

    var syncComponents: [String] { features.locks ? ["view", "own"] : ["view"] }

    /// The processes that keep views: those with any weak annotation.
    var threads: [Process] { spec.processes.filter { p in p.actions.contains { !$0.accesses.isEmpty } } }

    // MARK: - The transformed spec

    /// The sequentially consistent spec that runs the original under `lkmm-nolb`.
    public func transformed() throws -> Spec { try transformedWithReads().spec }

    /// The transformed spec, and where each action's weak read is (for explaining counterexamples).
    public func transformedWithReads() throws -> (spec: Spec, reads: [String: ReadSite]) {
        var reads: [String: ReadSite] = [:]
        var out = spec
        out.weakMemory = nil
        // Per-element variables (one per value of a weak variable's index) break the renaming of
        // that index domain; process instances keep theirs.
        let broken = Set(weakVariables.compactMap(\.index?.name))
        out.symmetric = spec.symmetric.filter { !broken.contains($0.name) }
        out.variables = spec.variables + addedVariables()
        var indexDomains: [String: Domain] = [:]
        for v in out.variables { if let i = v.index { indexDomains[v.name] = i } }
        out.initially = spec.initially + addedInitialConditions()
        var problems: [String] = []
        out.processes = spec.processes.map { process in
            Process(rebuilding: process, actions: process.actions.map { action in
                do {
                    let (rewritten, site) = try transform(action, of: process, indexDomains: indexDomains)
                    if let site { reads[action.qualifiedName] = site }
                    return rewritten
                } catch let error as WeakMemoryError {
                    problems.append("action '\(action.qualifiedName)': \(error.message)")
                } catch {}
                return action
            })
        }
        guard problems.isEmpty else { throw WeakMemoryError(problems.joined(separator: "\n")) }
        let overflow = Expr.variable(Self.overflowFlag)
        out.invariants = spec.invariants.map { invariant in
            let condition = overflow || invariant.condition
            switch invariant.role {
            case .invariant: return Invariant(invariant.name, invariant.doc) { condition }
            case .lemma: return Invariant.lemma(invariant.name, invariant.doc) { condition }
            }
        } + [Invariant(Self.historyBoundInvariant,
                       "No weak element needed more than \(declaration.history) writes in its history (else the run is no proof).") { !overflow }]
        return (out, reads)
    }

    private func addedVariables() -> [Variable] {
        var added: [Variable] = []
        let H = declaration.history
        let lengths = Domain.range("WeakLength", 1...H)
        for v in weakVariables {
            added.append(copy(v, named: historyValue(v.name, 0), domain: v.domain, sameInitial: true))
            for slot in 1..<H {
                added.append(copy(v, named: historyValue(v.name, slot), domain: v.domain, initial: defaultValue(v.domain)))
            }
            added.append(copy(v, named: historyLength(v.name), domain: lengths, initial: 1))
            if features.messageViews {
                for slot in 0..<H { for e in elements { added.append(copy(v, named: messageView(v.name, slot, e), domain: positions, initial: 0)) } }
            }
        }
        for p in threads {
            for component in threadComponents {
                for e in elements {
                    let name = threadView(component, p.name, e)
                    if let instance = p.instance {
                        added.append(Variable(name, positions, indexedBy: instance.domain, initial: 0, doc: "Weak-memory view (\(component)) of each \(p.name) on \(e.suffix)."))
                    } else {
                        added.append(Variable(name, positions, initial: 0, doc: "Weak-memory view (\(component)) of \(p.name) on \(e.suffix)."))
                    }
                }
            }
        }
        for s in syncVariables {
            for component in syncComponents {
                for e in elements { added.append(copy(s, named: syncView(component, s.name, e), domain: positions, initial: 0)) }
            }
        }
        if features.global {
            for e in elements { added.append(Variable(globalView(e), positions, initial: 0, doc: "The view every smp_mb so far published.")) }
        }
        added.append(Variable(Self.overflowFlag, .boolean, initial: false, doc: "A weak history overflowed: the run stopped and proves nothing."))
        return added
    }

    private func copy(_ v: Variable, named name: String, domain: Domain, sameInitial: Bool = false, initial: Expr = 0) -> Variable {
        let doc = "Weak memory of \(v.name)."
        if sameInitial {
            switch v.initial {
            case .value(let e):
                return v.index.map { Variable(name, domain, indexedBy: $0, initial: e, doc: doc) } ?? Variable(name, domain, initial: e, doc: doc)
            case .each(let binder, let e):
                return Variable(name, domain, indexedBy: v.index!, doc: doc) { i in e.substituting(binder, with: i) }
            case .any:
                return Variable(name, domain, indexedBy: v.index, arbitraryInitialValue: (), doc: doc)
            }
        }
        return v.index.map { Variable(name, domain, indexedBy: $0, initial: initial, doc: doc) } ?? Variable(name, domain, initial: initial, doc: doc)
    }

    private func addedInitialConditions() -> [Expr] {
        var conditions: [Expr] = []
        for v in weakVariables {
            guard case .any = v.initial else { continue }
            if let index = v.index {
                for i in index.valueNames {
                    conditions.append(Expr.element(historyValue(v.name, 0), index[i]) == v[index[i]])
                }
            } else {
                conditions.append(Expr.variable(historyValue(v.name, 0)) == v.value)
            }
        }
        return conditions
    }
}
