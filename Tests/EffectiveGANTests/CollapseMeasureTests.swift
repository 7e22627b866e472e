import Foundation
import LinearAlgebra
import Numerics
import Testing

@testable import EffectiveGAN

/// Issue #15: collapse measures for high dimension, the discriminator's learning speeds (frequency principle), the
/// boundary extraction and the predictor, each against numbers known by hand.
@Suite("Collapse measures and the frequency principle")
struct CollapseMeasureTests {
    @Test("cosine assignment, covered modes and mean |cos| on hand-made clouds")
    func cosineMeasures() {
        // Modes at (1, 0) and (0, 3). By angle, (3, 0) and (10, 0.5) belong to the first and (0.2, 0.3), at 56°
        // from the x axis, to the second; by distance all three are nearest (1, 0).
        let modes = Matrix([[1, 0], [0, 3]])
        let cloud = Matrix([[3, 0], [10, 0.5], [0.2, 0.3]])
        #expect(ParticleGeometry.mostAlignedRows(of: cloud, among: modes) == [0, 0, 1])
        #expect(ParticleGeometry.nearestRows(of: cloud, among: modes) == [0, 0, 0])
        let (metric, covered) = EffectiveModel.collapseMetric(nearest: [0, 0, 1], modeCount: 2)
        // ln 2 + ⅔ ln ⅔ + ⅓ ln ⅓.
        #expect(metric.isApproximatelyEqual(to: (log(2) + 2.0 / 3 * log(2.0 / 3) + 1.0 / 3 * log(1.0 / 3)), absoluteTolerance: 1e-15))
        #expect(covered == 2)
        #expect(EffectiveModel.collapseMetric(nearest: [1, 1, 1], modeCount: 2) == (log(2), 1))
        // Collinear points (either sign): |cos| = 1; an orthogonal pair: 0; a zero vector has no direction (0).
        #expect((ParticleGeometry.meanAbsoluteCosine(Matrix([[1, 1], [2, 2], [-3, -3]]))).isApproximatelyEqual(to: 1, absoluteTolerance: 1e-15))
        #expect(ParticleGeometry.meanAbsoluteCosine(Matrix([[1, 0], [0, 2]])) == 0)
        #expect(ParticleGeometry.meanAbsoluteCosine(Matrix([[0, 0], [1, 1]])) == 0)
        // Three unit vectors at 0°, 60°, 120°: |cos| = ½, ½, ½ for the three pairs.
        let angles = [0.0, Double.pi / 3, 2 * Double.pi / 3]
        let fan = Matrix(angles.map { [cos($0), sin($0)] })
        #expect(ParticleGeometry.meanAbsoluteCosine(fan).isApproximatelyEqual(to: 0.5, absoluteTolerance: 1e-15))
        // Squared distances from coordinate differences: exact for nearly equal points.
        let near = ParticleGeometry.squaredDistances(Matrix([[1e8, 1]]), Matrix([[1e8, 1 + 1e-6]]))
        #expect(near[0, 0].isApproximatelyEqual(to: 1e-12, absoluteTolerance: 1e-20))
    }

    @Test("random Fourier features on two modes: κ_mean = ¼(1 + e), κ_sep = ¼(1 − e), e = exp(−δ²/(2σ²))")
    func learningSpeedClosedForm() throws {
        // Bandwidth σ = 1/σ_w. For K = 2, κ_sep = (1/4H) Σ_k (cos u_1k − cos u_2k)² (mean 1 − e) and
        // κ_mean = (1/4H) Σ_k (cos u_1k + cos u_2k)² (mean 1 + e). With H = 2000 seeded features the sampling error
        // of κ_sep is at most 4.2 % (for small σ_w δ the summand is ≈ w²δ² sin²u, whose relative spread is
        // √(E w⁴ E sin⁴u / (E w² E sin²u)² − 1) = √(3 · (3/8) / (1/4) − 1) ≈ 1.87, over √2000) and 0.008 in κ_mean:
        // the closed form must hold to 3.5 standard errors, 15 % and 0.03.
        for (weightStd, spacing) in [(0.5, 1.0), (1.5, 1.0), (1.0, 2.0)] {
            let source = try TestModels.source(
                """
                {"dimension": 1, "target": {"kind": "line", "modes": 2, "spacing": \(spacing)},
                 "generator": {"particles": 2},
                 "discriminator": {"kind": "mlp", "width": 2000, "activation": "cos", "train": "outer",
                                   "weightStd": \(weightStd), "outputBias": false},
                 "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1}}
                """)
            let speed = try DiscriminatorLearningSpeed(model: EffectiveModel(source.resolved))
            let e = exp(-weightStd * weightStd * spacing * spacing / 2)
            #expect(speed.mean.isApproximatelyEqual(to: (1 + e) / 4, absoluteTolerance: 0.03), "σ_w \(weightStd), δ \(spacing): \(speed.mean)")
            #expect(
                (speed.separation / ((1 - e) / 4)).isApproximatelyEqual(to: 1, absoluteTolerance: 0.15), "σ_w \(weightStd), δ \(spacing): \(speed.separation)")
            // Exactly, for any sample: tr G = κ_mean + (K − 1) κ_sep = the sum of G's eigenvalues.
            #expect(speed.spectrum.reduce(0, +).isApproximatelyEqual(to: (speed.mean + speed.separation), absoluteTolerance: 1e-12))
        }
    }

    @Test("boundary extraction: the first upward crossing of ½ ln K, interpolated, on synthetic curves")
    func crossing() {
        // A straight line through (0.1, 0.2) and (0.2, 0.6) crosses 0.4 at 0.15.
        #expect((CollapseStudy.crossing([0, 0.1, 0.2, 0.3], [0, 0.2, 0.6, 1.0], 0.4)!).isApproximatelyEqual(to: 0.15, absoluteTolerance: 1e-15))
        // A curve that dips back below counts its first crossing; one never reaching the level has none.
        #expect(CollapseStudy.crossing([0, 1, 2, 3], [0, 1, 0, 1], 0.5) == 0.5)
        #expect(CollapseStudy.crossing([0, 1, 2], [0, 0.1, 0.2], 0.5) == nil)
        // Starting above: the first grid point.
        #expect(CollapseStudy.crossing([0.2, 0.4], [0.9, 1.0], 0.5) == 0.2)
    }

    @Test("the predictor's boundary solves (1 + (N − 1)φ)²/(1 − φ) = R; ranks correlate by Spearman's ρ")
    func predictor() {
        for (drive, n) in [(50.0, 32.0), (400.0, 100.0), (2.0, 8.0)] {
            let φ = CollapsePrediction.boundary(drive: drive, particles: n)
            let u = 1 + (n - 1) * φ
            #expect((u * u / (1 - φ)).isApproximatelyEqual(to: drive, absoluteTolerance: 1e-9 * drive))
        }
        // R < 1: even uncoupled particles collapse (φ_c clamps to 0).
        #expect(CollapsePrediction.boundary(drive: 0.5, particles: 32) == 0)
        #expect(CollapsePrediction.spearman([1, 2, 3, 4], [10, 20, 40, 30]) == 0.8)
        #expect(CollapsePrediction.spearman([1, 1, 2], [1, 2, 3])! > 0.86)
    }

    @Test("several --vs axes make every combination, the last varying fastest")
    func productRows() {
        let (path, values) = CollapseStudy.product([
            ("discriminator.activation", [.string("relu"), .string("tanh")]),
            ("discriminator.learningRate", [.number(0.1), .number(1), .number(10)]),
        ])
        #expect(path == ["discriminator.activation", "discriminator.learningRate"])
        #expect(values.count == 6)
        #expect(values[1] == .array([.string("relu"), .number(1)]))
        #expect(CollapseStudy.describe(values[5]) == "tanh, 10")
        #expect(CollapseStudy.product([("a", [.number(1)])]).0 == ["a"])
    }

    @Test("relative horizons stretch the run by 1/(1 − φ), at most 50×")
    func horizon() {
        #expect(CollapseStudy.Horizon.fixed.stretch(ratio: 0.9) == 1)
        #expect(CollapseStudy.Horizon.relative.stretch(ratio: 0.75).isApproximatelyEqual(to: 4, absoluteTolerance: 1e-12))
        #expect(CollapseStudy.Horizon.relative.stretch(ratio: 1) == 50)
    }
}
