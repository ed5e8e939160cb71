import TransitionSystems

/// The rewriting of one action: its weak read takes a write from the history (a new parameter
/// picks which), its weak write is inserted into the history (a new parameter picks where), and
/// the views move as ``WeakMemoryTransformation`` describes, in this order: acquires and locks,
/// the read, the write, fences, releases and unlocks, ghost resets.
extension WeakMemoryTransformation {
    static let readParameter = "weak.read"
    static let writeParameter = "weak.write"

    /// A write of a weak variable found in an action's updates: where, what, and when it happens.
    struct WeakWrite {
        let variable: Variable
        let index: Expr?
        var value: Expr
        var condition: Expr
    }

    func transform(_ action: Action, of process: Process, indexDomains: [String: Domain]) throws -> (Action, ReadSite?) {
        var result = action
        let overflow = Expr.variable(Self.overflowFlag)
        result.guards.append(!overflow)
        let weakNames = Set(weakVariables.map(\.name))
        let syncNames = Set(syncVariables.map(\.name))

        // The weak read: at most one element per step.
        var readSites: [(variable: String, index: Expr?, condition: Expr)] = []
        for g in action.guards { readSites += g.reads(of: weakNames).map { ($0.variable, $0.index, Expr.bool(true)) } }
        var writes: [WeakWrite] = []
        let resetNames = Set(action.accesses.compactMap { access -> String? in
            guard case .reset(let target, _) = access else { return nil }
            switch target {
            case .variable(let n), .element(let n, _): return n
            default: return nil
            }
        })
        var resetConditions: [String: Expr] = [:]
        var syncReads: [(variable: String, index: Expr?)] = []
        var syncWrites: [(variable: String, index: Expr?, condition: Expr)] = []
        func scan(_ updates: [Update], _ condition: Expr) -> [Update] {
            updates.compactMap { update in
                switch update {
                case .assign(let target, let value):
                    readSites += value.reads(of: weakNames).map { ($0.variable, $0.index, condition) }
                    let (name, index): (String?, Expr?) = {
                        switch target {
                        case .variable(let n): return (n, nil)
                        case .element(let n, let i): return (n, i)
                        default: return (nil, nil)
                        }
                    }()
                    if let index { readSites += index.reads(of: weakNames).map { ($0.variable, $0.index, condition) } }
                    if let name, resetNames.contains(name) {
                        // The ghost reset stands for this assignment, under its condition.
                        resetConditions[name] = resetConditions[name].map { $0 || condition } ?? condition
                        return nil
                    }
                    if let name, weakNames.contains(name) {
                        let v = weakVariables.first { $0.name == name }!
                        if let k = writes.firstIndex(where: { $0.variable.name == name && "\($0.index.map { "\($0)" } ?? "")" == "\(index.map { "\($0)" } ?? "")" }) {
                            writes[k].value = .ite(condition, value, writes[k].value)
                            writes[k].condition = writes[k].condition || condition
                        } else {
                            writes.append(WeakWrite(variable: v, index: index, value: value, condition: condition))
                        }
                        return nil
                    }
                    if let name, syncNames.contains(name) { syncWrites.append((name, index, condition)) }
                    return update
                case .when(let c, let t, let e):
                    readSites += c.reads(of: weakNames).map { ($0.variable, $0.index, condition) }
                    return .when(c, then: scan(t, condition && c), otherwise: scan(e, condition && !c))
                case .goto:
                    return update
                }
            }
        }
        let updates = scan(action.updates, .bool(true))
        func collectSyncReads(_ e: Expr) { syncReads += e.reads(of: syncNames).map { ($0.variable, $0.index) } }
        for g in action.guards { collectSyncReads(g) }
        func collect(_ updates: [Update]) {
            for u in updates {
                switch u {
                case .assign(_, let value): collectSyncReads(value)
                case .when(let c, let t, let e): collectSyncReads(c); collect(t); collect(e)
                case .goto: break
                }
            }
        }
        collect(action.updates)
        guard Set(writes.map(\.variable.name)).count == writes.count else {
            throw WeakMemoryError("writes two elements of one weak variable in one step; split the step")
        }
        guard writes.count <= 1 else { throw WeakMemoryError("writes two weak variables in one step; split the step") }
        let readLocations = Set(readSites.map { "\($0.variable)[\($0.index.map { "\($0)" } ?? "")]" })
        guard readLocations.count <= 1 else {
            throw WeakMemoryError("reads more than one weak element (\(readLocations.sorted().joined(separator: ", "))); split the step")
        }
        for site in readSites where !action.accesses.contains(where: { if case .read(site.variable, _) = $0 { return true } else { return false } }) {
            throw WeakMemoryError("reads weak variable '\(site.variable)' without stating the kind (Reads)")
        }
        for w in writes where !action.accesses.contains(where: { if case .write(w.variable.name, _) = $0 { return true } else { return false } }) {
            throw WeakMemoryError("writes weak variable '\(w.variable.name)' without stating the kind (Writes)")
        }
        let isThread = threads.contains { $0.name == process.name }
        var machine = ViewMachine(transformation: self, process: process, isThread: isThread, indexDomains: indexDomains)

        // Acquires and locks.
        for access in action.accesses {
            switch access {
            case .acquire(let object): try machine.acquire(object, lock: false)
            case .lock(let object): try machine.acquire(object, lock: true)
            default: break
            }
        }

        // Plain reads of synchronisation objects: the view they carry counts for a later smp_rmb.
        var acquired = Set<String>()
        for access in action.accesses {
            if case .acquire(let o) = access { acquired.insert("\(o)") }
            if case .lock(let o) = access { acquired.insert("\(o)") }
        }
        var seenSyncReads = Set<String>()
        for read in syncReads {
            let object: Expr = read.index.map { .element(read.variable, $0) } ?? .variable(read.variable)
            guard !acquired.contains("\(object)"), seenSyncReads.insert("\(object)").inserted else { continue }
            try machine.observe(object)
        }

        // The read.
        var readValue: Expr?
        var recorded: ReadSite?
        if let site = readSites.first {
            let v = weakVariables.first { $0.name == site.variable }!
            let kind = action.accesses.compactMap { access -> AccessKind? in
                if case .read(v.name, let k) = access { return k } else { return nil }
            }.first!
            let slot = Expr.parameter(Self.readParameter)
            result.parameters.append(Parameter(Self.readParameter, positions))
            let condition = readSites.contains { if case .bool(true) = $0.condition { return true } else { return false } }
                ? Expr.bool(true) : .or(readSites.map(\.condition))
            recorded = ReadSite(variable: v.name, index: site.index, kind: kind, condition: condition)
            let value = machine.historyValue(v, site.index, slot)
            readValue = value
            let substitute: (Expr) -> Expr = { e in e.rewritten { x in
                switch x {
                case .variable(v.name) where site.index == nil: return value
                case .element(v.name, _) where site.index != nil: return value
                default: return nil
                }
            } }
            let readCondition = substitute(condition)
            let inRange = slot >= machine.element(v, site.index, "cur") && slot < machine.length(v, site.index)
            result.guards.append(.ite(readCondition, inRange, slot == 0))
            machine.read(v, site.index, slot: slot, kind: kind, condition: readCondition)
            result.guards = result.guards.map(substitute)
            result.updates = updates.map { $0.mapExpressions(substitute) }
            for k in writes.indices {
                writes[k].value = substitute(writes[k].value)
                writes[k].condition = substitute(writes[k].condition)
            }
            syncWrites = syncWrites.map { ($0.variable, $0.index.map(substitute), substitute($0.condition)) }
        } else {
            result.updates = updates
        }
        _ = readValue

        // The write.
        if let w = writes.first {
            let kind = action.accesses.compactMap { access -> AccessKind? in
                if case .write(w.variable.name, let k) = access { return k } else { return nil }
            }.first!
            let position = Expr.parameter(Self.writeParameter)
            result.parameters.append(Parameter(Self.writeParameter, positions))
            let length = machine.length(w.variable, w.index)
            let fits = length < Expr.number(declaration.history)
            let inRange = position >= 1 && position > machine.element(w.variable, w.index, "cur") && position <= length
            result.guards.append(.ite(w.condition && fits, inRange, position == 1))
            machine.setOverflow(w.condition && !fits)
            machine.write(w.variable, w.index, position: position, value: w.value, kind: kind, condition: w.condition && fits)
        }

        // Writes to synchronisation objects that release nothing.
        var released: Set<String> = []
        for access in action.accesses {
            switch access {
            case .release(let o), .unlock(let o):
                if case .element(let n, _) = o { released.insert(n) }
                if case .variable(let n) = o { released.insert(n) }
            default: break
            }
        }
        for write in syncWrites where !released.contains(write.variable) {
            machine.plainSyncWrite(write.variable, write.index, condition: write.condition)
        }

        // Fences.
        for access in action.accesses {
            if case .fence(let fence) = access { machine.fence(fence) }
        }

        // Releases and unlocks: when the step writes the object, only where it does.
        for access in action.accesses {
            switch access {
            case .release(let object), .unlock(let object):
                let name: String
                switch object {
                case .element(let n, _), .variable(let n): name = n
                default: throw WeakMemoryError("\(object) is no synchronisation object")
                }
                let conditions = syncWrites.filter { $0.variable == name }.map(\.condition)
                let condition: Expr = conditions.isEmpty ? .bool(true) : .or(conditions)
                if case .unlock = access {
                    _ = try machine.release(object, unlock: true, condition: condition)
                } else {
                    _ = try machine.release(object, unlock: false, condition: condition)
                }
            default: break
            }
        }

        // Ghost resets.
        for access in action.accesses {
            if case .reset(let target, let value) = access {
                switch target {
                case .variable(let name) where weakNames.contains(name):
                    machine.reset(weakVariables.first { $0.name == name }!, nil, to: value, condition: resetConditions[name] ?? .bool(true))
                case .element(let name, let index) where weakNames.contains(name):
                    machine.reset(weakVariables.first { $0.name == name }!, index, to: value, condition: resetConditions[name] ?? .bool(true))
                default:
                    throw WeakMemoryError("GhostReset of \(target), which is no weak element")
                }
            }
        }
        result.updates += machine.updates()
        return (result, recorded)
    }
}

extension Update {
    /// The update with `transform` applied to every expression in it.
    func mapExpressions(_ transform: (Expr) -> Expr) -> Update {
        switch self {
        case .assign(let target, let value): return .assign(target: transform(target), value: transform(value))
        case .when(let c, let t, let e):
            return .when(transform(c), then: t.map { $0.mapExpressions(transform) }, otherwise: e.map { $0.mapExpressions(transform) })
        case .goto: return self
        }
    }
}
