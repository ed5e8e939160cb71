import MemoryModel
import XCTest

/// LKMM behaviours beyond the kernel's small suite: RMW atomicity and ordering, spinlock mutual
/// exclusion, plain accesses and data races, and dependencies.
final class LinuxKernelMemoryModelTests: XCTestCase {
    private func answer(_ body: String, _ condition: String) throws -> LitmusOutcome {
        try LitmusChecker().check(source: "C t\n{}\n" + body + "\nexists (" + condition + ")")
    }

    func testTwoAtomicIncrementsNeverBothReadTheInitialValue() throws {
        let body = """
            P0(int *x) { int r0; r0 = atomic_inc_return_relaxed(x); }
            P1(int *x) { int r0; r0 = atomic_inc_return_relaxed(x); }
            """
        XCTAssertEqual(try answer(body, "0:r0=1 /\\ 1:r0=1").answer, .never)
        XCTAssertEqual(try answer(body, "x=2").answer, .always)
    }

    func testFullyOrderedRMWsForbidStoreBufferingButRelaxedOnesDoNot() throws {
        let full = """
            P0(int *x, int *y) { int r0; int r9; r9 = xchg(x, 1); r0 = READ_ONCE(*y); }
            P1(int *x, int *y) { int r0; int r9; r9 = xchg(y, 1); r0 = READ_ONCE(*x); }
            """
        XCTAssertEqual(try answer(full, "0:r0=0 /\\ 1:r0=0").answer, .never)
        let relaxed = full.replacingOccurrences(of: "xchg(", with: "xchg_relaxed(")
        XCTAssertEqual(try answer(relaxed, "0:r0=0 /\\ 1:r0=0").answer, .sometimes)
    }

    func testBarriersAroundARelaxedRMWMakeItFullyOrdered() throws {
        let body = """
            P0(int *x, int *y) { int r0; int r9; smp_mb__before_atomic(); r9 = xchg_relaxed(x, 1); smp_mb__after_atomic(); r0 = READ_ONCE(*y); }
            P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); smp_mb(); r0 = READ_ONCE(*x); }
            """
        XCTAssertEqual(try answer(body, "0:r0=0 /\\ 1:r0=0").answer, .never)
        let without = body.replacingOccurrences(of: "smp_mb__after_atomic();", with: "")
        XCTAssertEqual(try answer(without, "0:r0=0 /\\ 1:r0=0").answer, .sometimes)
    }

    func testUnlockLockWithAfterUnlockLockOrdersForAnOutsideObserver() throws {
        let body = """
            P0(int *x, int *y, spinlock_t *l) { spin_lock(l); WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); spin_unlock(l); }
            P1(int *y, int *z, spinlock_t *l) { int r0; spin_lock(l); smp_mb__after_unlock_lock(); r0 = READ_ONCE(*y); WRITE_ONCE(*z, 1); spin_unlock(l); }
            P2(int *x, int *z) { int r1; WRITE_ONCE(*z, 2); smp_mb(); r1 = READ_ONCE(*x); }
            """
        XCTAssertEqual(try answer(body, "1:r0=1 /\\ z=2 /\\ 2:r1=0").answer, .never)
        let without = body.replacingOccurrences(of: "smp_mb__after_unlock_lock();", with: "")
        XCTAssertEqual(try answer(without, "1:r0=1 /\\ z=2 /\\ 2:r1=0").answer, .sometimes, "Z6.0+pooncelock+pooncelock+pombonce")
    }

    func testSpinlockCriticalSectionsExcludeEachOtherEvenWithPlainAccesses() throws {
        let body = """
            P0(int *x, spinlock_t *l) { int r0; spin_lock(l); r0 = *x; *x = r0 + 1; spin_unlock(l); }
            P1(int *x, spinlock_t *l) { int r0; spin_lock(l); r0 = *x; *x = r0 + 1; spin_unlock(l); }
            """
        let outcome = try answer(body, "x=1")
        XCTAssertEqual(outcome.answer, .never)
        XCTAssertEqual(outcome.allowedExecutions, 2, "one per order of the critical sections")
        XCTAssertTrue(outcome.flags.isEmpty, "the lock orders the plain accesses: no data race")
    }

    func testUnorderedPlainAccessesRaceAndOrderedOnesDoNot() throws {
        let racy = """
            P0(int *buf, int *flag) { *buf = 1; WRITE_ONCE(*flag, 1); }
            P1(int *buf, int *flag) { int r0; int r1; r0 = READ_ONCE(*flag); r1 = *buf; }
            """
        XCTAssertEqual(try answer(racy, "1:r0=1 /\\ 1:r1=0").flags, [.dataRace])
        let ordered = racy.replacingOccurrences(of: "WRITE_ONCE(*flag, 1)", with: "smp_store_release(flag, 1)")
            .replacingOccurrences(of: "READ_ONCE(*flag)", with: "smp_load_acquire(flag)")
            .replacingOccurrences(of: "r1 = *buf;", with: "if (r0) r1 = *buf;")
        let outcome = try answer(ordered, "1:r0=1 /\\ 1:r1=0")
        XCTAssertEqual(outcome.answer, .never)
        XCTAssertTrue(outcome.flags.isEmpty)
    }

    func testControlDependenciesOnBothSidesForbidLoadBuffering() throws {
        let body = """
            P0(int *x, int *y) { int r0; r0 = READ_ONCE(*x); if (r0) WRITE_ONCE(*y, 1); }
            P1(int *x, int *y) { int r0; r0 = READ_ONCE(*y); if (r0) WRITE_ONCE(*x, 1); }
            """
        XCTAssertEqual(try answer(body, "0:r0=1 /\\ 1:r0=1").answer, .never)
    }

    func testDataDependentValuesAreNeverOutOfThinAir() throws {
        let body = """
            P0(int *x, int *y) { int r0; r0 = READ_ONCE(*x); WRITE_ONCE(*y, r0); }
            P1(int *x, int *y) { int r0; r0 = READ_ONCE(*y); WRITE_ONCE(*x, r0); }
            """
        let outcome = try answer(body, "0:r0=0")
        XCTAssertEqual(outcome.answer, .always, "no value but the initial 0 ever reaches x or y")
    }

    func testAnExecutionThatDereferencesAnIntegerIsRefusedNotGuessed() {
        let body = """
            P0(int **p) { int *r0; int r1; r0 = READ_ONCE(*p); r1 = READ_ONCE(*r0); }
            """
        XCTAssertThrowsError(try answer(body, "0:r1=0")) { error in
            XCTAssertEqual((error as? LitmusError)?.kind, .evaluation, "\(error)")
        }
    }

    func testTheJudgeNamesTheViolatedAxiom() throws {
        let outcome = try LitmusChecker().check(source: "C t\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); WRITE_ONCE(*x, 2); }\nexists (x=2)")
        let execution = try XCTUnwrap(outcome.witness).execution
        let reversed = CandidateExecution(events: execution.events, po: execution.po, addr: execution.addr, data: execution.data,
                                          ctrl: execution.ctrl, rmw: execution.rmw, rf: execution.rf,
                                          co: Relation(size: execution.size, pairs: [(0, 1), (0, 2), (2, 1)]))
        XCTAssertEqual(LinuxKernelMemoryModel().judge(reversed).violated, .coherence)
        XCTAssertTrue(LinuxKernelMemoryModel().judge(execution).isAllowed)
    }
}
