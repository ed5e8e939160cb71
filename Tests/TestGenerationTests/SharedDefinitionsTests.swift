import Foundation
import TestGeneration
import Traces
import TransitionSystems
import TransportSpec
import Vocabulary
import WeakMemory
import XCTest

/// The implementation's checks of the properties defined once in the vocabulary (quiescence's
/// leak check, the lost wakeup) and the spec's invariants judge the recorded counterexamples alike.
final class SharedDefinitionsTests: XCTestCase {
    private var traces: [(String, Trace)] {
        get throws {
            let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Generated/Traces")
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { name in
                (name, try Trace(itf: try Data(contentsOf: folder.appendingPathComponent(name))))
            }
        }
    }

    func testTheImplementationAndTheSpecFirstSeeALeakOrALostWakeupAtTheSameStep() throws {
        var compared = 0
        for (name, trace) in try traces {
            let variant = try Variant.named(try XCTUnwrap(trace.variant))
            let configuration = try trace.transportConfiguration(variant: variant)
            // A weak counterexample is a run of the spec's weak-memory transformation.
            let model = TransportSpec.make(configuration)
            let system = try GeneratedTest.memoryModel(of: trace) == .sc
                ? TransitionSystem(model) : TransitionSystem(try WeakMemoryTransformation(model).transformed())
            let spec = try trace.replay(in: system)
            let outcome = try replay(trace: trace, variant: variant)
            guard outcome.divergence == nil else { continue }  // a recorded finding: the two part ways before the end
            for property in [Property.noLeakAtQuiescence, .noLostWakeup] {
                let inSpec = spec.brokenInvariants.firstIndex { $0.contains(property.rawValue) }
                XCTAssertEqual(outcome.record.firstViolation(of: property.rawValue), inSpec, "\(name): \(property)")
            }
            compared += 1
        }
        XCTAssertGreaterThan(compared, 10, "the recorded counterexamples replay")
    }
}
