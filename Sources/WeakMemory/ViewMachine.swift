import TransitionSystems

/// The weak-memory effect of one step, built as expressions over the state before the step.
///
/// Each operation (acquire, read, write, fence, release, reset) reads the values the previous
/// operations left and records new ones; ``updates()`` turns what changed into the step's
/// simultaneous assignments. Keys name one slot: a variable and, for an array, one index value.
struct ViewMachine {
    let t: WeakMemoryTransformation
    let process: Process
    /// Whether the process keeps views (it has weak annotations).
    let isThread: Bool
    private var values: [Key: Expr] = [:]
    private var order: [Key] = []
    private var overflow: Expr?

    struct Key: Hashable {
        let name: String
        let index: String?
    }

    /// The index domain of every array variable of the transformed spec.
    let indexDomains: [String: Domain]

    init(transformation: WeakMemoryTransformation, process: Process, isThread: Bool, indexDomains: [String: Domain]) {
        self.t = transformation
        self.process = process
        self.isThread = isThread
        self.indexDomains = indexDomains
    }

    // MARK: - Slots

    private func original(_ key: Key, _ domain: Domain?) -> Expr {
        if let index = key.index, let domain { return .element(key.name, domain[index]) }
        return .variable(key.name)
    }

    private func get(_ name: String, _ index: String?, in domain: Domain?) -> Expr {
        let key = Key(name: name, index: index)
        return values[key] ?? original(key, domain)
    }

    private mutating func set(_ name: String, _ index: String?, _ value: Expr) {
        let key = Key(name: name, index: index)
        if values[key] == nil { order.append(key) }
        values[key] = value
    }

    /// `f(value)` chosen by `index` among a domain's values (the last is the default).
    private func select(_ domain: Domain?, _ index: Expr?, fallback: Expr? = nil, _ f: (String?) -> Expr) -> Expr {
        guard let domain, let index else { return f(nil) }
        let names = domain.valueNames
        var result = fallback ?? f(names.last!)
        for name in (fallback == nil ? names.dropLast() : names[...]).reversed() { result = .ite(index == domain[name], f(name), result) }
        return result
    }

    private func elementsOf(_ v: Variable) -> [WeakMemoryTransformation.Element] {
        t.elements.filter { $0.variable == v.name }
    }

    // MARK: - This thread's views

    private var selfExpr: Expr? { process.instance.map { .parameter($0.name) } }

    private func view(_ component: String, _ e: WeakMemoryTransformation.Element) -> Expr {
        guard isThread, t.threadComponents.contains(component) else { return 0 }
        let name = t.threadView(component, process.name, e)
        return select(process.instance?.domain, selfExpr) { get(name, $0, in: process.instance?.domain) }
    }

    private mutating func setView(_ component: String, _ e: WeakMemoryTransformation.Element, _ value: Expr) {
        guard isThread, t.threadComponents.contains(component) else { return }
        let name = t.threadView(component, process.name, e)
        if let instance = process.instance {
            for i in instance.domain.valueNames {
                set(name, i, .ite(selfExpr! == instance.domain[i], value, get(name, i, in: instance.domain)))
            }
        } else {
            set(name, nil, value)
        }
    }

    /// This thread's view component on the element `index` of `v`.
    func element(_ v: Variable, _ index: Expr?, _ component: String) -> Expr {
        select(v.index, index) { i in view(component, .init(variable: v.name, index: i)) }
    }

    /// The history length of the element `index` of `v`.
    func length(_ v: Variable, _ index: Expr?) -> Expr {
        select(v.index, index) { i in get(t.historyLength(v.name), i, in: v.index) }
    }

    /// The value of history slot `slot` of the element `index` of `v`.
    func historyValue(_ v: Variable, _ index: Expr?, _ slot: Expr) -> Expr {
        select(v.index, index) { i in
            var result = get(t.historyValue(v.name, t.declaration.history - 1), i, in: v.index)
            for s in (0..<(t.declaration.history - 1)).reversed() {
                result = .ite(slot == .number(s), get(t.historyValue(v.name, s), i, in: v.index), result)
            }
            return result
        }
    }

    /// The view component on `u` carried by history slot `slot` of the element `index` of `v`.
    private func messageView(_ v: Variable, _ index: Expr?, _ slot: Expr, _ u: WeakMemoryTransformation.Element) -> Expr {
        guard t.features.messageViews else { return 0 }
        return select(v.index, index) { i in
            var result = get(t.messageView(v.name, t.declaration.history - 1, u), i, in: v.index)
            for s in (0..<(t.declaration.history - 1)).reversed() {
                result = .ite(slot == .number(s), get(t.messageView(v.name, s, u), i, in: v.index), result)
            }
            return result
        }
    }

    // MARK: - Operations

    /// Acquire (or lock) the synchronisation object `object`: join its view into `cur` and `acq`.
    mutating func acquire(_ object: Expr, lock: Bool) throws {
        let (s, index) = try syncObject(object)
        for e in t.elements {
            let carried = select(s.index, index, fallback: 0) { f in get(t.syncView("view", s.name, e), f, in: s.index) }
            setView("cur", e, maximum(view("cur", e), carried))
            setView("acq", e, maximum(view("acq", e), carried))
        }
        guard lock else { return }
        for e in t.elements {
            // po-unlock-lock-po: earlier reads before later ones; earlier writes (this thread's, or
            // the unlocker's when the lock comes from another CPU) before later writes.
            setView("cur", e, maximum(view("cur", e), view("ul-acq", e)))
            let unlockerOwn = select(s.index, index, fallback: 0) { f in get(t.syncView("own", s.name, e), f, in: s.index) }
            setView("wrel", e, maximum(view("wrel", e), maximum(view("ul-own", e), unlockerOwn)))
        }
    }

    /// Release (or unlock) `object` where `condition` holds: it carries this thread's `cur` (and
    /// `own`, for the next locker).
    mutating func release(_ object: Expr, unlock: Bool, condition: Expr) throws -> String {
        let (s, index) = try syncObject(object)
        let stored = storedViews { component, e in component == "view" ? view("cur", e) : view("own", e) }
        storeSyncView(s, index, condition: condition, stored)
        if unlock {
            for e in t.elements {
                setView("ul-acq", e, .ite(condition, view("acq", e), view("ul-acq", e)))
                setView("ul-own", e, .ite(condition, view("own", e), view("ul-own", e)))
            }
        }
        return s.name
    }

    /// A read of `object` that is no acquire: the view it carries joins `acq`, for a later `smp_rmb`.
    mutating func observe(_ object: Expr) throws {
        guard t.features.acq else { return }
        let (s, index) = try syncObject(object)
        for e in t.elements {
            let carried = select(s.index, index, fallback: 0) { f in get(t.syncView("view", s.name, e), f, in: s.index) }
            setView("acq", e, maximum(view("acq", e), carried))
        }
    }

    /// A write to a synchronisation object that is no release: it carries only the view of this
    /// thread's ordered earlier writes (`wrel`), or none.
    mutating func plainSyncWrite(_ name: String, _ index: Expr?, condition: Expr) {
        let s = t.syncVariables.first { $0.name == name }!
        let stored = storedViews { component, e in component == "view" ? view("wrel", e) : 0 }
        storeSyncView(s, index, condition: condition, stored)
    }

    private func storedViews(_ value: (String, WeakMemoryTransformation.Element) -> Expr) -> [String: Expr] {
        var result: [String: Expr] = [:]
        for component in t.syncComponents { for e in t.elements { result["\(component)|\(e.suffix)"] = value(component, e) } }
        return result
    }

    private mutating func storeSyncView(_ s: Variable, _ index: Expr?, condition: Expr, _ stored: [String: Expr]) {
        let targets: [String?] = s.index.map { $0.valueNames.map { Optional($0) } } ?? [nil]
        for component in t.syncComponents {
            for e in t.elements {
                let new = stored["\(component)|\(e.suffix)"]!
                for f in targets {
                    let here = s.index.map { condition && index! == $0[f!] } ?? condition
                    let name = t.syncView(component, s.name, e)
                    set(name, f, .ite(here, new, get(name, f, in: s.index)))
                }
            }
        }
    }

    private func syncObject(_ object: Expr) throws -> (Variable, Expr?) {
        let (name, index): (String, Expr?)
        switch object {
        case .variable(let n): (name, index) = (n, nil)
        case .element(let n, let i): (name, index) = (n, i)
        default: throw WeakMemoryError("\(object) is no synchronisation object")
        }
        guard let s = t.syncVariables.first(where: { $0.name == name }) else {
            throw WeakMemoryError("'\(name)' is acquired or released but not declared sync")
        }
        return (s, index)
    }

    /// Read history slot `slot` of the element `index` of `v` when `condition` holds.
    mutating func read(_ v: Variable, _ index: Expr?, slot: Expr, kind: AccessKind, condition: Expr) {
        let carried = t.elements.map { messageView(v, index, slot, $0) }
        for e in elementsOf(v) {
            let here = e.index.map { condition && index! == v.index![$0] } ?? condition
            setView("cur", e, .ite(here, slot, view("cur", e)))
        }
        guard t.features.messageViews else { return }
        for (u, mv) in zip(t.elements, carried) {
            setView("acq", u, .ite(condition, maximum(view("acq", u), mv), view("acq", u)))
            if kind == .acquire { setView("cur", u, .ite(condition, maximum(view("cur", u), mv), view("cur", u))) }
        }
    }

    /// Insert a write of `value` at `position` into the history of the element `index` of `v`
    /// when `condition` holds (the caller has checked that it fits).
    mutating func write(_ v: Variable, _ index: Expr?, position: Expr, value: Expr, kind: AccessKind, condition: Expr) {
        let H = t.declaration.history
        let carried: [Expr] = t.elements.map { u in kind == .release ? view("cur", u) : view("wrel", u) }
        for e in elementsOf(v) {
            let here = e.index.map { condition && index! == v.index![$0] } ?? condition
            let oldLength = get(t.historyLength(v.name), e.index, in: v.index)
            // Every view on this element at or after the insertion point moves up by one.
            shiftViews(on: e) { x in .ite(here && x >= position, x + 1, x) }
            let values = (0..<H).map { get(t.historyValue(v.name, $0), e.index, in: v.index) }
            for j in 1..<H {
                let inserted: Expr = .ite(.number(j) > oldLength, defaultValue(v.domain),
                                          .ite(position > .number(j), values[j], .ite(position == .number(j), value, values[j - 1])))
                set(t.historyValue(v.name, j), e.index, .ite(here, inserted, values[j]))
            }
            if t.features.messageViews {
                for (u, new) in zip(t.elements, carried) {
                    let shiftedNew = u == e ? position : shifted(new, on: u, from: e, here: here, position: position)
                    let views = (0..<H).map { get(t.messageView(v.name, $0, u), e.index, in: v.index) }
                    for j in 1..<H {
                        let inserted: Expr = .ite(.number(j) > oldLength, 0,
                                                  .ite(position > .number(j), views[j], .ite(position == .number(j), shiftedNew, views[j - 1])))
                        set(t.messageView(v.name, j, u), e.index, .ite(here, inserted, views[j]))
                    }
                }
            }
            set(t.historyLength(v.name), e.index, .ite(here, oldLength + 1, oldLength))
            let mirror = e.index.map { Expr.element(v.name, v.index![$0]) } ?? .variable(v.name)
            set(v.name, e.index, .ite(here && position == oldLength, value, mirror))
            setView("cur", e, .ite(here, position, view("cur", e)))
            setView("own", e, .ite(here, position, view("own", e)))
        }
    }

    /// A view component `x` on `u`, after an insertion at `position` in element `e` (only `u == e` moves).
    private func shifted(_ x: Expr, on u: WeakMemoryTransformation.Element, from e: WeakMemoryTransformation.Element,
                         here: Expr, position: Expr) -> Expr {
        u == e ? .ite(here && x >= position, x + 1, x) : x
    }

    /// Applies `f` to every stored view component on element `e`: every thread's, every
    /// synchronisation object's, the global one, and every history slot's message view.
    private mutating func shiftViews(on e: WeakMemoryTransformation.Element, _ f: (Expr) -> Expr) {
        for p in t.threads {
            for component in t.threadComponents {
                let name = t.threadView(component, p.name, e)
                let instances: [String?] = p.instance.map { $0.domain.valueNames.map { Optional($0) } } ?? [nil]
                for i in instances { set(name, i, f(get(name, i, in: p.instance?.domain))) }
            }
        }
        for s in t.syncVariables {
            let targets: [String?] = s.index.map { $0.valueNames.map { Optional($0) } } ?? [nil]
            for component in t.syncComponents {
                let name = t.syncView(component, s.name, e)
                for f0 in targets { set(name, f0, f(get(name, f0, in: s.index))) }
            }
        }
        if t.features.global { set(t.globalView(e), nil, f(get(t.globalView(e), nil, in: nil))) }
        if t.features.messageViews {
            for w in t.weakVariables {
                let targets: [String?] = w.index.map { $0.valueNames.map { Optional($0) } } ?? [nil]
                for slot in 0..<t.declaration.history {
                    let name = t.messageView(w.name, slot, e)
                    for i in targets { set(name, i, f(get(name, i, in: w.index))) }
                }
            }
        }
    }

    /// A fence of this thread.
    mutating func fence(_ fence: Fence) {
        for e in t.elements {
            switch fence {
            case .rmb:
                setView("cur", e, maximum(view("cur", e), view("acq", e)))
            case .wmb:
                setView("wrel", e, maximum(view("wrel", e), view("own", e)))
            case .mb, .afterSpinlock:
                let joined = maximum(maximum(view("cur", e), view("acq", e)), get(t.globalView(e), nil, in: nil))
                setView("cur", e, joined)
                set(t.globalView(e), nil, joined)
                setView("wrel", e, joined)
            }
        }
    }

    /// Ghost reset of the element `index` of `v` to `value`: one write, seen by every thread.
    mutating func reset(_ v: Variable, _ index: Expr?, to value: Expr, condition: Expr) {
        for e in elementsOf(v) {
            let here = e.index.map { condition && index! == v.index![$0] } ?? condition
            shiftViews(on: e) { x in .ite(here, 0, x) }
            set(t.historyValue(v.name, 0), e.index, .ite(here, value, get(t.historyValue(v.name, 0), e.index, in: v.index)))
            for j in 1..<t.declaration.history {
                set(t.historyValue(v.name, j), e.index, .ite(here, defaultValue(v.domain), get(t.historyValue(v.name, j), e.index, in: v.index)))
            }
            if t.features.messageViews {
                for u in t.elements {
                    for j in 0..<t.declaration.history {
                        let name = t.messageView(v.name, j, u)
                        set(name, e.index, .ite(here, 0, get(name, e.index, in: v.index)))
                    }
                }
            }
            set(t.historyLength(v.name), e.index, .ite(here, 1, get(t.historyLength(v.name), e.index, in: v.index)))
            let mirror = e.index.map { Expr.element(v.name, v.index![$0]) } ?? .variable(v.name)
            set(v.name, e.index, .ite(here, value, get(v.name, e.index, in: v.index)))
            _ = mirror
        }
    }

    mutating func setOverflow(_ condition: Expr) {
        overflow = condition
    }

    /// The step's assignments for every slot an operation changed.
    func updates() -> [Update] {
        let domains = indexDomains
        var result = order.map { key in Update.assign(target: original(key, domains[key.name]), value: values[key]!) }
        if let overflow { result.append(.assign(target: .variable(WeakMemoryTransformation.overflowFlag), value: overflow)) }
        return result
    }
}

/// The value an unused history slot holds, so that states differing only there coincide.
func defaultValue(_ domain: Domain) -> Expr {
    switch domain.kind {
    case .boolean: return .bool(false)
    case .range: return .number(domain.lowerBound)
    default: return domain[domain.valueNames[0]]
    }
}
