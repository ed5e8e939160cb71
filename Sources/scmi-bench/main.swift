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
/// `--spin-only`: just the SPIN side-by-side section, printed and not written to BENCHMARKS.md.
let spinOnly = arguments.contains("--spin-only")
/// `--symbolic-only`: just the symbolic engines' section, written to BENCHMARKS.md between its own markers.
let symbolicOnly = arguments.contains("--symbolic-only")
/// `--explicit-only`: just the explicit engine's section (reductions, storage, threads, targets).
let explicitOnly = arguments.contains("--explicit-only")
/// `--spin-config CxB`: the configuration of the SPIN comparison (default 2x2).
let spinConfiguration: (Int, Int) = {
    guard let i = arguments.firstIndex(of: "--spin-config"), i + 1 < arguments.count else { return (2, 2) }
    let parts = arguments[i + 1].split(separator: "x").compactMap { Int($0) }
    return parts.count == 2 ? (parts[0], parts[1]) : (2, 2)
}()

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

if arguments.contains("--long") {
    // `make bench-long`: only the long cells, in a section of their own.
    writeSection("bench-long", title: "## The explicit engine's long target (`make bench-long`, 20 to 50 minutes)", explicitEngineLongSection())
    exit(0)
}

/// The OS, cores and memory, as the section headers print them.
func machineDescription() -> String {
    var machine = "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB"
    if let osRelease = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
       let pretty = osRelease.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") }) {
        machine = pretty.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) + ", " + machine
    }
    return machine
}

var lines: [String] = []
let configurations = spinOnly || symbolicOnly || explicitOnly ? [] : quick ? [(2, 2)] : [(2, 2), (2, 3), (3, 2)]  // 3 × 3 is too slow for 30 minutes; `make bench-long` has its explicit proof
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
    // The explicit engine's proofs of `fixed` are in their own section (ExplicitEngineCells.swift).
}

if !spinOnly && !symbolicOnly {
    writeSection("explicit", title: "## The explicit engine: reductions, storage, threads (`make bench`, or `scmi-bench --explicit-only`)",
                 explicitEngineSection())
    if explicitOnly { exit(0) }
}

// SPIN side by side: the same unreduced state graph (`scmi-check export --format promela`),
// when `spin` and `gcc` are on PATH. SPIN is never a dependency of the project.
func onPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Runs `executable` in `directory` under the time and memory caps; its output and seconds, or nil when capped.
func runTool(_ executable: String, _ toolArguments: [String], in directory: URL, cap: Double) -> (output: String, seconds: Double, capped: Bool, status: Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
    process.arguments = ["--signal=KILL", String(Int(cap)), "/usr/bin/prlimit", "--as=\(memoryCapBytes)", executable] + toolArguments
    process.currentDirectoryURL = directory
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    let start = Date()
    try! process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let status = process.terminationStatus
    return (String(decoding: data, as: UTF8.self), Date().timeIntervalSince(start), status == 137 || status == 124, status)
}

// The symbolic engines' section, written between its own markers.
let symbolic = SymbolicSection.section(machine: machineDescription())
if symbolicOnly {
    var document = (try? String(contentsOf: benchmarks, encoding: .utf8)) ?? "# Benchmarks\n"
    SymbolicSection.insert(symbolic, into: &document)
    try! document.write(to: benchmarks, atomically: true, encoding: .utf8)
    print(symbolic)
    exit(0)
}

lines.append("")
let (spinCPUs, spinBuffers) = spinConfiguration
lines.append("### SPIN side by side: `fixed`, \(spinCPUs) CPUs × \(spinBuffers) buffers, every reachable state without symmetry reduction")
lines.append("")
if let spin = onPath("spin"), let gcc = onPath("gcc") {
    FileHandle.standardError.write(Data("SPIN comparison \(spinCPUs)×\(spinBuffers)\n".utf8))
    let size = ["--cpus", String(spinCPUs), "--buffers", String(spinBuffers), "--core", "current"]
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scmi-bench-spin-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(at: directory)
    try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }

    // The explicit engine, unreduced.
    let engine = run(["--variant", "fixed", "--engine", "explicit", "--exhaustive", "--reduction", "none"] + size, cap: 600)
    var engineText = "> 600 s cap\(lastDepth(engine))"
    var engineStates: Int?
    if engine.cappedAt == nil, let o = engine.objects.first {
        engineStates = o["states"] as? Int
        let memory = (o["peak-memory-bytes"] as? Int ?? 0) >> 20
        engineText = "\(o["verdict"] as? String ?? "?") on \(engineStates ?? 0) states, \(seconds(engine.seconds)), peak \(memory) MiB"
    }

    // SPIN: export, spin -a, gcc, pan with exhaustive storage.
    var spinText = "failed"
    var spinStates: Int?
    let export = runTool(scmiCheck, ["export", "--format", "promela", "--variant", "fixed"] + size + ["--output", "model.pml"], in: directory, cap: 60)
    let generate = export.status == 0 ? runTool(spin, ["-a", "model.pml"], in: directory, cap: 120) : export
    let compile = generate.status == 0 ? runTool(gcc, ["-DSAFETY", "-DNOREDUCE", "-O2", "-o", "pan", "pan.c"], in: directory, cap: 300) : generate
    if compile.status == 0 {
        let pan = runTool(directory.appendingPathComponent("pan").path, ["-m10000000", "-c0"], in: directory, cap: 600)
        FileHandle.standardError.write(Data("  pan: \(String(format: "%.1f", pan.seconds)) s\(pan.capped ? " (cap)" : "")\n".utf8))
        func number(before marker: String) -> Double? {
            guard let line = pan.output.split(separator: "\n").first(where: { $0.contains(marker) }) else { return nil }
            return Double(line.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber || $0 == "." })
        }
        if pan.capped {
            spinText = "> 600 s cap"
        } else if let stored = number(before: "states, stored") {
            spinStates = Int(stored)
            let errors = pan.output.range(of: "errors: ").map { Int(pan.output[$0.upperBound...].prefix { $0.isNumber }) ?? -1 } ?? -1
            let memory = number(before: "total actual memory usage").map { String(format: "%.0f MiB", $0) } ?? "? MiB"
            spinText = "\(errors == 0 ? "no assertion violated" : "\(errors) errors") on \(Int(stored)) states stored, \(seconds(pan.seconds)) "
                + "(+ \(seconds(generate.seconds + compile.seconds)) spin -a and gcc), \(memory) total actual memory"
            if pan.output.contains("max search depth too small") { spinText += " (depth limit -m10000000 hit: incomplete)" }
        } else {
            spinText = "failed: \(pan.output.split(separator: "\n").prefix(3).joined(separator: " "))"
        }
    } else {
        spinText = "failed to build: \(compile.output.split(separator: "\n").prefix(3).joined(separator: " "))"
    }
    // A model that begins with a choice of initial state has one more state in SPIN: the root before the choice.
    let model = (try? String(contentsOf: directory.appendingPathComponent("model.pml"), encoding: .utf8)) ?? ""
    let root = model.contains("SPIN stores one state more") ? 1 : 0
    let same = engineStates != nil && spinStates != nil && engineStates! + root == spinStates!
    lines.append("| measurement | explicit, `--reduction none` | SPIN \(spin == "/usr/bin/spin" ? "" : "(\(spin)) ")(`-DSAFETY -DNOREDUCE`, exhaustive storage, `pan -m10000000 -c0`) |")
    lines.append("|---|---|---|")
    lines.append("| every reachable state of `fixed` (all six invariants) | \(engineText) | \(spinText) |")
    lines.append("")
    lines.append(engineStates == nil || spinStates == nil ? "The state counts could not be compared in this run."
        : same ? "Same state count\(root == 1 ? " (SPIN's one extra is the root before the model's choice of initial state)" : ""): SPIN's graph is the engine's (`scmi-check export --format promela`)."
        : "State counts differ (\(engineStates!)\(root == 1 ? " + 1 root" : "") vs \(spinStates!)): the export or an engine is wrong.")
} else {
    lines.append("`spin` or `gcc` is not on PATH: skipped (`apt-get install spin` to measure it; the project does not depend on SPIN).")
}

let formatter = ISO8601DateFormatter()
formatter.formatOptions = [.withFullDate]
let machine = machineDescription()
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
if spinOnly {
    print(lines.joined(separator: "\n"))
    exit(0)
}
var document = (try? String(contentsOf: benchmarks, encoding: .utf8)) ?? "# Benchmarks\n"
SymbolicSection.insert(symbolic, into: &document)
try! document.write(to: benchmarks, atomically: true, encoding: .utf8)
replaceSection("bench", with: section)
