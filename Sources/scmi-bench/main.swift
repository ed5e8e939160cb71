import Foundation

// scmi-bench: measures the engines on the transport spec side by side, in one run, and writes
// its section of BENCHMARKS.md (between the bench markers, leaving other sections alone).
//
// Each cell runs `scmi-check` as a child process under a time cap (`timeout`) and a memory cap
// (`prlimit --as`); a cell that hits a cap is recorded as "> cap", never left out.

struct Cell {
    var seconds: Double
    var cappedAt: Double?
    var objects: [[String: Any]]
    var progress: [String]
}

let arguments = CommandLine.arguments
let binDirectory = URL(fileURLWithPath: arguments[0]).deletingLastPathComponent()
let scmiCheck = binDirectory.appendingPathComponent("scmi-check").path
let benchmarks = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("BENCHMARKS.md")
let memoryCapBytes = 12 << 30
let quick = arguments.contains("--quick")

func run(_ checkArguments: [String], cap: Double) -> Cell {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
    process.arguments = ["--signal=KILL", String(Int(cap)), "/usr/bin/prlimit", "--as=\(memoryCapBytes)", scmiCheck, "check"]
        + checkArguments + ["--format", "json", "--stats"]
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let start = Date()
    try! process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let seconds = Date().timeIntervalSince(start)
    let objects = String(decoding: outData, as: UTF8.self).split(separator: "\n").compactMap {
        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    let killed = process.terminationStatus == 137 || process.terminationStatus == 124 || (objects.isEmpty && process.terminationStatus != 0)
    let progress = String(decoding: errData, as: UTF8.self).split(separator: "\n").map(String.init)
    FileHandle.standardError.write(Data("  \(checkArguments.joined(separator: " ")): \(String(format: "%.1f", seconds)) s\(killed ? " (cap)" : "")\n".utf8))
    return Cell(seconds: seconds, cappedAt: killed ? cap : nil, objects: objects, progress: progress)
}

func lastDepth(_ cell: Cell) -> String {
    guard let line = cell.progress.last(where: { $0.contains("] depth ") }),
          let range = line.range(of: "] depth ") else { return "" }
    let rest = line[range.upperBound...].prefix { $0.isNumber }
    return rest.isEmpty ? "" : ", depth \(rest) reached"
}

func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }

var lines: [String] = []
let configurations = quick ? [(2, 2)] : [(2, 2), (2, 3), (3, 2), (3, 3)]
let buggy = [("v4", "no-leak-at-quiescence"), ("v4-proposal", "no-use-after-release"), ("upstream", "exactly-once-delivery")]
let started = Date()

for (cpus, buffers) in configurations {
    // The current core for every cell, as the recorded tables were measured (a variant's own
    // cores would change v4's and v4-proposal's depths from row to row of the history).
    let size = ["--cpus", String(cpus), "--buffers", String(buffers), "--core", "current"]
    FileHandle.standardError.write(Data("configuration \(cpus)×\(buffers)\n".utf8))
    lines.append("")
    lines.append("### \(cpus) CPUs × \(buffers) buffers")
    lines.append("")
    lines.append("| measurement | explicit | bmc |")
    lines.append("|---|---|---|")
    for (variant, invariant) in buggy {
        var cells: [String] = []
        for engine in ["explicit", "bmc"] {
            let extra = engine == "explicit" ? ["--exhaustive"] : ["--depth", "40"]
            let cell = run(["--variant", variant, "--invariant", invariant, "--engine", engine] + size + extra, cap: 30)
            if let cap = cell.cappedAt {
                cells.append("> \(Int(cap)) s cap\(lastDepth(cell))")
            } else if let o = cell.objects.first {
                let verdict = o["verdict"] as? String ?? "?"
                let depth = (o["depth"] as? Int).map { " at depth \($0)" } ?? ""
                var text = "\(verdict)\(depth), \(seconds(cell.seconds))"
                if let states = o["states"] as? Int { text += ", \(states) states" }
                if engine == "bmc", let perDepth = o["per-depth"] as? [[Any]] {
                    let solver = perDepth.compactMap { $0.count > 1 ? $0[1] as? Double : nil }.reduce(0, +)
                    text += " (solver \(seconds(solver)))"
                }
                cells.append(text)
            } else {
                cells.append("failed")
            }
        }
        lines.append("| first counterexample, `\(variant)` `\(invariant)` | \(cells[0]) | \(cells[1]) |")
    }

    // BMC per depth on `fixed` (no counterexample, so it goes as deep as the cap allows).
    let bmc = run(["--variant", "fixed", "--invariant", "no-double-free", "--engine", "bmc", "--depth", "40"] + size, cap: 60)
    var perDepthText = "> 60 s cap\(lastDepth(bmc))"
    if bmc.cappedAt == nil, let perDepth = bmc.objects.first?["per-depth"] as? [[Any]] {
        perDepthText = perDepth.compactMap { entry -> String? in
            guard entry.count > 1, let d = entry[0] as? Int, let s = entry[1] as? Double else { return nil }
            return "\(d): \(String(format: "%.2f", s))"
        }.joined(separator: ", ")
    } else if !bmc.progress.isEmpty {
        let reached = bmc.progress.filter { $0.contains("] depth ") }.suffix(6).joined(separator: "; ")
        if !reached.isEmpty { perDepthText += " (progress: \(reached))" }
    }
    lines.append("| BMC solver seconds per depth, `fixed` `no-double-free` (depth: s) | | \(perDepthText) |")

    // k-induction on `fixed`.
    let kind = run(["--variant", "fixed", "--invariant", "no-double-free", "--engine", "kind", "--depth", "12"] + size, cap: 30)
    var kindText = "> 30 s cap\(lastDepth(kind))"
    if kind.cappedAt == nil, let o = kind.objects.first {
        kindText = "\(o["verdict"] as? String ?? "?") (\(o["detail"] as? String ?? "")), \(seconds(kind.seconds))"
    }
    lines.append("| k-induction, `fixed` `no-double-free` (k ≤ 12) | | \(kindText) |")

    // The explicit engine's proof of `fixed`: states per second and peak memory.
    let cap: Double = (cpus, buffers) == (2, 2) ? 300 : 60
    let explicit = run(["--variant", "fixed", "--engine", "explicit", "--exhaustive"] + size, cap: cap)
    var explicitText = "> \(Int(cap)) s cap\(lastDepth(explicit))"
    if let last = explicit.progress.last(where: { $0.contains(" states") }), explicit.cappedAt != nil {
        explicitText += " (\(last.trimmingCharacters(in: .whitespaces)))"
    }
    if explicit.cappedAt == nil, let o = explicit.objects.first {
        let states = o["states"] as? Int ?? 0
        let memory = (o["peak-memory-bytes"] as? Int ?? 0) >> 20
        let rate = Int(Double(states) / max(explicit.seconds, 0.001))
        explicitText = "\(o["verdict"] as? String ?? "?") on \(states) states, \(seconds(explicit.seconds)), \(rate) states/s, peak \(memory) MiB"
    }
    lines.append("| explicit proof of `fixed` (all six invariants) | \(explicitText) | |")
}

let formatter = ISO8601DateFormatter()
formatter.formatOptions = [.withFullDate]
var machine = "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB"
if let osRelease = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
   let pretty = osRelease.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") }) {
    machine = pretty.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) + ", " + machine
}
let header = [
    "<!-- bench:begin -->",
    "## Engines on the transport spec (`make bench`)",
    "",
    "Measured by `make bench` (`.build/release/scmi-bench\(quick ? " --quick" : "")`) on \(formatter.string(from: Date())), \(machine), release build, current core.",
    "Each cell is one `scmi-check check ... --format json --stats` child process with a time cap and a 12 GiB",
    "address-space cap; a cell that hits a cap reads \"> cap\" with the depth its progress reached.",
    "The whole run took \(Int(Date().timeIntervalSince(started))) s. Cells ran one after another; the machine is shared, so compare ratios within this run.",
]
let section = (header + lines + ["<!-- bench:end -->"]).joined(separator: "\n")
var document = (try? String(contentsOf: benchmarks, encoding: .utf8)) ?? "# Benchmarks\n"
if let begin = document.range(of: "<!-- bench:begin -->"), let end = document.range(of: "<!-- bench:end -->") {
    document.replaceSubrange(begin.lowerBound..<end.upperBound, with: section)
} else {
    document += "\n" + section + "\n"
}
try! document.write(to: benchmarks, atomically: true, encoding: .utf8)
print(section)
