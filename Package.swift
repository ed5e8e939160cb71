// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "scmi-check",
    products: [
        .executable(name: "scmi-check", targets: ["scmi-check"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: - Solver
        .systemLibrary(
            name: "CZ3",
            path: "Sources/CZ3",
            pkgConfig: "z3",
            providers: [.apt(["libz3-dev"])]
        ),
        .target(name: "SMT", dependencies: ["CZ3"]),

        // MARK: - The names spec, implementation, generator and command line share
        .target(name: "Vocabulary"),

        // MARK: - Specification and checking
        .target(name: "TransitionSystems"),
        .target(name: "Traces", dependencies: ["TransitionSystems"]),
        .target(name: "Checking", dependencies: ["TransitionSystems", "Traces", "SMT"]),
        .target(name: "Fixtures", dependencies: ["TransitionSystems"]),
        .target(name: "TransportSpec", dependencies: ["TransitionSystems", "Vocabulary"], path: "Spec", exclude: ["Litmus"]),

        // MARK: - The Linux-kernel memory model and litmus tests
        .target(name: "MemoryModel"),
        .target(name: "WeakMemory", dependencies: ["TransitionSystems", "MemoryModel", "Checking"]),

        // MARK: - The system under test
        .target(name: "Scheduling"),
        .target(name: "VirtioSCMI", dependencies: ["Scheduling", "Vocabulary"]),
        .executableTarget(
            name: "scmi-stress",
            dependencies: [
                "VirtioSCMI", "Scheduling", "Vocabulary",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Counterexamples to tests
        .target(
            name: "TestGeneration",
            dependencies: ["TransitionSystems", "Traces", "TransportSpec", "VirtioSCMI", "Scheduling", "Vocabulary", "WeakMemory"]
        ),

        // MARK: - Command line
        .target(
            name: "SCMICheckCLI",
            dependencies: [
                "TransitionSystems", "Traces", "Checking", "Fixtures", "TransportSpec", "TestGeneration", "Vocabulary",
                "MemoryModel", "WeakMemory",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "scmi-check", dependencies: ["SCMICheckCLI"]),
        .executableTarget(name: "scmi-bench", path: "Sources/scmi-bench"),

        // MARK: - Tests
        .testTarget(name: "SMTTests", dependencies: ["SMT"]),
        .testTarget(name: "VocabularyTests", dependencies: ["Vocabulary"]),
        .testTarget(name: "TransitionSystemsTests", dependencies: ["TransitionSystems", "Fixtures"]),
        .testTarget(name: "TracesTests", dependencies: ["Traces", "TransitionSystems", "Fixtures", "Checking"]),
        .testTarget(name: "CheckingTests", dependencies: ["Checking", "TransitionSystems", "Fixtures", "Traces"]),
        .testTarget(name: "FixturesTests", dependencies: ["Fixtures", "Checking", "TransitionSystems"]),
        .testTarget(name: "PromelaExportTests", dependencies: ["TransitionSystems", "Fixtures", "Checking", "TransportSpec"]),
        .testTarget(name: "TransportSpecTests", dependencies: ["TransportSpec", "Checking", "TransitionSystems", "Vocabulary"]),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling"]),
        .testTarget(name: "VirtioSCMITests", dependencies: ["VirtioSCMI", "Scheduling", "Vocabulary"]),
        .testTarget(
            name: "scmi-stressTests",
            dependencies: [
                "scmi-stress", "VirtioSCMI", "Scheduling", "Vocabulary",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "MemoryModelTests", dependencies: ["MemoryModel"]),
        .testTarget(name: "WeakMemoryTests", dependencies: ["WeakMemory", "MemoryModel", "TransitionSystems", "Checking", "TransportSpec", "Vocabulary"]),
        .testTarget(name: "SCMICheckCLITests", dependencies: ["SCMICheckCLI"], exclude: ["Golden"]),
        .testTarget(name: "TestGenerationTests", dependencies: ["TestGeneration", "TransportSpec", "Traces", "TransitionSystems", "Checking", "VirtioSCMI", "Vocabulary", "WeakMemory"]),
        .testTarget(name: "GeneratedTests", dependencies: ["TestGeneration", "VirtioSCMI", "Traces", "Vocabulary"], path: "Generated", exclude: ["Traces", "FINDINGS.md"]),
    ],
    swiftLanguageModes: [.v5]
)
