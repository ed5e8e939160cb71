import TransitionSystems

/// A small system with known answers, shared by every engine's tests and loadable by name from the CLI.
///
/// The expected results were worked out by hand; each fixture's file explains how.
public struct Fixture: Sendable {
    /// The name the CLI takes: `scmi-check check --spec NAME`.
    public let name: String
    /// What the fixture models, in one sentence.
    public let summary: String
    public let spec: Spec
    /// The expected result per invariant name.
    public let expectations: [String: Expectation]

    public init(name: String, summary: String, spec: Spec, expectations: [String: Expectation]) {
        self.name = name
        self.summary = summary
        self.spec = spec
        self.expectations = expectations
    }
}

/// The fixtures, by name.
public enum Fixtures {
    /// Every fixture, in a stable order.
    public static let all: [Fixture] = [
        NaiveMutex.fixture, PetersonMutex.fixture, RingBuffer.fixture, RingBuffer.overflowingFixture,
        BufferPool.fixture, BufferPool.doubleReleaseFixture,
    ]

    /// The fixture called `name`.
    public static func named(_ name: String) -> Fixture? {
        all.first { $0.name == name }
    }
}
