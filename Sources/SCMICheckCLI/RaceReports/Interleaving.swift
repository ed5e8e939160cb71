import Traces
import TransportSpec

/// A counterexample drawn the way kernel race reports draw one: a column per CPU (and for the
/// IRQ path and the deferred worker), one kernel call or access per row, time downwards, with
/// the steps that do not matter summarised.
///
/// Which steps matter, the rule:
/// 1. The *key buffers* are the message buffers the violation is about: those the last step
///    changed or named, and those its actor held just before it.
/// 2. A step matters when it changes or names a key buffer (its refcount, `poll_status`,
///    `rx_len`, its place on the free list, the device or the used ring, a pointer to it), or
///    when its actor holds a pointer to a key buffer just before or just after it (so the
///    owner's reads and decisions on it show), or when it is the start of a transfer whose
///    next step matters, or the last step.
/// 3. Every other step is summarised: each run of consecutive such steps becomes one row per
///    actor, naming how many steps it took, the kernel functions they ran in and the buffers
///    they touched.
/// Steps are causally linked through the buffers they share, so what rule 2 keeps is the
/// causal chain of the violation through its buffers; what it drops works on other buffers.
struct Interleaving {
    /// One row of the diagram.
    struct Row: Equatable {
        /// The step the row belongs to, on its first row.
        let step: Int?
        /// The column, or nil for a row across the diagram (the device, a bug).
        let lane: String?
        let text: String
        let kind: Kind

        enum Kind: Equatable { case code, device, deadline, summary, bug }
    }

    let lanes: [String]
    let rows: [Row]
    /// The buffers the violation is about.
    let keyBuffers: [String]
    /// How many steps the summary rows stand for.
    let summarisedSteps: Int
    let depth: Int

    init(trace: Trace, counterparts: StepCounterparts) {
        let depth = trace.depth
        self.depth = depth
        let states = trace.steps.map { TraceState(values: $0.values) }
        let actors = trace.steps.map { TraceActor($0.actor ?? "") }
        let changes = (0..<trace.steps.count).map { i in i == 0 ? [] : states[i - 1].changes(to: states[i], variables: trace.variables) }
        let buffers = Set(trace.steps[0].values["in_device"].map { value -> [String] in
            guard case .map(let entries) = value else { return [] }
            return entries.map(\.key.description)
        } ?? [])

        /// Whether step `i` changes or names buffer `b`; a queue names `b` only when `b` joins or leaves it.
        func names(_ i: Int, _ b: String) -> Bool {
            changes[i].contains { change in
                guard Self.queues.contains(change.variable) else { return change.names(b) }
                return states[i - 1].count(of: b, in: change.variable) != states[i].count(of: b, in: change.variable)
            }
        }

        var key = Set<String>()
        if depth > 0 {
            let last = depth
            key = buffers.filter { names(last, $0) }
            key.formUnion(states[last - 1].buffers(heldBy: actors[last].holder))
            key.formUnion(trace.steps[last].parameters.map(\.value).filter(buffers.contains))
        }
        keyBuffers = key.sorted()
        let keyBuffers = key

        func matters(_ i: Int) -> Bool {
            if i == depth { return true }
            if keyBuffers.contains(where: { names(i, $0) }) { return true }
            if trace.steps[i].parameters.contains(where: { keyBuffers.contains($0.value) }) { return true }
            let holder = actors[i].holder
            return !states[i - 1].buffers(heldBy: holder).isDisjoint(with: keyBuffers) || !states[i].buffers(heldBy: holder).isDisjoint(with: keyBuffers)
        }
        var shown = depth > 0 ? (1...depth).map(matters) : []
        // The start of a transfer (or a path's first step) goes with what it starts.
        for i in stride(from: depth, through: 1, by: -1) where !shown[i - 1] {
            guard trace.steps[i].parameters.contains(where: { $0.name == "polled" }) else { continue }
            if let next = (i + 1...max(i + 1, depth)).first(where: { $0 <= depth && actors[$0] == actors[i] }), next <= depth, shown[next - 1] {
                shown[i - 1] = true
            }
        }

        var rows: [Row] = []
        var skipped: [Int] = []
        func flushSkipped() {
            guard !skipped.isEmpty else { return }
            var order: [TraceActor] = []
            for i in skipped where !order.contains(actors[i]) { order.append(actors[i]) }
            for actor in order {
                let steps = skipped.filter { actors[$0] == actor }
                var locations: [String] = []
                for i in steps {
                    if case .code(let location) = StepNarration(step: i, of: trace, counterparts: counterparts).kind, !locations.contains(location) {
                        locations.append(location)
                    }
                }
                let touched = buffers.filter { b in steps.contains { names($0, b) } }.sorted()
                let on = touched.isEmpty ? "" : " on \(touched.joined(separator: ", "))"
                let text: String
                if actor.lane == nil {
                    text = "(device returns \(touched.joined(separator: ", ")), \(steps.count) event\(steps.count == 1 ? "" : "s"))"
                } else if locations.isEmpty && actor.process == "timer" {
                    text = "(the deadline of \(actor.lane ?? "its")'s transfer passes)"
                } else if locations.isEmpty {
                    text = "(\(steps.count) step\(steps.count == 1 ? "" : "s")\(on))"
                } else {
                    let span = locations.count == 1 ? locations[0] : "\(locations.first!) .. \(locations.last!)"
                    text = "(\(steps.count) step\(steps.count == 1 ? "" : "s")\(on): \(span))"
                }
                rows.append(Row(step: steps.first, lane: actor.lane, text: text, kind: .summary))
            }
            skipped = []
        }
        var summarised = 0
        for i in stride(from: 1, through: depth, by: 1) {
            guard shown[i - 1] else {
                skipped.append(i)
                summarised += 1
                continue
            }
            flushSkipped()
            let narration = StepNarration(step: i, of: trace, counterparts: counterparts)
            let lane = actors[i].lane
            for (n, access) in narration.accesses.enumerated() {
                let number = n == 0 ? i : nil
                switch narration.kind {
                case .device: rows.append(Row(step: number, lane: nil, text: "~~ \(access) ~~", kind: .device))
                case .deadline: rows.append(Row(step: number, lane: lane, text: "driver.c:scmi_wait_for_reply  \(access)", kind: .deadline))
                case .code(let location): rows.append(Row(step: number, lane: lane, text: "\(location)  \(access)", kind: .code))
                }
            }
            if let bug = narration.bug ?? (i == depth ? Self.stateBug(of: states[i], keyBuffers: keyBuffers.sorted(), property: trace.invariant) : nil) {
                let location: String
                if case .code(let l) = narration.kind { location = l } else { location = "driver.c:scmi_wait_for_reply" }
                rows.append(Row(step: nil, lane: nil, text: "!! \(location): \(bug)", kind: .bug))
            }
        }
        flushSkipped()
        self.rows = rows
        summarisedSteps = summarised
        let laneNames = Set(rows.compactMap(\.lane))
        lanes = laneNames.sorted { a, b in
            let rank = { (l: String) -> Int in l.hasPrefix("CPU") ? 0 : l == "IRQ" ? 1 : 2 }
            return rank(a) != rank(b) ? rank(a) < rank(b) : a < b
        }
    }

    /// What is wrong in the last state when no step-level ghost says it: the properties that
    /// are about a state (a leak at rest, a poller left stuck, a buffer in two places).
    static func stateBug(of state: TraceState, keyBuffers: [String], property: String?) -> String? {
        switch property {
        case "no-leak-at-quiescence"?:
            let lost = keyBuffers.filter { state.name("on_free_list", $0) != "TRUE" }
            let users = lost.map { b in state.name("users", b).map { "\(b) (users \($0))" } ?? b }
            return "all idle: \(users.joined(separator: ", ")) not on free_list, leaked"
        case "no-lost-wakeup"?:
            return "polled reply dequeued; nothing can end its poll loop"
        case "conservation"?:
            return "\(keyBuffers.joined(separator: ", ")) on free_list and with the device or a list at once"
        default:
            return nil
        }
    }

    /// The spec's queues of buffers, whose entries shift when one leaves.
    static let queues: Set<String> = ["free_list", "used_ring", "pending_cmds"]

    // MARK: - Drawing

    /// The width of the step-number gutter.
    static let gutter = 4

    /// The diagram as lines no wider than `width`: a header naming the columns, then the rows.
    ///
    /// Only one column is written on each row, so a row's text may run on into the columns to
    /// its right; the columns are spaced as widely as the longest text of the rightmost column allows.
    func lines(width: Int = 100) -> [String] {
        let longest = Dictionary(grouping: rows.filter { $0.lane != nil }, by: { $0.lane! }).mapValues { $0.map(\.text.count).max() ?? 0 }
        var spacing = 36
        if lanes.count > 1 {
            for (i, lane) in lanes.enumerated() where i > 0 {
                spacing = min(spacing, (width - Self.gutter - (longest[lane] ?? 0)) / i)
            }
        }
        spacing = max(spacing, 12)
        let offsets = Dictionary(uniqueKeysWithValues: lanes.enumerated().map { ($0.element, Self.gutter + $0.offset * spacing) })
        var header = String(repeating: " ", count: Self.gutter)
        for lane in lanes {
            let title = lane == "IRQ" ? "IRQ: scmi_vio_complete_cb" : lane
            header = header.padding(toLength: offsets[lane]!, withPad: " ", startingAt: 0) + title
        }
        var result = [header]
        for row in rows {
            let number = row.step.map(String.init) ?? ""
            var line = String(repeating: " ", count: max(0, 3 - number.count)) + number + " "
            if let lane = row.lane { line = line.padding(toLength: offsets[lane]!, withPad: " ", startingAt: 0) }
            result.append(line + row.text)
        }
        return result
    }
}
