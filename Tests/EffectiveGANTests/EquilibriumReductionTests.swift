import LinearAlgebra
import Numerics
import Testing

@testable import EffectiveGAN

/// Issue #7: the exactly reduced eigenproblem at z* has the same spectrum as the full `dgeev`.
@Suite("Exact reduction of the equilibrium eigenproblem")
struct EquilibriumReductionTests {
    /// Largest distance between the two spectra under the best one-to-one matching, relative to ρ = max(1, max|λ|).
    static func spectralDistance(_ a: [Complex<Double>], _ b: [Complex<Double>]) -> Double {
        let cost = a.map { x in b.map { (x - $0).length } }
        let matching = minimumCostAssignment(cost)
        let ρ = max(1, a.map(\.length).max() ?? 0)
        return matching.enumerated().map { cost[$0.offset][$0.element] }.max()! / ρ
    }

    @Test(
        "reduced spectrum equals the full dgeev spectrum: every activation × training × loss × regulariser",
        arguments: Activation.allCases, Training.allCases)
    func reducedEqualsFull(activation: Activation, training: Training) throws {
        var checked = 0
        try TestModels.forEachMLP(activation: activation, training: training, width: 16) { model, label in
            guard (try? model.verifiedEquilibriumResidual()) != nil else { return }
            let reduction = try #require(try EquilibriumReduction(model))
            // M = 2 targets: S has at most 2(1 + d) < 16 directions, so the problem really shrinks.
            #expect(reduction.reducedJacobian.rows <= model.particleBlockLength + 2 * (1 + model.dimension) + 1)
            let full = try model.jacobian(at: model.equilibriumState).eigenvalues()
            let reduced = try reduction.eigenvalues()
            #expect(reduced.count == full.count)
            let distance = Self.spectralDistance(reduced, full)
            #expect(distance <= 1e-7, "\(label): \(distance)")
            checked += 1
        }
        #expect(checked >= 3 * 3 * 3)
    }

    @Test("the complement eigenvalue is −η_D(γ + μ) under l2 with weight decay, and the analysis uses it")
    func complementClosedForm() throws {
        let model = try TestModels.mlp(
            activation: .cos, training: .outer, loss: .wgan, regularizer: .l2, weightDecay: 0.25, dimension: 2,
            gamma: 0.7, width: 16)
        let reduction = try #require(try EquilibriumReduction(model))
        #expect(abs(reduction.complementEigenvalue - -1.7 * (0.7 + 0.25)) <= 1e-15)
        #expect(reduction.complementCount == 16 - 6)
        let analysis = try StabilityAnalysis(model: model)
        #expect(analysis.diagonalisedDimension == 8 + 6 + 1)
        #expect(analysis.spectrum.modes.count == model.stateDimension)
    }

    @Test("the 1153-dimensional benchmark model reduces to 153 dimensions with the same spectrum")
    func benchmarkModel() throws {
        let json = """
            {"dimension": 2,
             "target": {"kind": "ring", "modes": 8, "radius": 2.0, "samplesPerMode": 1, "spread": 0.0, "seed": 1},
             "generator": {"particles": 16, "kernel": {"kind": "universal", "ratio": 0.1}},
             "discriminator": {"kind": "mlp", "width": 128, "activation": "tanh", "train": "all", "seed": 3},
             "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
            """
        let model = EffectiveModel(try TestModels.source(json).resolved)
        let reduction = try #require(try EquilibriumReduction(model))
        #expect(model.stateDimension == 32 + 128 * 4 + 1)
        #expect(reduction.reducedJacobian.rows == 32 + 8 * 3 + 1)
        let distance = Self.spectralDistance(
            try reduction.eigenvalues(), try model.jacobian(at: model.equilibriumState).eigenvalues())
        #expect(distance <= 1e-7)
    }
}
