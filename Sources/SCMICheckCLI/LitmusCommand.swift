import ArgumentParser
import Foundation
import MemoryModel
import Traces

/// `scmi-check litmus`: answers herd7 C litmus tests under the Linux-kernel memory model.
struct LitmusCommand: ParsableCommand, RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "litmus",
        abstract: "Answer C litmus tests (herd7's format, as the kernel's tools/memory-model uses it) under the LKMM.",
        discussion: """
            For each file: the test's name, the answer herd7 prints as its Observation (Always, Sometimes or \
            Never: how many executions the model allows satisfy the final clause's proposition, whatever its \
            quantifier), the model (lkmm), and a witness execution (which write each read took, the coherence \
            order, the final values). When the file has a 'Result:' comment, the line says whether the answer \
            agrees. The model is the kernel's linux-kernel.cat with lock.cat (v6.12) without RCU: a test using \
            RCU, spin_is_locked, spin_trylock or another construct not modelled gets no answer.

            Exit status: 0 every file answered (with --expect: and every answer agreeing with its Result: line), \
            1 with --expect, an answer that disagrees or a file without a Result: line, 2 a file that cannot be \
            read or parsed or that uses an unsupported construct (the other files are still answered).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    @Argument(help: "The litmus files.")
    var files: [String]

    @Option(name: .long, help: "Output format: text, json (one JSON object per file and line) or markdown (a table of agreement, one row per file).")
    var format: Format = .text

    @Flag(name: .long, help: "Exit 1 unless every answer agrees with its file's Result: line.")
    var expect = false

    enum Model: String, ExpressibleByArgument, CaseIterable { case lkmm, lkmmNoLB = "lkmm-nolb" }

    @Option(name: .customLong("memory-model"), help: "lkmm (the axiomatic model, default) or lkmm-nolb (the operational model `check` uses, explored by the explicit engine, compared outcome by outcome with lkmm).")
    var memoryModel: Model = .lkmm

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one litmus file") }
    }

    func execute(_ console: Console) throws -> ExitStatus {
        if memoryModel == .lkmmNoLB { return try executeOperational(console) }
        var failed = false
        var disagreed = false
        if format == .markdown {
            console.print("| test | expected (`Result:`) | answer (lkmm) | agrees? |")
            console.print("|---|---|---|---|")
        }
        for file in files {
            do {
                let text: String
                do {
                    text = try String(contentsOfFile: file, encoding: .utf8)
                } catch {
                    throw LitmusError(.evaluation, line: 0, construct: file, "cannot read the file")
                }
                let outcome = try LitmusChecker().check(source: text)
                if outcome.agreesWithExpected != true { disagreed = true }
                switch format {
                case .text: for line in Self.textLines(outcome) { console.print(line) }
                case .json: console.print(Self.jsonLine(outcome, file: file))
                case .markdown: console.print(Self.markdownRow(outcome, file: file))
                }
            } catch let error as LitmusError {
                failed = true
                console.printError("error: \(file): \(error)")
                if format == .json { console.print(Self.jsonLine(error, file: file)) }
                if format == .markdown {
                    let name = URL(fileURLWithPath: file).lastPathComponent
                    let text = try? String(contentsOfFile: file, encoding: .utf8)
                    let expected = text.flatMap { LitmusParser.expectedResult(in: $0) } ?? "none"
                    let place = error.line > 0 ? " (line \(error.line))" : ""
                    console.print("| `\(name)` | \(expected) | \(error.kind.rawValue): `\(error.construct)`\(place) | — |")
                }
            }
        }
        if failed { return .badInput }
        return expect && disagreed ? .violated : .success
    }

    // MARK: - Text

    static func textLines(_ outcome: LitmusOutcome) -> [String] {
        var head = "\(outcome.test.name): \(outcome.answer.rawValue) (\(outcome.model)); "
            + "\(outcome.satisfyingExecutions) of \(outcome.allowedExecutions) allowed executions satisfy \(outcome.test.condition)"
        if let expected = outcome.test.expected {
            let marker = outcome.test.expectsDataRace ? " DATARACE" : ""
            head += "; Result: \(expected)\(marker), " + (outcome.agreesWithExpected == true ? "agrees" : "DISAGREES")
        }
        var lines = [head]
        if !outcome.flags.isEmpty {
            lines.append("  flags: " + outcome.flags.map(\.rawValue).sorted().joined(separator: ", "))
        }
        if let witness = outcome.witness {
            lines.append("  witness (satisfies the proposition):")
            lines += executionLines(witness, outcome.test)
        } else {
            lines.append("  no allowed execution satisfies the proposition")
        }
        if outcome.test.condition.quantifier == .forall, let counterexample = outcome.counterexample {
            lines.append("  counterexample (does not satisfy it):")
            lines += executionLines(counterexample, outcome.test)
        }
        return lines
    }

    private static func place(_ event: Event) -> String {
        guard let thread = event.thread else { return "the initial value" }
        return "P\(thread) line \(event.line) \(event.label)"
    }

    private static func executionLines(_ execution: LitmusExecution, _ test: LitmusTest) -> [String] {
        var lines: [String] = []
        for (read, write) in execution.readsFrom {
            if read.kind == .lockRead {
                let from = write.isInitial ? "free from the start" : "released by \(place(write))"
                lines.append("    \(place(read)) takes the lock \(from)")
            } else {
                lines.append("    \(place(read)) reads \(read.value.map(\.description) ?? "?") from \(place(write))")
            }
        }
        for (location, writes) in execution.coherence {
            lines.append("    coherence of \(location): " + writes.map { write in
                write.isInitial ? "initial \(write.value.map(\.description) ?? "")"
                    : "P\(write.thread!) line \(write.line) (\(write.value.map(\.description) ?? ""))"
            }.joined(separator: " -> "))
        }
        lines.append("    final: " + finalValues(execution, test).map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        return lines
    }

    private static func finalValues(_ execution: LitmusExecution, _ test: LitmusTest) -> [(key: String, value: String)] {
        var values: [(key: String, value: String)] = []
        for thread in execution.registers.keys.sorted() {
            for (name, value) in execution.registers[thread]!.sorted(by: { $0.key < $1.key }) {
                values.append(("\(thread):\(name)", value.description))
            }
        }
        for (name, value) in execution.memory.sorted(by: { $0.key < $1.key }) { values.append((name, value.description)) }
        return values
    }

    // MARK: - Markdown

    static func markdownRow(_ outcome: LitmusOutcome, file: String) -> String {
        let name = URL(fileURLWithPath: file).lastPathComponent
        let expected = outcome.test.expected.map { $0 + (outcome.test.expectsDataRace ? " DATARACE" : "") } ?? "none"
        let answer = outcome.answer.rawValue + (outcome.flags.contains(.dataRace) ? " DATARACE" : "")
        let agrees = outcome.agreesWithExpected.map { $0 ? "yes" : "**no**" } ?? "—"
        return "| `\(name)` | \(expected) | \(answer) | \(agrees) |"
    }

    // MARK: - JSON

    static func jsonLine(_ outcome: LitmusOutcome, file: String) -> String {
        var object: [String: JSONValue] = [
            "file": .string(file),
            "name": .string(outcome.test.name),
            "model": .string(outcome.model),
            "answer": .string(outcome.answer.rawValue),
            "condition": .string(outcome.test.condition.description),
            "allowed": .number(outcome.allowedExecutions),
            "satisfying": .number(outcome.satisfyingExecutions),
            "expected": outcome.test.expected.map(JSONValue.string) ?? .null,
            "expectsDataRace": .bool(outcome.test.expectsDataRace),
            "agrees": outcome.agreesWithExpected.map(JSONValue.bool) ?? .null,
            "flags": .array(outcome.flags.map(\.rawValue).sorted().map(JSONValue.string)),
            "witness": outcome.witness.map { executionJSON($0, outcome.test) } ?? .null,
        ]
        if outcome.test.condition.quantifier == .forall {
            object["counterexample"] = outcome.counterexample.map { executionJSON($0, outcome.test) } ?? .null
        }
        return JSONValue.object(object).compact()
    }

    static func jsonLine(_ error: LitmusError, file: String) -> String {
        JSONValue.object([
            "file": .string(file),
            "error": .string(error.kind.rawValue),
            "line": .number(error.line),
            "construct": .string(error.construct),
            "message": .string(error.description),
        ]).compact()
    }

    private static func eventJSON(_ event: Event) -> JSONValue {
        .object([
            "thread": event.thread.map(JSONValue.number) ?? .null,
            "line": .number(event.line),
            "access": .string(event.isInitial ? "initial value" : event.label),
            "value": event.value.map { .string($0.description) } ?? .null,
        ])
    }

    private static func executionJSON(_ execution: LitmusExecution, _ test: LitmusTest) -> JSONValue {
        var final: [String: JSONValue] = [:]
        for (key, value) in finalValues(execution, test) { final[key] = .string(value) }
        return .object([
            "reads": .array(execution.readsFrom.map { pair in
                .object(["read": eventJSON(pair.read), "from": eventJSON(pair.write)])
            }),
            "coherence": .object(Dictionary(uniqueKeysWithValues: execution.coherence.map { entry in
                (entry.location, JSONValue.array(entry.writes.map(eventJSON)))
            })),
            "final": .object(final),
        ])
    }
}
