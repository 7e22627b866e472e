import Foundation
import Numerics
import Testing

@testable import EffectiveGAN

/// Spec §8: the resolved model lists every number; read back, it reproduces results bit for bit.
@Suite("Resolved models")
struct ResolvedModelTests {
    @Test("JSON text round-trips every number exactly", arguments: Preset.allCases)
    func roundTrip(preset: Preset) throws {
        let resolved = try ModelSource(preset: preset).resolved
        let text = resolved.json.prettyText
        let reread = try ModelSource(json: JSONValue.parse(Data(text.utf8), source: "roundtrip"), defaultName: "x")
        #expect(reread.resolved == resolved)
        #expect(reread.config == nil)
    }

    @Test("analysis of the resolved model is bit-identical to the config's", arguments: Preset.allCases)
    func bitIdenticalAnalysis(preset: Preset) throws {
        let resolved = try ModelSource(preset: preset).resolved
        let reread = try ResolvedModel(json: JSONValue.parse(Data(resolved.json.compactText.utf8), source: "r"))
        let a = try StabilityAnalysis(model: EffectiveModel(resolved, gamma: 0.37)).spectrum.eigenvalues
        let b = try StabilityAnalysis(model: EffectiveModel(reread, gamma: 0.37)).spectrum.eigenvalues
        #expect(a == b)
    }

    @Test("keys are exactly those of spec §8, in order")
    func keys() throws {
        let json = try ModelSource(preset: .ring8).resolved.json
        guard case let .object(pairs) = json else {
            Issue.record("not an object")
            return
        }
        #expect(
            pairs.map(\.0) == [
                "targets", "particles", "initialParticles", "kernel", "discriminator", "etaD", "loss", "regularizer",
                "gamma",
            ])
        guard case let .object(disc)? = json["discriminator"] else {
            Issue.record("no discriminator object")
            return
        }
        #expect(disc.map(\.0) == ["kind", "activation", "train", "W", "b", "outputBias", "weightDecay"])
    }

    @Test("seeded randomness is reproducible: ring8's first weights are fixed numbers")
    func seededWeights() throws {
        let resolved = try ModelSource(preset: .ring8).resolved
        guard let layer = resolved.discriminator.mlp?.layers.first else {
            Issue.record("ring8 must be an mlp")
            return
        }
        let (weights, biases) = (layer.weights, layer.biases)
        #expect(weights.count == 64 && biases.count == 64)
        // Pinned: mt19937 seed 3 with gsl_ran_gaussian (W row-major first), then uniform phases on [0, 2π).
        #expect(weights[0] == [-0.7577521440857319, 0.811979488418343])
        #expect(weights[1] == [-0.666402456139488, 2.769229940077901])
        #expect(Array(biases.prefix(3)) == [2.3103459792749765, 6.26944021020684, 1.2876745476249414])
        // Drawn again from a fresh generator with the same seed: identical.
        let again = try ModelSource(preset: .ring8).resolved
        #expect(again == resolved)
        #expect(biases.allSatisfy { $0 >= 0 && $0 < 2 * Double.pi })
    }

    @Test("ring targets sit on the circle, matched particles on the targets")
    func ringGeometry() throws {
        let resolved = try ModelSource(preset: .ring8).resolved
        for (k, point) in resolved.targets.enumerated() {
            let angle = 2 * Double.pi * Double(k) / 8
            #expect(point[0].isApproximatelyEqual(to: 2 * cos(angle), absoluteTolerance: 1e-15) && point[1].isApproximatelyEqual(to: 2 * sin(angle), absoluteTolerance: 1e-15))
        }
        #expect(resolved.particles == resolved.targets)
    }
}
