import CZ3

/// An incremental Z3 solver: a stack of assertion scopes that can be checked for satisfiability.
///
/// Like every object of a ``Context``, a solver must be used from one thread at a time.
public final class Solver: CustomStringConvertible {
    /// A value for a solver parameter, see ``setParameter(_:to:)``.
    public enum ParameterValue: Equatable {
        /// A flag, such as `"unsat_core"`.
        case bool(Bool)
        /// An unsigned number, such as `"timeout"` in milliseconds or `"random_seed"`.
        case uint(UInt32)
        /// A real number, such as `"smt.restart_factor"`.
        case double(Double)
        /// A name, such as `"smt.logic"`.
        case symbol(String)
    }

    /// The context the solver belongs to; the solver keeps it alive.
    public let context: Context
    let raw: Z3_solver

    /// The timeout configured with ``setParameter(_:to:)``, restored after a check with its own.
    private var configuredTimeout: UInt32?

    /// Z3's value for "no timeout".
    private static let noTimeout = UInt32.max

    /// Creates Z3's general-purpose solver, which picks a strategy from the assertions.
    public convenience init(context: Context) {
        self.init(context: context, raw: Z3_mk_solver(context.raw))
    }

    /// Creates a solver tuned for the SMT-LIB `logic`, for example `"QF_BV"`.
    ///
    /// Throws if Z3 does not recognise the logic.
    public convenience init(context: Context, logic: String) throws {
        let raw = Z3_mk_solver_for_logic(context.raw, Z3_mk_string_symbol(context.raw, logic))
        try context.checkError()
        self.init(context: context, raw: try context.unwrap(raw))
    }

    /// Creates a plain incremental SMT solver with no preprocessing strategy.
    public static func simple(context: Context) -> Solver {
        Solver(context: context, raw: Z3_mk_simple_solver(context.raw))
    }

    private init(context: Context, raw: Z3_solver) {
        self.context = context
        self.raw = raw
        Z3_solver_inc_ref(context.raw, raw)
        // Z3 creates the solver lazily and validates parameters only once it exists; asking
        // for the scope count creates it, so `setParameter` rejects unknown names right away.
        _ = Z3_solver_get_num_scopes(context.raw, raw)
    }

    deinit {
        Z3_solver_dec_ref(context.raw, raw)
    }

    // MARK: - Assertions and scopes

    /// Adds the Boolean `formula` to the current scope.
    public func assert(_ formula: Term) throws {
        try context.requireBool(formula)
        Z3_solver_assert(context.raw, raw, formula.raw)
        try context.checkError()
    }

    /// Opens a new scope; assertions made after it are removed by the matching ``pop(_:)``.
    public func push() {
        Z3_solver_push(context.raw, raw)
    }

    /// Closes the innermost `count` scopes, removing their assertions.
    ///
    /// Throws if fewer than `count` scopes are open.
    public func pop(_ count: Int = 1) throws {
        let count = try Context.nonNegativeUInt32(count, "pop count")
        guard count <= scopeCount else {
            throw SMTError.invalidArgument("cannot pop \(count) scopes, only \(scopeCount) open")
        }
        Z3_solver_pop(context.raw, raw, count)
        try context.checkError()
    }

    /// The number of open scopes.
    public var scopeCount: Int {
        Int(Z3_solver_get_num_scopes(context.raw, raw))
    }

    /// Removes all assertions and scopes.
    public func reset() {
        Z3_solver_reset(context.raw, raw)
    }

    // MARK: - Checking

    /// Checks whether the assertions, together with the Boolean `assumptions`, are satisfiable.
    ///
    /// Assumptions hold for this check only; after an unsatisfiable result ``unsatCore()``
    /// names the assumptions that were needed. A `timeout` applies to this check only (rounded
    /// up to whole milliseconds); when it expires the result is `.unknown` with a reason such as
    /// `"timeout"` or `"canceled"`. Throws for misuse, such as non-Boolean assumptions.
    public func check(assuming assumptions: [Term] = [], timeout: Duration? = nil) throws -> CheckResult {
        for assumption in assumptions {
            try context.requireBool(assumption)
        }
        if let timeout {
            try setTimeout(Self.milliseconds(timeout))
        }
        // Z3's own timer can be lost (CheckWatchdog); interrupts back it up.
        let watchdog = timeout.map { CheckWatchdog(context: context, timeout: $0) }
        defer {
            watchdog?.stop()
            if timeout != nil {
                try? setTimeout(configuredTimeout ?? Self.noTimeout)
            }
        }
        let asts: [Z3_ast?] = assumptions.map(\.raw)
        let result = withExtendedLifetime(assumptions) {
            Z3_solver_check_assumptions(context.raw, raw, UInt32(asts.count), asts)
        }
        try context.checkError()
        switch result {
        case Z3_L_TRUE:
            return .satisfiable
        case Z3_L_FALSE:
            return .unsatisfiable
        default:
            let reason = Z3_solver_get_reason_unknown(context.raw, raw).map { String(cString: $0) }
            return .unknown(reason: reason ?? "unknown")
        }
    }

    /// The model found by the last check; throws unless that check was satisfiable.
    public func model() throws -> Model {
        let model = Z3_solver_get_model(context.raw, raw)
        try context.checkError()
        return try Model(context: context, raw: context.unwrap(model))
    }

    /// The assumptions that made the last check unsatisfiable (a subset of those passed to
    /// ``check(assuming:timeout:)``); empty if the last check was not unsatisfiable under
    /// assumptions.
    public func unsatCore() throws -> [Term] {
        let vector = Z3_solver_get_unsat_core(context.raw, raw)
        try context.checkError()
        let core = try context.unwrap(vector)
        Z3_ast_vector_inc_ref(context.raw, core)
        defer { Z3_ast_vector_dec_ref(context.raw, core) }
        return (0..<Z3_ast_vector_size(context.raw, core)).map { index in
            Term(context: context, raw: Z3_ast_vector_get(context.raw, core, index))
        }
    }

    /// Z3's statistics for the last check (conflicts, decisions, memory, time, ...), by name.
    public func statistics() -> [String: Double] {
        guard let stats = Z3_solver_get_statistics(context.raw, raw) else { return [:] }
        Z3_stats_inc_ref(context.raw, stats)
        defer { Z3_stats_dec_ref(context.raw, stats) }
        var result: [String: Double] = [:]
        for index in 0..<Z3_stats_size(context.raw, stats) {
            let key = String(cString: Z3_stats_get_key(context.raw, stats, index))
            if Z3_stats_is_uint(context.raw, stats, index) {
                result[key] = Double(Z3_stats_get_uint_value(context.raw, stats, index))
            } else {
                result[key] = Z3_stats_get_double_value(context.raw, stats, index)
            }
        }
        return result
    }

    // MARK: - Parameters

    /// Sets the solver parameter `name` (for example `"timeout"` in milliseconds, `"random_seed"`
    /// or `"smt.relevancy"`) for all later checks; throws if Z3 rejects the name or value
    /// (the error message names the parameter, without Z3's list of all legal parameters).
    public func setParameter(_ name: String, to value: ParameterValue) throws {
        let params = Z3_mk_params(context.raw)
        Z3_params_inc_ref(context.raw, params)
        defer { Z3_params_dec_ref(context.raw, params) }
        let key = Z3_mk_string_symbol(context.raw, name)
        switch value {
        case let .bool(flag):
            Z3_params_set_bool(context.raw, params, key, flag)
        case let .uint(number):
            Z3_params_set_uint(context.raw, params, key, number)
        case let .double(number):
            Z3_params_set_double(context.raw, params, key, number)
        case let .symbol(symbol):
            Z3_params_set_symbol(context.raw, params, key, Z3_mk_string_symbol(context.raw, symbol))
        }
        Z3_solver_set_params(context.raw, raw, params)
        do {
            try context.checkError()
        } catch let SMTError.z3(code, message) {
            let firstLine = message.prefix { $0 != "\n" }
            throw SMTError.z3(code: code, message: String(firstLine))
        }
        if name == "timeout", case let .uint(milliseconds) = value {
            configuredTimeout = milliseconds
        }
    }

    private func setTimeout(_ milliseconds: UInt32) throws {
        let params = Z3_mk_params(context.raw)
        Z3_params_inc_ref(context.raw, params)
        defer { Z3_params_dec_ref(context.raw, params) }
        Z3_params_set_uint(context.raw, params, Z3_mk_string_symbol(context.raw, "timeout"), milliseconds)
        Z3_solver_set_params(context.raw, raw, params)
        try context.checkError()
    }

    /// `duration` in whole milliseconds, rounded up and clamped to Z3's range.
    private static func milliseconds(_ duration: Duration) throws -> UInt32 {
        guard duration > .zero else {
            throw SMTError.invalidArgument("timeout must be positive, got \(duration)")
        }
        let (seconds, attoseconds) = duration.components
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let (wholeMilliseconds, remainder) = attoseconds.quotientAndRemainder(dividingBy: attosecondsPerMillisecond)
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return noTimeout - 1 }
        let total = product + wholeMilliseconds + (remainder > 0 ? 1 : 0)
        return UInt32(clamping: min(total, Int64(noTimeout - 1)))
    }

    // MARK: - Debugging

    /// The solver's assertions in SMT-LIB syntax.
    public var description: String {
        String(cString: Z3_solver_to_string(context.raw, raw))
    }
}
