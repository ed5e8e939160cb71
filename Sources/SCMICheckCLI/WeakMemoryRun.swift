import Checking
import TransitionSystems
import WeakMemory

/// How `check` runs one instance under a memory model: the spec it hands the engines (the weak-memory
/// transformation of the instance's spec for `lkmm-nolb`), the invariants it adds, and how it reads
/// the results back (every verdict names the model; no proof stands once a history overflowed).
struct WeakMemoryRun {
    let model: MemoryModelKind
    let system: TransitionSystem
    let reads: [String: ReadSite]

    /// The run of `spec` under `requested`, or the spec's declared model when nil.
    init(_ spec: Spec, requested: MemoryModelKind?, engine: EngineKind) throws {
        let model = requested ?? spec.weakMemory?.defaultModel ?? .sc
        self.model = model
        switch model {
        case .sc:
            system = try TransitionSystem(spec)
            reads = [:]
        case .lkmmNoLB:
            guard spec.weakMemory != nil else {
                throw UsageError("spec '\(spec.name)' declares no weak variables: --memory-model \(model.rawValue) has nothing to apply to")
            }
            guard engine == .explicit else {
                throw UsageError("--memory-model \(model.rawValue) is checked by the explicit engine only (--engine explicit); "
                                 + "the symbolic engines would need its histories encoded, and never check sc silently")
            }
            let (transformed, reads) = try WeakMemoryTransformation(spec).transformedWithReads()
            system = try TransitionSystem(transformed)
            self.reads = reads
        }
    }

    var isWeak: Bool { model != .sc }

    /// The invariants to check: `names`, plus the history bound under a weak model.
    func invariants(_ names: [String]) -> [String] {
        isWeak ? names + [WeakMemoryTransformation.historyBoundInvariant] : names
    }

    /// The results as reported: the history bound's own result dropped, every other result marked
    /// with the model, its weak reads explained, and no `proved` unless the bound held everywhere.
    func reported(_ results: [CheckResult]) -> [CheckResult] {
        guard isWeak else { return results }
        let bound = results.first { $0.invariant == WeakMemoryTransformation.historyBoundInvariant }
        let boundHeld = bound?.verdict == .proved
        let explainer = WeakReadReport(system: system, reads: reads)
        return results.filter { $0.invariant != WeakMemoryTransformation.historyBoundInvariant }.map { result in
            var r = result
            // Runs that overflowed a history stop there: only the depths before the first
            // overflow are explored completely.
            if r.verdict == .holdsUpToDepth, bound?.verdict == .violated, let overflow = bound?.depth, (r.depth ?? 0) >= overflow {
                r.depth = overflow - 1
                r.detail = "a weak history needed more writes than its bound at depth \(overflow): checked completely to depth \(overflow - 1) (\(r.detail))"
            }
            if r.verdict == .proved && !boundHeld {
                r.verdict = .unknown
                let reason = bound?.verdict == .violated
                    ? "a weak history needed more writes than its bound at depth \(bound?.depth ?? 0)"
                    : "the history bound was not established"
                r.detail = "\(reason): no proof (\(r.detail))"
            }
            var detail = "[\(model.rawValue)] \(r.detail)"
            if let counterexample = r.counterexample {
                let lines = explainer.lines(counterexample)
                if !lines.isEmpty { detail += "; weak reads: " + lines.joined(separator: "; ") }
            }
            r.detail = detail
            return r
        }
    }

    /// A line for the report's notes.
    var note: String? {
        isWeak ? "memory model: \(model.rawValue) (\(model.summary)); variables not declared weak are sequentially consistent" : nil
    }
}
