/// A variant of the SCMI virtio transport's polling support: one kernel patch or proposal.
///
/// The variants form a chain, each derived from the one before it by the switches it
/// changes (``Switches``): `v4` ← `v4-proposal` ← `upstream` ← `fixed`. Adding a variant
/// is a case here, its place in ``base``, its ``switches`` and the cores it met; the spec
/// and the implementation read only the switches.
public enum Variant: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// The patch as posted ("[PATCH v4 3/8] firmware: arm_scmi: Add atomic mode support to
    /// virtio transport", February 2022), with its driver.c change.
    case v4
    /// v4 plus the fix proposed in the review reply: poll_lock, POLL_TIMEOUT, freeing
    /// POLL_DONE buffers on timeout, the worker freeing late replies.
    case v4Proposal = "v4-proposal"
    /// The design as merged (v5, Linux 5.18) and still current: message refcounts.
    case upstream
    /// Upstream plus this project's fix of what the checker finds there.
    case fixed

    public var description: String { rawValue }

    /// The variant this one is derived from.
    public var base: Variant? {
        switch self {
        case .v4: return nil
        case .v4Proposal: return .v4
        case .upstream: return .v4Proposal
        case .fixed: return .upstream
        }
    }

    /// One line on where the variant comes from.
    public var summary: String {
        switch self {
        case .v4: return "the patch as posted (v4 3/8 of the atomic-mode series, February 2022)"
        case .v4Proposal: return "v4 plus the review reply's proposal (poll_lock, POLL_TIMEOUT, free on POLL_DONE)"
        case .upstream: return "the design merged in v5 (Linux 5.18) and still current: message refcounts"
        case .fixed: return "upstream with this project's fix"
        }
    }

    /// The SCMI cores this variant was written against or ran with, first the one it is
    /// checked with by default.
    ///
    /// `v4` and `v4-proposal` were posted in 2022 and never ran with the current core;
    /// `upstream` was merged with the 2022 core and runs with the current one since 2025;
    /// `fixed` targets the current core.
    public var coresMet: [CoreVersion] {
        switch self {
        case .v4, .v4Proposal: return [.y2022]
        case .upstream: return [.current, .y2022]
        case .fixed: return [.current]
        }
    }

    /// How the variant met its cores, in one phrase: "was posted against the 2022 core".
    public var pairing: String {
        switch self {
        case .v4, .v4Proposal: return "was posted against the 2022 core"
        case .upstream: return "ran with the current and the 2022 core"
        case .fixed: return "targets the current core"
        }
    }

    /// One line saying that `core` is not a core this variant met, or nil when it is one.
    public func pairingNote(for core: CoreVersion) -> String? {
        coresMet.contains(core) ? nil : "note: \(rawValue) \(pairing); this run pairs it with the \(core.displayName) core"
    }

    /// The variant's switches: its base's with the differences it makes.
    public var switches: Switches {
        switch self {
        case .v4:
            return Switches()
        case .v4Proposal:
            var s = Variant.v4.switches
            s.pollLock = true
            s.marksOwnBufferPollDone = true
            s.pollTimeoutState = true
            s.freesPollDoneBufferOnTimeout = true
            return s
        case .upstream:
            var s = Variant.v4Proposal.switches
            s.messageRefcount = true
            s.rxLenBeforePollDone = false
            s.workerDeliversOnlyNotPolled = true
            s.coreClearsPrivAfterDelivery = false
            return s
        case .fixed:
            var s = Variant.upstream.switches
            s.rxLenBeforePollDone = true
            s.secondReleaseOnlyWhenPollDone = true
            s.decidesBeforeReleasing = true
            s.releaseOnPollDoneMark = true
            s.acquireOnPollDoneCheck = true
            s.pollDoneNotYetAfterTeardown = true
            return s
        }
    }

    /// The switches this variant changes from its base, in ``Switch`` order.
    public var differences: [Switch] {
        guard let base else { return [] }
        return Switch.allCases.filter { switches[$0] != base.switches[$0] }
    }

    /// The variant called `name`, or an error that lists the variants there are.
    public static func named(_ name: String) throws -> Variant {
        guard let variant = Variant(rawValue: name) else {
            throw VocabularyError("unknown variant '\(name)'; known variants: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return variant
    }
}
