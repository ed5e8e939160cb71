import Foundation
import Traces

/// Reading an ITF trace file named on the command line.
enum TraceFile {
    /// The trace in `path`, or a usage error naming the file and what is wrong with it.
    static func read(_ path: String) throws -> Trace {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError("cannot read trace file '\(path)'")
        }
        do { return try Trace(itf: data) } catch let error as TraceError { throw UsageError("\(path): \(error)") }
    }
}
