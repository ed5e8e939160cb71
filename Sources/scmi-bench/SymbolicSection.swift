import Foundation

/// The symbolic engines' section of BENCHMARKS.md: BMC with single and parallel frames on the
/// first findings of the buggy variants, and k-induction with mined lemmas on `fixed`, with the
/// size of each proof's certificate and whether `scmi-check certify` accepts it. About 8 minutes
/// at its caps, so that `make bench` as a whole stays under 30 minutes.
enum SymbolicSection {
    static let begin = "<!-- symbolic:begin -->"
    static let end = "<!-- symbolic:end -->"

    /// Solver seconds of a BMC result: its per-depth figures, summed.
    static func solverSeconds(_ object: [String: Any]) -> Double {
        (object["per-depth"] as? [[Any]] ?? []).compactMap { $0.count > 1 ? $0[1] as? Double : nil }.reduce(0, +)
    }

    /// Runs `scmi-check certify FILE`; its first line and exit status.
    static func certify(_ file: String) -> (line: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: scmiCheck)
        process.arguments = ["certify", file]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try! process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let first = String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return (first, process.terminationStatus)
    }

    /// The whole section, markers included, measured now on `machine`.
    static func section(machine: String) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return ([begin, "## The symbolic engines (`make bench`; alone: `scmi-bench --symbolic-only`)", "",
                 "Measured on \(formatter.string(from: Date())), \(machine), release build; each cell one `scmi-check check` child process under a time cap, as above.", ""]
            + lines() + [end]).joined(separator: "\n")
    }

    /// Replaces the section in `document`, or appends it.
    static func insert(_ section: String, into document: inout String) {
        if let b = document.range(of: begin), let e = document.range(of: end) {
            document.replaceSubrange(b.lowerBound..<e.upperBound, with: section)
        } else {
            document += "\n" + section + "\n"
        }
    }

    static func lines() -> [String] {
        let started = Date()
        var lines: [String] = []
        let size = ["--cpus", "2", "--buffers", "2", "--core", "current"]
        let bmcCap = 40.0
        lines.append("### BMC: single steps and parallel frames, 2 CPUs × 2 buffers")
        lines.append("")
        lines.append("Depth in steps (what the explicit engine counts) and, for parallel frames, in frames; solver seconds summed over depths.")
        lines.append("")
        lines.append("| finding | single steps | parallel frames |")
        lines.append("|---|---|---|")
        let findings = [("v4", "no-leak-at-quiescence", 40), ("v4-proposal", "no-use-after-release", 40),
                        ("upstream", "exactly-once-delivery", 40), ("v4-proposal", "no-leak-at-quiescence", 45)]
        for (variant, invariant, depth) in findings {
            var cells: [String] = []
            for frames in ["single", "parallel"] {
                let cell = run(["--variant", variant, "--invariant", invariant, "--engine", "bmc", "--frames", frames, "--depth", String(depth)] + size,
                               cap: bmcCap)
                if let cap = cell.cappedAt {
                    cells.append("> \(Int(cap)) s cap\(lastDepth(cell))")
                } else if let o = cell.objects.first {
                    let detail = o["detail"] as? String ?? ""
                    let verdict = o["verdict"] as? String ?? "?"
                    let at = (o["depth"] as? Int).map { " at \($0) steps" } ?? ""
                    var framesText = ""
                    if let range = detail.range(of: #"in \d+ frames"#, options: .regularExpression) { framesText = " (\(detail[range]))" }
                    cells.append("\(verdict)\(at)\(framesText), solver \(seconds(solverSeconds(o))), \(seconds(cell.seconds))")
                } else {
                    cells.append("failed")
                }
            }
            lines.append("| `\(variant)` `\(invariant)` | \(cells[0]) | \(cells[1]) |")
        }

        lines.append("")
        lines.append("### k-induction with mined lemmas (`--mine-lemmas`), `fixed`, current core, all six invariants")
        lines.append("")
        lines.append("| configuration | verdicts | mining and Houdini | certificate |")
        lines.append("|---|---|---|---|")
        for (cpus, buffers, cap) in [(1, 1, 480.0), (2, 2, 180.0)] {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("scmi-bench-fixed-\(cpus)x\(buffers).json").path
            try? FileManager.default.removeItem(atPath: file)
            let cell = run(["--variant", "fixed", "--engine", "kind", "--mine-lemmas", "--depth", "8", "--certificate", file,
                            "--cpus", String(cpus), "--buffers", String(buffers), "--core", "current"], cap: cap)
            var verdicts = cell.cappedAt.map { "> \(Int($0)) s cap\(lastDepth(cell))" } ?? ""
            if cell.cappedAt == nil {
                var tally: [String: Int] = [:]
                for o in cell.objects { tally[o["verdict"] as? String ?? "?", default: 0] += 1 }
                verdicts = tally.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ", \(seconds(cell.seconds))"
            }
            let mining = cell.progress.first { $0.contains("lemma mining:") }.map { $0.components(separatedBy: "lemma mining: ").last ?? "" } ?? ""
            let houdini = cell.progress.last { $0.contains("Houdini") && !$0.contains("not inductive") }.map { $0.components(separatedBy: ": ").dropFirst().joined(separator: ": ") } ?? ""
            let dropped = cell.progress.filter { $0.contains("is not inductive relative") && !$0.contains("Houdini: count ") }.compactMap { line -> String? in
                guard let range = line.range(of: "Houdini: ") else { return nil }
                return line[range.upperBound...].split(separator: " ").first.map(String.init)
            }
            var certificate = "none written"
            if let data = FileManager.default.contents(atPath: file),
               let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                let lemmas = (json["lemmas"] as? [Any])?.count ?? 0
                let properties = (json["properties"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
                let verdict = certify(file)
                certificate = "\(lemmas) lemmas, \(data.count / 1024) KiB, properties: \(properties.isEmpty ? "none" : properties.joined(separator: ", ")); certify exit \(verdict.status)"
            }
            var miningText = mining
            if !houdini.isEmpty { miningText += "; \(houdini)" }
            var unique: [String] = []
            for name in dropped where !unique.contains(name) { unique.append(name) }
            if !unique.isEmpty { miningText += "; not inductive with the lemmas (Houdini dropped them): \(unique.joined(separator: ", "))" }
            lines.append("| \(cpus) × \(buffers) | \(verdicts) | \(miningText) | \(certificate) |")
        }
        lines.append("")
        lines.append("The symbolic section took \(Int(Date().timeIntervalSince(started))) s.")
        return lines
    }
}
