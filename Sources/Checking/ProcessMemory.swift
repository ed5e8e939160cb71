import Foundation

/// The process's memory use, read from `/proc/self/status` (Linux).
enum ProcessMemory {
    /// Peak resident set size in bytes (`VmHWM`), or `nil` where it cannot be read.
    static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.split(separator: " ").compactMap { Int($0) }
            return digits.first.map { $0 * 1024 }
        }
        return nil
    }
}
