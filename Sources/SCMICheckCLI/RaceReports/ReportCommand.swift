import ArgumentParser
import Checking
import Foundation
import Traces
import TransitionSystems
import TransportSpec
import Vocabulary

/// `scmi-check report`: a race report in kernel style on one counterexample of the transport spec.
struct ReportCommand: ParsableCommand, RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a race report in kernel style on the shortest counterexample of an invariant.",
        discussion: """
            The counterexample is the recorded trace in --traces when one matches the variant, \
            invariant, core, CPUs and buffers (and still breaks the invariant at its last step), \
            else the explicit engine searches for it. With --trace the report is on that trace, cut \
            at the first step where its invariant breaks. Text is ready for a mail (prose wrapped at \
            72 columns, the diagram at most 100); markdown is for a pull request or a tracker. Exit \
            status 0 when a report was written, 2 for bad input (unknown names, an invariant the \
            variant does not break, a malformed trace), 3 when the search stopped at --max-states.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown }

    @Option(name: .long, help: "The variant (see 'scmi-check list'); with --trace, the trace's by default.")
    var variant: String?

    @Option(name: .long, help: "The violated invariant; with --trace, the trace's by default.")
    var invariant: String?

    @Option(name: .long, help: "The SCMI core: current, 2022 or described (default: the first core the variant met).")
    var core: String?

    @Option(name: .long, help: "Number of CPUs (1-4, default 2).")
    var cpus: Int = 2

    @Option(name: .long, help: "Number of message buffers (1-4, default 2).")
    var buffers: Int = 2

    @Option(name: .long, help: "An ITF trace file to report on instead of the shortest counterexample.")
    var trace: String?

    @Option(name: .long, help: "Where recorded traces are looked up.")
    var traces: String = "Generated/Traces"

    @Option(name: .customLong("max-states"), help: "The most states the search keeps when no recorded trace matches.")
    var maxStates: Int = 2_000_000

    @Option(name: .long, help: "Output format: text (a mail) or markdown.")
    var format: Format = .text

    func execute(_ console: Console) throws -> ExitStatus {
        let found = try trace.map { try fromFile($0) } ?? fromSearch(console)
        guard let found else { return .unknown }
        let instance = try TransportSpec.build(found.configuration)
        let report: RaceReport
        do {
            report = try RaceReport(trace: found.trace, variant: found.configuration.variant, property: found.property,
                                    core: found.configuration.core, counterparts: instance.counterparts, recorded: found.recorded)
        } catch let error as TraceError {
            throw UsageError("the trace cannot be replayed on the implementation: \(error)")
        }
        console.print(format == .markdown ? report.markdown() : report.text())
        return .success
    }

    /// A counterexample to report on, the configuration it runs at, and whether it is a recorded finding.
    struct Found {
        let trace: Trace
        let configuration: TransportConfiguration
        let property: Property
        let recorded: Bool
    }

    // MARK: - From names

    private func names() throws -> (Variant, Property) {
        guard let variant else { throw UsageError("give --variant and --invariant, or --trace FILE") }
        guard let invariant else { throw UsageError("give --invariant (one of: \(TransportSpec.invariantNames.joined(separator: ", ")))") }
        return (try Self.variant(variant), try Self.property(invariant))
    }

    private func configuration(_ variant: Variant) throws -> TransportConfiguration {
        guard TransportConfiguration.cpuRange.contains(cpus) else { throw UsageError("--cpus takes 1 to 4, not \(cpus)") }
        guard TransportConfiguration.bufferRange.contains(buffers) else { throw UsageError("--buffers takes 1 to 4, not \(buffers)") }
        let core = try self.core.map(Self.core) ?? variant.coresMet[0]
        return TransportConfiguration(cpus: cpus, buffers: buffers, variant: variant, core: core)
    }

    private func fromSearch(_ console: Console) throws -> Found? {
        let (variant, property) = try names()
        let configuration = try configuration(variant)
        let system = try TransitionSystem(TransportSpec.make(configuration))
        if let trace = try recordedTrace(configuration, property, system) {
            return Found(trace: trace, configuration: configuration, property: property, recorded: true)
        }
        let options = CheckOptions(maxDepth: nil, maxStates: maxStates, timeoutSeconds: nil, progress: nil)
        let result = try ExplicitStateChecker(system: system, options: options).check([property.rawValue], listener: SilentListener()).results[0]
        let label = "\(variant) with the \(configuration.core) core at \(cpus) CPUs and \(buffers) buffers"
        switch result.verdict {
        case .violated:
            guard let trace = result.trace(in: system, variant: variant.rawValue, configuration: configuration.labels) else {
                throw InternalError("the explicit engine found \(property) violated without a trace")
            }
            return Found(trace: trace, configuration: configuration, property: property, recorded: false)
        case .proved:
            throw UsageError("\(property) is not violated by \(label): it holds in every reachable state, so there is nothing to report")
        case .holdsUpToDepth, .unknown:
            console.printError("no violation of \(property) by \(label) within \(maxStates) states; raise --max-states")
            return nil
        }
    }

    /// The recorded trace of this finding, if one in the traces directory matches and still breaks
    /// the property first at its last step.
    private func recordedTrace(_ configuration: TransportConfiguration, _ property: Property, _ system: TransitionSystem) throws -> Trace? {
        let folder = URL(fileURLWithPath: traces)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return nil }
        for name in names.sorted() where name.hasSuffix(".json") {
            guard let trace = try? TraceFile.read(folder.appendingPathComponent(name).path),
                  trace.spec == TransportSpec.name, trace.variant == configuration.variant.rawValue,
                  trace.invariant == property.rawValue, trace.configuration == configuration.labels,
                  let replay = try? trace.replay(in: system), replay.divergence == nil,
                  replay.brokenInvariants.firstIndex(where: { $0.contains(property.rawValue) }) == trace.depth
            else { continue }
            return trace
        }
        return nil
    }

    // MARK: - From a file

    private func fromFile(_ file: String) throws -> Found {
        let trace = try TraceFile.read(file)
        guard trace.spec == TransportSpec.name else {
            throw UsageError("\(file): a report needs a trace of spec '\(TransportSpec.name)', not '\(trace.spec)'")
        }
        guard let variantName = variant ?? trace.variant else { throw UsageError("\(file): the trace names no variant; give --variant") }
        guard let invariantName = invariant ?? trace.invariant else { throw UsageError("\(file): the trace names no invariant; give --invariant") }
        let variant = try Self.variant(variantName)
        let property = try Self.property(invariantName)
        let settings = try SpecCatalog.settings(recordedIn: trace.configuration, of: TransportSpec.family, file: file)
        let configuration = TransportConfiguration(cpus: settings["cpus"].flatMap(Int.init) ?? 2,
                                                   buffers: settings["buffers"].flatMap(Int.init) ?? 2,
                                                   variant: variant, core: try settings["core"].map(Self.core))
        let system = try TransitionSystem(TransportSpec.make(configuration))
        let replay: TraceReplay
        do { replay = try trace.replay(in: system) } catch let error as TraceError { throw UsageError("\(file): \(error)") }
        if let divergence = replay.divergence { throw UsageError("\(file) is not a run of \(variant): \(divergence)") }
        guard let first = replay.brokenInvariants.firstIndex(where: { $0.contains(property.rawValue) }) else {
            throw UsageError("\(file): the trace never breaks \(property), so there is nothing to report")
        }
        var cut = trace
        cut.steps = Array(trace.steps.prefix(first + 1))
        cut.invariant = property.rawValue
        return Found(trace: cut, configuration: configuration, property: property, recorded: false)
    }

    // MARK: - Names

    private static func variant(_ name: String) throws -> Variant {
        do { return try Variant.named(name) } catch { throw UsageError("\(error)") }
    }

    private static func property(_ name: String) throws -> Property {
        guard let property = Property(rawValue: name), Property.specified.contains(property) else {
            throw UsageError("unknown invariant '\(name)'; known invariants: \(TransportSpec.invariantNames.joined(separator: ", "))")
        }
        return property
    }

    private static func core(_ name: String) throws -> CoreVersion {
        do { return try CoreVersion.named(name) } catch { throw UsageError("\(error)") }
    }
}
