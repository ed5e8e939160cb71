import Foundation

/// Where a command writes: standard output for results, standard error for progress,
/// timings and errors. Tests pass a capturing console to run the CLI in process.
public final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private let writeOut: (String) -> Void
    private let writeErr: (String) -> Void
    /// Whether standard error is a terminal-like stream where progress lines are welcome.
    public let showsProgress: Bool
    /// Whether this is the process's own console, so that `check` may handle SIGINT.
    public let handlesSignals: Bool

    public init(showsProgress: Bool, handlesSignals: Bool = false, out: @escaping (String) -> Void,
                err: @escaping (String) -> Void) {
        self.showsProgress = showsProgress
        self.handlesSignals = handlesSignals
        self.writeOut = out
        self.writeErr = err
    }

    /// The process's own standard output and standard error.
    public static func standard() -> Console {
        Console(showsProgress: true, handlesSignals: true, out: { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }, err: { text in
            FileHandle.standardError.write(Data(text.utf8))
        })
    }

    /// Writes a line to standard output.
    public func print(_ line: String = "") {
        lock.lock(); defer { lock.unlock() }
        writeOut(line + "\n")
    }

    /// Writes a line to standard error.
    public func printError(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        writeErr(line + "\n")
    }
}

/// A console that keeps what was written, for tests.
public final class CapturedConsole: @unchecked Sendable {
    private let lock = NSLock()
    private var outText = ""
    private var errText = ""

    public init() {}

    public var out: String { lock.lock(); defer { lock.unlock() }; return outText }
    public var err: String { lock.lock(); defer { lock.unlock() }; return errText }

    public var console: Console {
        Console(showsProgress: false, out: { [self] text in
            lock.lock(); outText += text; lock.unlock()
        }, err: { [self] text in
            lock.lock(); errText += text; lock.unlock()
        })
    }
}
