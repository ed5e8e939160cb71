/// How a memory access is marked, in the LKMM's vocabulary (linux-kernel.bell, `Accesses`, at v6.12).
///
/// `plain` is an unmarked C access (`*x = 1`, `r = *x`); `once` is `READ_ONCE`/`WRITE_ONCE` and the
/// relaxed atomics; `acquire` is `smp_load_acquire` (and a lock's read); `release` is
/// `smp_store_release` (and an unlock); `noreturn` marks the read of a non-value-returning RMW.
public enum Annotation: String, Hashable, Sendable {
    case plain
    case once
    case acquire
    case release
    case noreturn
}
