/// The controlled runtime's memory model: write histories of the fields declared weak, a view
/// per actor, and the views that synchronising accesses carry from one actor to another.
///
/// It is the operational model the spec's `lkmm-nolb` uses (Sources/WeakMemory,
/// `WeakMemoryTransformation`), restricted to what the channel implementation needs, and kept
/// by the implementation's own primitives:
/// - a *weak field* (`WeakShared`, the implementation's `rx_len`) keeps its writes in coherence
///   order, which is the order they execute in (a write is always the newest; the spec may
///   insert a write before a newer one, which a replay refuses to map);
/// - every actor has a view `cur`: per weak field, the newest write it has read or written. A
///   read may observe any kept write from there to the newest (coherence), and moves `cur` to
///   the write it observed; a write moves `cur` to itself. Reads take a write that already
///   executed: no load buffering, as the spec's model names itself;
/// - a *synchronising object* (every `SpinLock`, and every `Shared` field) carries a view:
///   `spin_unlock` and a `.release` store set it to the releaser's `cur`; a plain store
///   clears it (it orders nothing before it); `spin_lock` and an `.acquire` load join it
///   into the actor's `cur` (so later reads see at least what the releaser saw) and `acq`;
///   a plain load of a synchronising object joins it into `acq` only;
/// - `smp_rmb()` (``MemoryFence/rmb``) joins `acq` into `cur`.
///
/// Left out, as in the spec's model: message views of plain weak writes (no `smp_wmb`,
/// `smp_mb` or cumulativity: nothing in the implementation's weak accesses needs them),
/// `po-unlock-lock-po`, and the orderings of refcounts and completions. Leaving an ordering
/// out lets more reads be stale, never fewer; a replay that takes a weak read the spec's
/// model allows is therefore never refused for want of these.
///
/// Which write a read observes is asked of `chooser` (the runtime's scheduler, or the
/// caller of a step); with no answer the read observes the newest write, so a run that makes
/// no choices is sequentially consistent, exactly as before. On real threads there is no
/// `MemoryViews` (`Platform.memory` is nil) and weak fields are plain shared fields.
public final class MemoryViews: @unchecked Sendable {
    /// Per weak field (by `WeakLocation.id`), a write number.
    public typealias View = [Int: Int]

    private struct ActorViews {
        var cur: View = [:]
        var acq: View = [:]
    }

    private let lock = PlainLock()
    private var actors: [String: ActorViews] = [:]
    private var carried: [ObjectIdentifier: View] = [:]
    private var locations: [String] = []
    private var older: [ReadChoice] = []
    private var refusals: [String] = []

    /// Which write a read observes; nil, or a write outside `WeakRead.allowed`, means the newest
    /// (a refused answer is noted in ``refusedChoices``).
    public var chooser: (WeakRead) -> Int? = { _ in nil }
    /// The number of the step being executed, for the reads' records.
    public var currentStep: () -> Int = { 0 }

    public init() {}

    /// Registers a weak field and gives it its identity.
    public func register(_ name: String) -> WeakLocation {
        lock.withLock {
            locations.append(name)
            return WeakLocation(id: locations.count - 1, name: name)
        }
    }

    // MARK: - Weak fields

    /// The write a read of `location` by `actor` observes, among the kept writes
    /// `oldest...newest`; moves the actor's view to it.
    public func read(_ location: WeakLocation, oldest: Int, newest: Int, actor: String, order: MemoryOrder) -> Int {
        let floor = lock.withLock { min(max(oldest, actors[actor]?.cur[location.id] ?? 0), newest) }
        let question = WeakRead(actor: actor, location: location, allowed: floor...newest, step: currentStep())
        var chosen = chooser(question) ?? newest
        lock.withLock {
            if !question.allowed.contains(chosen) {
                refusals.append("step \(question.step): \(actor) cannot observe write \(chosen) of \(location.name) (it may observe \(floor)...\(newest)); it observes \(newest)")
                chosen = newest
            }
            actors[actor, default: ActorViews()].cur[location.id] = chosen
            if chosen != newest {
                older.append(ReadChoice(step: question.step, location: location.name, write: chosen))
            }
        }
        return chosen
    }

    /// `actor` wrote write `index` (the newest) of `location`.
    public func wrote(_ location: WeakLocation, index: Int, actor: String) {
        lock.withLock { actors[actor, default: ActorViews()].cur[location.id] = index }
    }

    /// Write `index` of `location` replaced every earlier one (a write outside the code under
    /// test, such as set-up): every view now starts there.
    public func reset(_ location: WeakLocation, to index: Int) {
        lock.withLock {
            for name in actors.keys {
                actors[name]!.cur[location.id] = index
                if actors[name]!.acq[location.id] != nil { actors[name]!.acq[location.id] = index }
            }
            for key in carried.keys where carried[key]![location.id] != nil { carried[key]![location.id] = index }
        }
    }

    // MARK: - Synchronising objects

    /// `spin_lock` or an `.acquire` load of `object` by `actor`.
    public func acquire(_ object: AnyObject, actor: String) {
        lock.withLock {
            guard let view = carried[ObjectIdentifier(object)] else { return }
            var views = actors[actor, default: ActorViews()]
            views.cur.merge(view, uniquingKeysWith: max)
            views.acq.merge(view, uniquingKeysWith: max)
            actors[actor] = views
        }
    }

    /// `spin_unlock` or a `.release` store to `object` by `actor`: it now carries the actor's view.
    public func release(_ object: AnyObject, actor: String) {
        lock.withLock { carried[ObjectIdentifier(object)] = actors[actor]?.cur ?? [:] }
    }

    /// A plain load of `object` by `actor`: what it carries counts for a later `smp_rmb()`.
    public func observe(_ object: AnyObject, actor: String) {
        lock.withLock {
            guard let view = carried[ObjectIdentifier(object)] else { return }
            actors[actor, default: ActorViews()].acq.merge(view, uniquingKeysWith: max)
        }
    }

    /// A plain store to `object`: it carries nothing any more.
    public func plainWrite(_ object: AnyObject) {
        lock.withLock { carried[ObjectIdentifier(object)] = nil }
    }

    /// A fence of `actor`.
    public func fence(_ fence: MemoryFence, actor: String) {
        lock.withLock {
            switch fence {
            case .rmb:
                guard var views = actors[actor] else { return }
                views.cur.merge(views.acq, uniquingKeysWith: max)
                actors[actor] = views
            }
        }
    }

    // MARK: - Observation

    /// The newest write of `location` that `actor`'s view contains (0 if none).
    public func view(of actor: String, on location: WeakLocation) -> Int {
        lock.withLock { actors[actor]?.cur[location.id] ?? 0 }
    }

    /// The reads so far that observed a write older than the newest, in order.
    public var olderReads: [ReadChoice] { lock.withLock { older } }

    /// The answers of `chooser` that the model refused (the read observed the newest write instead).
    public var refusedChoices: [String] { lock.withLock { refusals } }
}
