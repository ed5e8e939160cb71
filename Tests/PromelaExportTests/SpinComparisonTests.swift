import Checking
import Fixtures
import Foundation
import TransitionSystems
import TransportSpec
import XCTest

/// The Promela export against SPIN: for every fixture, SPIN stores the states the explicit engine
/// reaches without symmetry reduction, and finds an assertion violation exactly where the fixture
/// expects a violated invariant. Skipped when `spin` or `gcc` is not installed; the project does
/// not depend on SPIN.
final class SpinComparisonTests: XCTestCase {
    func testEveryFixtureHasTheEnginesStateCountInSpin() throws {
        guard let spin = Self.executable("spin"), let gcc = Self.executable("gcc") else {
            throw XCTSkip("spin or gcc is not on PATH (apt-get install spin): the SPIN comparison is skipped")
        }
        for fixture in Fixtures.all {
            let system = try TransitionSystem(fixture.spec)
            let exporter = try PromelaExporter(system, header: ["fixture \(fixture.name)"])
            let reachable = try Self.reachableStates(fixture.spec)
            let pan = try Self.runSpin(model: exporter.render(), spin: spin, gcc: gcc)
            XCTAssertFalse(pan.output.contains("max search depth too small"), "\(fixture.name): pan's depth limit cut the search")
            XCTAssertEqual(pan.statesStored, exporter.spinStates(forReachable: reachable),
                           "\(fixture.name): SPIN stored \(pan.statesStored.map(String.init) ?? "?") states, the engine reached \(reachable)\(exporter.hasInitialChoice ? " (+1 for the initial choice)" : "")")
            let expectsViolation = fixture.expectations.values.contains { if case .violated = $0 { return true } else { return false } }
            XCTAssertEqual(pan.errors.map { $0 > 0 }, expectsViolation,
                           "\(fixture.name): SPIN reported \(pan.errors.map(String.init) ?? "?") errors\n\(pan.output)")
            XCTAssertEqual(pan.output.contains("assertion violated"), expectsViolation, fixture.name)
        }
    }

    /// The transport spec's `fixed` variant at 2 CPUs x 1 buffer (current core): the same count
    /// (37576 states), no violation. (The buggy variants' full unreduced graphs take minutes in a
    /// debug build, so they are left to `scmi-check export` by hand.)
    func testTheFixedTransportVariantHasTheEnginesStateCountInSpin() throws {
        guard let spin = Self.executable("spin"), let gcc = Self.executable("gcc") else {
            throw XCTSkip("spin or gcc is not on PATH (apt-get install spin): the SPIN comparison is skipped")
        }
        let settings = ["cpus": "2", "buffers": "1", "core": "current"]
        let instances = try TransportSpec.family.instances(variant: "fixed", settings: settings)
        XCTAssertFalse(instances.isEmpty)
        for instance in instances {
            let name = instance.variant ?? instance.spec.name
            let exporter = try PromelaExporter(try TransitionSystem(instance.spec))
            let reachable = try Self.reachableStates(instance.spec)
            let pan = try Self.runSpin(model: exporter.render(), spin: spin, gcc: gcc, maxDepth: 1_000_000)
            XCTAssertFalse(pan.output.contains("max search depth too small"), "\(name): pan's depth limit cut the search")
            XCTAssertEqual(pan.statesStored, exporter.spinStates(forReachable: reachable), "\(name): SPIN \(pan.statesStored.map(String.init) ?? "?"), engine \(reachable)")
            if let expectations = instance.expectations {
                let expectsViolation = expectations.values.contains { if case .violated = $0 { return true } else { return false } }
                XCTAssertEqual(pan.errors.map { $0 > 0 }, expectsViolation, "\(name): SPIN reported \(pan.errors.map(String.init) ?? "?") errors")
            }
        }
    }

    /// A spec whose initial state is chosen (arbitrary initial values, an `Initially` constraint and
    /// an array with different initial elements): SPIN's count is the engine's plus the root.
    func testAChosenInitialStateAddsOneRootState() throws {
        guard let spin = Self.executable("spin"), let gcc = Self.executable("gcc") else {
            throw XCTSkip("spin or gcc is not on PATH (apt-get install spin): the SPIN comparison is skipped")
        }
        let spec = Self.chosenStart
        let exporter = try PromelaExporter(try TransitionSystem(spec))
        XCTAssertTrue(exporter.hasInitialChoice)
        let reachable = try Self.reachableStates(spec)
        let pan = try Self.runSpin(model: exporter.render(), spin: spin, gcc: gcc)
        XCTAssertEqual(pan.statesStored, reachable + 1, pan.output)
        XCTAssertEqual(pan.errors, 0, pan.output)
    }

    func testTheExportIsDeterministicAndNamesEveryInstance() throws {
        for fixture in Fixtures.all {
            let system = try TransitionSystem(fixture.spec)
            let first = try PromelaExporter(system).render()
            XCTAssertEqual(first, try PromelaExporter(TransitionSystem(fixture.spec)).render(), fixture.name)
            XCTAssertEqual(first.components(separatedBy: ":: d_step {\n").count - 1, system.instances.count, fixture.name)
            XCTAssertEqual(first.components(separatedBy: "-> assert(").count - 1, fixture.spec.properties.count, fixture.name)
        }
    }

    // MARK: - Helpers

    /// x starts anywhere in 0...2 with x != 1; a[0] = 1, a[1] = 0; steps swap a's elements and count x up.
    static let chosenStart: Spec = {
        let small = Domain.range("Small", 0...3)
        let index = Domain.range("Index", 0...1)
        let x = Variable("x", small, arbitraryInitialValue: (), doc: "")
        let a = Variable("a", Domain.boolean, indexedBy: index, doc: "") { i in i == index["0"] }
        return Spec("chosen-start") {
            x
            a
            Initially(x.value != small["1"])
            Initially(x.value <= small["2"])
            Process("p") { _ in
                Step("swap") {
                    a[index["0"]] <- a[index["1"]]
                    a[index["1"]] <- a[index["0"]]
                }
                Step("count") {
                    Guard(x.value < small["3"])
                    x.value <- x.value + small["1"]
                }
            }
            Invariant("in-range", "x stays within 0...3") { x.value <= small["3"] }
        }
    }()

    /// The explicit engine's reachable states without symmetry reduction, every state explored:
    /// the spec with one invariant that always holds instead of its own, so no violation ends the search.
    static func reachableStates(_ spec: Spec) throws -> Int {
        var everything = spec
        everything.invariants = [Invariant("reachable", "Holds everywhere.") { Domain.boolean["true"] }]
        var options = CheckOptions()
        options.useSymmetry = false
        let results = try ExplicitStateChecker(system: TransitionSystem(everything), options: options).check(["reachable"])
        guard results.first?.verdict == .proved, let states = results.first?.statistics.states else {
            throw XCTSkip("the engine did not explore every state")
        }
        return states
    }

    struct PanResult {
        var output: String
        var statesStored: Int?
        var errors: Int?
    }

    /// Runs `spin -a`, `gcc -DSAFETY -DNOREDUCE -O2` and `./pan -mDEPTH -c0` (every state, past errors) on `model` in a temporary directory.
    static func runSpin(model: String, spin: String, gcc: String, maxDepth: Int = 100_000) throws -> PanResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scmi-spin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try model.write(to: directory.appendingPathComponent("model.pml"), atomically: true, encoding: .utf8)
        let generate = try run(spin, ["-a", "model.pml"], in: directory)
        guard generate.status == 0 else { throw Failure("spin -a failed:\n\(generate.output)") }
        let compile = try run(gcc, ["-DSAFETY", "-DNOREDUCE", "-O2", "-o", "pan", "pan.c"], in: directory)
        guard compile.status == 0 else { throw Failure("gcc failed:\n\(compile.output)") }
        let pan = try run(directory.appendingPathComponent("pan").path, ["-m\(maxDepth)", "-c0"], in: directory)
        return PanResult(output: pan.output, statesStored: number(before: " states, stored", in: pan.output),
                         errors: number(after: "errors: ", in: pan.output))
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func number(before marker: String, in text: String) -> Int? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains(marker) }) else { return nil }
        return Int(line.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber })
    }

    static func number(after marker: String, in text: String) -> Int? {
        guard let range = text.range(of: marker) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ executable: String, _ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
