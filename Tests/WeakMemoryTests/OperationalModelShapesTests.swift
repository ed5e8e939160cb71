import MemoryModel
import WeakMemory
import XCTest

/// Shapes the kernel suite does not cover, written for this project: coherence order against
/// execution order (2+2W, S), smp_wmb's lack of A-cumulativity, unlock-lock pairs, release
/// followed by an overwrite, plain accesses; each must have exactly LKMM's outcomes.
final class OperationalModelShapesTests: XCTestCase {
    static let tests: [String] = [
        #"""
C 2+2W+fencewmbonceonces
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 2); }
P1(int *x, int *y) { WRITE_ONCE(*y, 1); smp_wmb(); WRITE_ONCE(*x, 2); }
exists (x=1 /\ y=1)
"""#,
        #"""
C 2+2W+poonceonces
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 2); }
P1(int *x, int *y) { WRITE_ONCE(*y, 1); WRITE_ONCE(*x, 2); }
exists (x=1 /\ y=1)
"""#,
        #"""
C Co3W+reads
{}
P0(int *x) { WRITE_ONCE(*x, 1); WRITE_ONCE(*x, 2); }
P1(int *x) { WRITE_ONCE(*x, 3); }
P2(int *x) { int r0; int r1; r0 = READ_ONCE(*x); r1 = READ_ONCE(*x); }
exists (2:r0=2 /\ 2:r1=1)
"""#,
        #"""
C ISA2+wmb+acqrel+acq
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }
P1(int *y, int *z) { int r0; r0 = smp_load_acquire(y); smp_store_release(z, 1); }
P2(int *x, int *z) { int r1; int r2; r1 = smp_load_acquire(z); r2 = READ_ONCE(*x); }
exists (1:r0=1 /\ 2:r1=1 /\ 2:r2=0)
"""#,
        #"""
C MP+fencewmb+poacquireonce
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = smp_load_acquire(y); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 1:r1=0)
"""#,
        #"""
C SB+unlocklock+mb
{}
P0(int *x, int *y, spinlock_t *s) { int r0; spin_lock(s); WRITE_ONCE(*x, 1); spin_unlock(s); spin_lock(s); r0 = READ_ONCE(*y); spin_unlock(s); }
P1(int *x, int *y) { int r1; WRITE_ONCE(*y, 1); smp_mb(); r1 = READ_ONCE(*x); }
exists (0:r0=0 /\ 1:r1=0)
"""#,
        #"""
C W+RWC+mbs
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_mb(); WRITE_ONCE(*y, 1); }
P1(int *y, int *z) { int r0; int r1; r0 = READ_ONCE(*y); smp_mb(); r1 = READ_ONCE(*z); }
P2(int *x, int *z) { int r2; WRITE_ONCE(*z, 1); smp_mb(); r2 = READ_ONCE(*x); }
exists (1:r0=1 /\ 1:r1=0 /\ 2:r2=0)
"""#,
        #"""
C WRC+fencemb+fencermb
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x, int *y) { int r0; r0 = READ_ONCE(*x); smp_mb(); WRITE_ONCE(*y, 1); }
P2(int *x, int *y) { int r1; int r2; r1 = READ_ONCE(*y); smp_rmb(); r2 = READ_ONCE(*x); }
exists (1:r0=1 /\ 2:r1=1 /\ 2:r2=0)
"""#,
        #"""
C WRC+pooncewmb+fencermb
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x, int *y) { int r0; r0 = READ_ONCE(*x); smp_wmb(); WRITE_ONCE(*y, 1); }
P2(int *x, int *y) { int r1; int r2; r1 = READ_ONCE(*y); smp_rmb(); r2 = READ_ONCE(*x); }
exists (1:r0=1 /\ 2:r1=1 /\ 2:r2=0)
"""#,
        #"""
C MP+plain+relacq
{}
P0(int *x, int *y) { *x = 1; smp_store_release(y, 1); *x = 2; }
P1(int *x, int *y) { int r0; int r1; r0 = smp_load_acquire(y); r1 = *x; }
exists (1:r0=1 /\ 1:r1=0)
"""#,
        #"""
C RWC+unlocklock+acquire
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x, int *y, spinlock_t *s) { int r0; spin_lock(s); r0 = READ_ONCE(*x); spin_unlock(s); spin_lock(s); WRITE_ONCE(*y, 1); spin_unlock(s); }
P2(int *x, int *y) { int r1; int r2; r1 = smp_load_acquire(y); r2 = READ_ONCE(*x); }
exists (1:r0=1 /\ 2:r1=1 /\ 2:r2=0)
"""#,
        #"""
C MP+rel+once-overwrite+acq
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_store_release(y, 1); WRITE_ONCE(*y, 2); }
P1(int *x, int *y) { int r0; int r1; r0 = smp_load_acquire(y); r1 = READ_ONCE(*x); }
exists (1:r0=2 /\ 1:r1=0)
"""#,
        #"""
C SB+storembs
{}
P0(int *x, int *y) { int r0; smp_store_mb(*x, 1); r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r1; smp_store_mb(*y, 1); r1 = READ_ONCE(*x); }
exists (0:r0=0 /\ 1:r1=0)
"""#,
    ]

    func testEveryShapeHasExactlyTheLKMMOutcomes() throws {
        for text in Self.tests {
            let c = try LitmusComparison.compare(LitmusParser.parse(text))
            XCTAssertTrue(c.isFaithful, "\(c.name): missing \(c.missing), spurious \(c.spurious)")
            XCTAssertEqual(c.operational, c.lkmm, c.name)
        }
    }
}
