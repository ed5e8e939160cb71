import Foundation
import Traces

extension Trace {
    /// The trace's steps as `actor action(params)`, one line each: what generated tests print as their story.
    public var story: [String] {
        steps.dropFirst().map { "\($0.actor ?? "?") \($0.label)" }
    }

    /// Reads the trace file `name` from the `Traces` folder beside the source file at `sourcePath`
    /// (a generated test passes its `#filePath`), and checks that its steps tell `story`.
    public static func generated(_ name: String, beside sourcePath: String, story: [String]) throws -> Trace {
        let url = URL(fileURLWithPath: sourcePath).deletingLastPathComponent().appendingPathComponent("Traces").appendingPathComponent(name)
        let trace = try Trace(itf: try Data(contentsOf: url))
        guard trace.story == story else {
            throw TraceError.inconsistent("\(name) no longer tells the story of the test that reads it: regenerate with 'make generate'")
        }
        return trace
    }
}
