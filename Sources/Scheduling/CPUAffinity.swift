#if canImport(Glibc)
import Glibc

@_silgen_name("sched_getcpu")
private func linuxSchedGetCPU() -> Int32

@_silgen_name("sched_getaffinity")
private func linuxSchedGetAffinity(_ pid: Int32, _ size: Int, _ mask: UnsafeMutableRawPointer) -> Int32

@_silgen_name("sched_setaffinity")
private func linuxSchedSetAffinity(_ pid: Int32, _ size: Int, _ mask: UnsafeRawPointer) -> Int32
#endif

/// Pins threads to one CPU (Linux only; elsewhere it does nothing).
///
/// A controlled run passes control from thread to thread; when all its threads share one
/// CPU each hand-off is a plain context switch instead of a cross-CPU wake-up, which is
/// several times faster, and two runs can use two CPUs side by side.
public enum CPUAffinity {
    /// A thread's allowed CPUs (a Linux `cpu_set_t`: 1024 bits).
    public struct Mask: Sendable {
        fileprivate var words = [UInt64](repeating: 0, count: 16)
    }

    /// The CPU the caller runs on now, if known.
    public static var currentCPU: Int? {
        #if canImport(Glibc)
        let cpu = linuxSchedGetCPU()
        return cpu >= 0 ? Int(cpu) : nil
        #else
        return nil
        #endif
    }

    /// The calling thread's mask, to restore later.
    public static func currentMask() -> Mask? {
        #if canImport(Glibc)
        var mask = Mask()
        let result = mask.words.withUnsafeMutableBytes { linuxSchedGetAffinity(0, $0.count, $0.baseAddress!) }
        return result == 0 ? mask : nil
        #else
        return nil
        #endif
    }

    /// Restricts the calling thread to `cpu`; false if that failed.
    @discardableResult
    public static func pinCurrentThread(to cpu: Int) -> Bool {
        guard cpu >= 0, cpu < 1024 else { return false }
        var mask = Mask()
        mask.words[cpu / 64] = 1 << UInt64(cpu % 64)
        return apply(mask)
    }

    /// Restores the calling thread's mask.
    public static func restore(_ mask: Mask) {
        apply(mask)
    }

    @discardableResult
    private static func apply(_ mask: Mask) -> Bool {
        #if canImport(Glibc)
        return mask.words.withUnsafeBytes { linuxSchedSetAffinity(0, $0.count, $0.baseAddress!) } == 0
        #else
        return false
        #endif
    }
}
