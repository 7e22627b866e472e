import Foundation
import GSLBridge
import LinearAlgebra
import Numerics
import Testing

@testable import EffectiveGAN

/// Issue #13: the oscillator structure at z* gives the full `dgeev` spectrum, neutral modes by structure.
@Suite("Oscillator structure of the equilibrium eigenproblem")
struct OscillatorStructureTests {
    /// Largest distance between the two spectra under the best one-to-one matching, relative to ρ = max(1, max|λ|).
    static func spectralDistance(_ a: [Complex<Double>], _ b: [Complex<Double>]) -> Double {
        let cost = a.map { x in b.map { (x - $0).length } }
        let matching = minimumCostAssignment(cost)
        let ρ = max(1, a.map(\.length).max() ?? 0)
        return matching.enumerated().map { cost[$0.offset][$0.element] }.max()! / ρ
    }

    /// The structure's spectrum against `dgeev` on the whole analytic Jacobian, and its neutral count against the
    /// eigenvalues `dgeev` puts at rounding level (|λ| ≤ 1e-12 ρ; exact zeros come out near 1e-17 here, while the
    /// slowest physical modes of these models can be 1e-10, which the old 1e-8 ρ rule wrongly called neutral).
    static func check(_ model: EffectiveModel, _ label: String) throws {
        let structure = try #require(try OscillatorStructure(model), "\(label)")
        let structured = try structure.spectrum(gamma: model.gamma)
        let full = try model.jacobian(at: model.equilibriumState).eigenvalues()
        #expect(structured.dimension == full.count, "\(label)")
        let distance = spectralDistance(structured.eigenvalues, full)
        #expect(distance <= 1e-9, "\(label): \(distance)")
        let ρ = max(1, full.map(\.length).max()!)
        #expect(structured.count(of: .neutral) == full.filter { $0.length <= 1e-12 * ρ }.count, "\(label)")
        #expect(structured.neutralBreakdown?.total == structured.count(of: .neutral), "\(label)")
    }

    @Test(
        "equals the full dgeev spectrum (1e-9 ρ): every activation × training × loss × regulariser × d × decay",
        arguments: Activation.allCases, Training.allCases)
    func mlpModels(activation: Activation, training: Training) throws {
        var checked = 0
        try TestModels.forEachMLP(activation: activation, training: training, width: 6) { model, label in
            guard (try? model.verifiedEquilibriumResidual()) != nil else { return }
            try Self.check(model, label)
            checked += 1
        }
        #expect(checked >= 3 * 3 * 3)
    }

    @Test("equals the full spectrum for explicit and NTK kernels, replicated targets, and no output bias")
    func kernelKinds() throws {
        let kernels = [
            #"{"kind": "explicit", "matrix": [[1.0, 0.3, 0.1, 0.0], [0.3, 0.9, 0.2, 0.1], [0.1, 0.2, 1.1, 0.4], [0.0, 0.1, 0.4, 0.8]]}"#,
            #"{"kind": "ntk", "depth": 2, "activation": "relu", "latentDimension": 8, "seed": 4}"#,
            #"{"kind": "universal", "ratio": 1.0}"#,
        ]
        for kernel in kernels {
            for loss in Loss.allCases {
                for bias in [true, false] {
                    let json = """
                        {"dimension": 2, "target": {"kind": "ring", "modes": 2, "radius": 1.5},
                         "generator": {"particles": 4, "learningRate": 0.7, "kernel": \(kernel)},
                         "discriminator": {"kind": "mlp", "width": 7, "activation": "tanh", "train": "all", "seed": 9,
                                           "learningRate": 1.3, "outputBias": \(bias)},
                         "loss": "\(loss.rawValue)", "regularizer": {"kind": "r1", "strength": 0.6}}
                        """
                    try Self.check(EffectiveModel(try TestModels.source(json).resolved), "\(kernel) \(loss) \(bias)")
                }
            }
        }
    }

    @Test(
        "equals the full spectrum for linear discriminators (the Dirac GAN and a 3-d cloud)", arguments: Loss.allCases)
    func linearModels(loss: Loss) throws {
        for bias in [true, false] {
            try Self.check(
                try TestModels.dirac(loss: loss, outputBias: bias, etaG: 0.7, etaD: 1.9, gamma: 0.8), "dirac")
            let json = """
                {"dimension": 3, "target": {"kind": "line", "modes": 3},
                 "generator": {"particles": 6, "kernel": {"kind": "universal", "ratio": 0.2}},
                 "discriminator": {"kind": "linear", "outputBias": \(bias), "weightDecay": 0.1},
                 "loss": "\(loss.rawValue)", "regularizer": {"kind": "r2", "strength": 0.4}}
                """
            try Self.check(EffectiveModel(try TestModels.source(json).resolved), "linear \(loss) \(bias)")
        }
    }
}

/// The decoupled-oscillator oracle of spec §6, scale separation at large γ, and structural counts along γ.
@Suite("Oscillator structure: closed forms and large γ")
struct OscillatorClosedFormTests {
    static let fiveModes = """
        {"dimension": 2, "target": {"kind": "ring", "modes": 5},
         "generator": {"particles": 20},
         "discriminator": {"kind": "mlp", "width": 32, "activation": "tanh", "train": "all"},
         "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
        """

    /// φ = 0, N = M, wgan + r1: each eigenvalue c_k > 0 of C = (1/M) Σ_m G_mᵀ G_m gives the pair
    /// λ² + η_D γ c_k λ + η_D η_G g₁ c_k / N = 0. C is built here from the discriminator's own mixed derivatives
    /// ∂_a ∇_x D at the targets (the Jacobian's code path, not the structure's Gram formulas), and the roots are
    /// taken in the cancellation-free form, so at γ = 10⁶ the slow roots (~10⁻⁶) are checked to 1e-9 of themselves.
    @Test(
        "φ = 0, N = M, wgan + r1: the closed-form pair of every eigenvalue of C, to 1e-9 of each root",
        arguments: [0.3, 4.0, 1e6])
    func decoupledOscillators(gamma: Double) throws {
        let json = """
            {"dimension": 4, "target": {"kind": "points", "points": [[0.3, -1.1, 0.4, 0.9], [1.2, 0.5, -0.7, 0.1],
              [-0.8, 0.6, 1.0, -0.4], [0.2, -0.3, -1.3, 0.8], [-1.0, -0.9, 0.2, 0.5], [0.9, 1.1, 0.6, -1.2]]},
             "generator": {"particles": 6, "learningRate": 0.7, "kernel": {"kind": "universal", "ratio": 0.0, "self": 1.3}},
             "discriminator": {"kind": "mlp", "width": 12, "activation": "tanh", "train": "outer", "seed": 7,
                               "learningRate": 1.9},
             "loss": "wgan", "regularizer": {"kind": "r1", "strength": \(gamma)}}
            """
        let model = EffectiveModel(try TestModels.source(json).resolved)
        let (n, d, h) = (model.particleCount, model.dimension, 12)
        let slopes = model.targetBatch(model.equilibriumState.suffix(model.parameterCount).map { $0 })
            .mixedDerivatives()
        var c = Matrix(rows: h, columns: h)
        for k in 0..<h {
            for l in 0..<h {
                c[k, l] = (0..<(n * d)).reduce(0) { $0 + slopes[$1, k] * slopes[$1, l] } / Double(n)
            }
        }
        let (etaD, etaG, g1) = (1.9, 0.7, 1.3)
        var expected: [Complex<Double>] = []
        for ck in try c.symmetricEigenvalues() where ck > 1e-12 {
            let b = etaD * gamma * ck
            let q = etaD * etaG * g1 * ck / Double(n)
            let discriminant = b * b - 4 * q
            if discriminant < 0 {
                expected += [
                    Complex(-b / 2, (-discriminant).squareRoot() / 2),
                    Complex(-b / 2, -(-discriminant).squareRoot() / 2),
                ]
            } else {
                let large = -(b + discriminant.squareRoot()) / 2
                expected += [Complex(large, 0), Complex(q / large, 0)]
            }
        }
        let computed = try StabilityAnalysis(model: model).spectrum.activeModes.map(\.eigenvalue)
        #expect(computed.count == expected.count)
        let cost = expected.map { e in computed.map { ($0 - e).length / e.length } }
        let matching = minimumCostAssignment(cost)
        let worst = matching.enumerated().map { cost[$0.offset][$0.element] }.max()!
        #expect(worst <= 1e-9, "γ = \(gamma): \(worst)")
    }

    /// The σ-losses' bias c sits in the undamped-by-S block with a γ-independent damping 2η_D f″(0) = −½: its rank
    /// must not be judged against ‖A(γ)‖ ~ γ (it would turn neutral at large γ and hide the slow root).
    @Test("Dirac GAN with a σ-loss and output bias: no neutral mode and the closed-form slow root up to γ = 1e14")
    func sigmaLossLargeGamma() throws {
        for loss in [Loss.minimax, .nonsaturating] {
            for gamma in [1e2, 1e6, 1e10, 1e14] {
                let spectrum = try StabilityAnalysis(
                    model: try TestModels.dirac(loss: loss, outputBias: true, gamma: gamma)
                ).spectrum
                #expect(spectrum.count(of: .neutral) == 0, "\(loss) γ = \(gamma)")
                // λ² + γλ + ¼ = 0 without cancellation: λ_fast = −(γ + √(γ² − 1))/2, λ_slow = ¼/λ_fast; c at −½.
                let fast = -(gamma + (gamma * gamma - 1).squareRoot()) / 2
                let slow = 0.25 / fast
                #expect(spectrum.rate.isApproximatelyEqual(to: -slow, absoluteTolerance: 1e-9 * -slow), "\(loss) γ = \(gamma): \(spectrum.rate)")
                #expect(spectrum.modes.contains { abs($0.eigenvalue.real + 0.5) <= 1e-12 })
            }
        }
    }

    @Test("the neutral count is the same at every γ > 0 and no γ > 0 is marginal, with targets spread inside modes")
    func neutralCountAlongGamma() throws {
        let spread = Self.fiveModes.replacingOccurrences(
            of: #""modes": 5}"#, with: #""modes": 5, "samplesPerMode": 4, "spread": 0.1}"#)
        let source = try TestModels.source(spread)
        let sweep = try Sweep.run(source, values: [1e-3, 1, 1e3, 1e6, 1e8])
        let counts = Set(sweep.points.map { $0.spectrum.count(of: .neutral) })
        #expect(counts == [105])
        for point in sweep.points {
            #expect([.underdamped, .overdamped].contains(point.spectrum.regime), "γ = \(point.value)")
            #expect(point.spectrum.neutralRule == .structure)
        }
    }

    @Test("5 modes, 20 particles: the same γ* on [1e-3, 1e3] and [1e-3, 1e8]; γ·r(γ) tends to a constant")
    func optimumIndependentOfInterval() throws {
        let source = try TestModels.source(Self.fiveModes)
        let near = try OptimalStrength.find(source, from: 1e-3, to: 1e3)
        let far = try OptimalStrength.find(source, from: 1e-3, to: 1e8)
        #expect(near.gamma.isApproximatelyEqual(to: far.gamma, absoluteTolerance: 2e-6 * near.gamma), "\(near.gamma) vs \(far.gamma)")
        #expect(near.relation == .branchCrossing && far.relation == .branchCrossing)
        let sweep = try Sweep.run(source, values: [1e6, 1e7, 1e8])
        let products = sweep.points.map { $0.value * $0.spectrum.rate }
        #expect(Set(sweep.points.map { $0.spectrum.count(of: .neutral) }).count == 1)
        #expect(products[2].isApproximatelyEqual(to: products[1], absoluteTolerance: 1e-6 * products[2]), "\(products)")
        #expect(products[1].isApproximatelyEqual(to: products[0], absoluteTolerance: 1e-4 * products[2]), "\(products)")
    }
}

/// The cross-check's eigenvector from the structure (no dense J) is an eigenvector of the dense J.
@Suite("Oscillator structure eigenvectors")
struct OscillatorStructureEigenvectorTests {
    @Test("J v = λ v to 1e-9 ‖J‖ for the structure's dominant mode", arguments: Activation.allCases)
    func eigenvectorResidual(activation: Activation) throws {
        var tested = 0
        defer { #expect(tested >= 20, "only \(tested) models reached the check") }
        for training in Training.allCases {
            try TestModels.forEachMLP(activation: activation, training: training) { model, label in
                guard model.regularizer != .none, (try? model.verifiedEquilibriumResidual()) != nil,
                    let structure = try OscillatorStructure(model),
                    let dominant = try StabilityAnalysis(model: model).spectrum.dominantMode
                else { return }
                let v = try structure.eigenvector(nearest: dominant.eigenvalue, model: model)
                let j = model.jacobian(at: model.equilibriumState)
                let real = j.apply(v.map(\.real))
                let imaginary = j.apply(v.map(\.imaginary))
                let λ = dominant.eigenvalue
                let residual = v.indices.reduce(0.0) { total, i in
                    let jv = Complex(real[i], imaginary[i])
                    return total + (jv - λ * v[i]).lengthSquared
                }.squareRoot()
                #expect(residual <= 1e-9 * max(1, j.frobeniusNorm), "\(label): ‖Jv − λv‖ = \(residual)")
                tested += 1
            }
        }
    }
}
