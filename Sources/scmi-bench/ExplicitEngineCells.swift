import Foundation

// The explicit engine's reductions, storage and threads, against the targets of its issue:
// `fixed` proved at 2 × 2 in under 10 s, at 3 × 2 in under 60 s, at 3 × 3 in under 10 minutes,
// each under 4 GiB. `make bench` measures the first two; `make bench-long` the third.

/// One exhaustive run of `fixed` as a table row: verdict, states, time, rate, store bytes per state, memory.
func explicitProofRow(_ label: String, cpus: Int, buffers: Int, reduction: String, threads: Int, memoryModel: String = "sc",
                      cap: Double) -> (row: String, seconds: Double?) {
    let cell = run(["--variant", "fixed", "--engine", "explicit", "--exhaustive", "--reduction", reduction, "--memory-model", memoryModel,
                    "--threads", String(threads), "--cpus", String(cpus), "--buffers", String(buffers), "--core", "current"], cap: cap)
    let setting = "`--reduction \(reduction) --threads \(threads)\(memoryModel == "sc" ? "" : " --memory-model \(memoryModel)")`"
    guard cell.cappedAt == nil, let o = cell.objects.first else {
        let reached = cell.progress.last(where: { $0.contains(" states") }).map { " (\($0.trimmingCharacters(in: .whitespaces)))" } ?? ""
        return ("| \(label) | \(setting) | > \(Int(cap)) s cap\(reached) | | | | |", nil)
    }
    let verdicts = Set(cell.objects.compactMap { $0["verdict"] as? String }).sorted().joined(separator: ", ")
    let states = o["states"] as? Int ?? 0
    let memory = (o["peak-memory-bytes"] as? Int ?? 0) >> 20
    let bytes = (o["store-bytes-per-state"] as? Double).map { String(format: "%.1f", $0) } ?? "?"
    let reduced = (o["reduced-states"] as? Int).map { ", ample sets in \($0) states" } ?? ""
    let rate = Int(Double(states) / max(cell.seconds, 0.001))
    return ("| \(label) | \(setting) | \(verdicts) on \(states) states\(reduced) | \(seconds(cell.seconds)) | \(rate) | \(bytes) | \(memory) MiB |",
            cell.seconds)
}

let explicitTableHeader = [
    "| `fixed`, every reachable state | setting | result | time | states/s | store bytes/state | peak memory |",
    "|---|---|---|---|---|---|---|",
]

/// The `make bench` section: each reduction at 2 × 1, symmetry with one thread and with every core
/// at 2 × 2, and the targets at 2 × 2 and 3 × 2 with every reduction and core.
func explicitEngineSection() -> [String] {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    var lines = [""]
    lines += explicitTableHeader
    for reduction in ["none", "symmetry", "por", "all"] {
        lines.append(explicitProofRow("2 × 1", cpus: 2, buffers: 1, reduction: reduction, threads: 1, cap: 60).row)
    }
    let one = explicitProofRow("2 × 2", cpus: 2, buffers: 2, reduction: "symmetry", threads: 1, cap: 300)
    let many = explicitProofRow("2 × 2", cpus: 2, buffers: 2, reduction: "symmetry", threads: cores, cap: 300)
    lines += [one.row, many.row]
    let target22 = explicitProofRow("2 × 2 (target: under 10 s)", cpus: 2, buffers: 2, reduction: "all", threads: cores, cap: 300)
    let wider = explicitProofRow("2 × 3", cpus: 2, buffers: 3, reduction: "all", threads: cores, cap: 60)
    let target32 = explicitProofRow("3 × 2 (target: under 60 s)", cpus: 3, buffers: 2, reduction: "all", threads: cores, cap: 120)
    lines += [target22.row, wider.row, target32.row]
    lines.append("")
    if let a = one.seconds, let b = many.seconds {
        lines.append("Speed-up of \(cores) threads over one at 2 × 2 with symmetry: \(String(format: "%.2f", a / b))× (same states, same results).")
    }
    lines.append("Partial-order reduction's saving is the difference between the `none` and `por` rows (and `symmetry` and `all`);"
        + " \"ample sets in N states\" counts the states where it fired fewer steps than all.")
    return lines
}

/// The `make bench-long` section: the 3 × 3 target, and `fixed` under sequential consistency and
/// under `lkmm-nolb` side by side at 2 × 2 (buffers are not renamed under the weak model, so it
/// takes several times the states).
func explicitEngineLongSection() -> [String] {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    var lines = [""]
    lines += explicitTableHeader
    lines.append(explicitProofRow("2 × 2, sequential consistency", cpus: 2, buffers: 2, reduction: "symmetry", threads: cores, cap: 300).row)
    lines.append(explicitProofRow("2 × 2, Linux-kernel memory model without load buffering", cpus: 2, buffers: 2, reduction: "symmetry",
                                  threads: cores, memoryModel: "lkmm-nolb", cap: 1200).row)
    lines.append(explicitProofRow("3 × 3 (target: under 10 minutes)", cpus: 3, buffers: 3, reduction: "all", threads: cores, cap: 1800).row)
    return lines
}

/// Writes a dated section with `title` and `body` between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in BENCHMARKS.md.
func writeSection(_ name: String, title: String, _ body: [String]) {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    let section = (["<!-- \(name):begin -->", title, "", "Measured on \(formatter.string(from: Date())), \(machineDescription()), release build, one cell after another (the machine is shared: compare ratios within this section)."]
        + body + ["<!-- \(name):end -->"]).joined(separator: "\n")
    replaceSection(name, with: section)
}

/// Replaces the text between `<!-- NAME:begin -->` and `<!-- NAME:end -->` (markers included) in
/// BENCHMARKS.md by `section`, or appends it; prints it.
func replaceSection(_ name: String, with section: String) {
    var document = (try? String(contentsOf: benchmarks, encoding: .utf8)) ?? "# Benchmarks\n"
    if let begin = document.range(of: "<!-- \(name):begin -->"), let end = document.range(of: "<!-- \(name):end -->") {
        document.replaceSubrange(begin.lowerBound..<end.upperBound, with: section)
    } else {
        document += "\n" + section + "\n"
    }
    try! document.write(to: benchmarks, atomically: true, encoding: .utf8)
    print(section)
}
