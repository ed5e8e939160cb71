import CZ3
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Process-wide facts about the linked Z3 library.
public enum Z3 {
    /// The full version string of the linked Z3 library, for example `"Z3 4.8.12.0"`.
    public static var version: String {
        String(cString: Z3_get_full_version())
    }

    /// Z3's own estimate of the bytes it currently has allocated, across all contexts.
    ///
    /// The estimate is synchronised between threads in batches of roughly 100 KB, so use it
    /// to spot growth over many operations, not to measure a single one. `nil` when the
    /// linked library does not export `Z3_get_estimated_alloc_size` (it is missing from
    /// the 4.8.12 header but present in the library, so it is looked up dynamically).
    public static var estimatedAllocatedBytes: UInt64? {
        guard let function = estimatedAllocSizeFunction else { return nil }
        return function()
    }

    private typealias EstimatedAllocSize = @convention(c) () -> UInt64

    private static let estimatedAllocSizeFunction: EstimatedAllocSize? = {
        guard let handle = dlopen(nil, RTLD_NOW),
              let symbol = dlsym(handle, "Z3_get_estimated_alloc_size")
        else { return nil }
        return unsafeBitCast(symbol, to: EstimatedAllocSize.self)
    }()
}
