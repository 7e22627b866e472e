import Foundation
import Numerics
import Testing

@testable import EffectiveGAN

/// Issue #13: a convergence measure that ignores the arrangement inside a mode.
@Suite("Mode-centre distance")
struct ModeCentresTests {
    /// Two modes at x = ±2 with two targets each (spread ±0.1 in y), four particles.
    static let json = """
        {"dimension": 2, "target": {"kind": "points", "points": [[-2, -0.1], [-2, 0.1], [2, -0.1], [2, 0.1]]},
         "generator": {"particles": 4}, "discriminator": {"kind": "linear"}, "loss": "wgan",
         "regularizer": {"kind": "r1", "strength": 1}}
        """

    @Test("moving particles inside a mode changes the distance but not the centres; shifting a mode moves both")
    func handMadeClouds() throws {
        let source = try TestModels.source(Self.json)
        let model = EffectiveModel(source.resolved)
        let modes = [0, 0, 1, 1]
        let θ = Array(model.equilibriumState.suffix(model.parameterCount))
        // Both particles of mode 0 at its centre: each is 0.1 from its target, the centre is exact.
        let inside = [-2.0, 0, -2, 0, 2, -0.1, 2, 0.1] + θ
        #expect(abs(model.modeCentreDistance(at: inside, modes: modes)) <= 1e-15)
        #expect(model.observables(at: inside).distance.isApproximatelyEqual(to: (0.02).squareRoot(), absoluteTolerance: 1e-12))
        // Mode 1 shifted by (0, 0.3): both particles 0.3 off, the centre 0.3 off, weighted by √2.
        let shifted = [-2.0, -0.1, -2, 0.1, 2, 0.2, 2, 0.4] + θ
        #expect(model.modeCentreDistance(at: shifted, modes: modes).isApproximatelyEqual(to: 0.3 * 2.0.squareRoot(), absoluteTolerance: 1e-12))
        // Each target its own mode: the centre distance is the matched distance.
        #expect(model.modeCentreDistance(at: inside, modes: [0, 1, 2, 3]).isApproximatelyEqual(to: (0.02).squareRoot(), absoluteTolerance: 1e-12))
    }

    @Test("modes come from samplesPerMode and travel with the resolved model; without them each target is a mode")
    func targetModes() throws {
        let ring = try TestModels.source(
            #"{"dimension": 2, "target": {"kind": "ring", "modes": 3, "samplesPerMode": 2, "spread": 0.1}, "generator": {"particles": 6}, "discriminator": {"kind": "linear"}}"#
        )
        #expect(ring.targetModes == [0, 0, 1, 1, 2, 2])
        let resolved = try ModelSource(json: ring.resolved.json, defaultName: "r")
        #expect(resolved.targetModes == [0, 0, 1, 1, 2, 2])
        #expect(EffectiveModel(resolved.resolved).modes.rows == 3)
        guard case var .object(pairs) = ring.resolved.json else { return }
        pairs.removeAll { $0.0 == "targetModes" }
        let bare = try ModelSource(json: .object(pairs), defaultName: "r")
        #expect(bare.targetModes == [0, 1, 2, 3, 4, 5])
        #expect(EffectiveModel(bare.resolved).modes.rows == 6)
        // Mode centres are the means of their samples.
        let centres = EffectiveModel(resolved.resolved).modes
        let targets = resolved.resolved.targets
        for α in 0..<2 { #expect(centres[0, α].isApproximatelyEqual(to: (targets[0][α] + targets[1][α]) / 2, absoluteTolerance: 1e-15)) }
    }
}
