import Foundation
import LinearAlgebra
import Numerics
import Testing

@testable import EffectiveGAN

@Suite("Generator NTK and the universal kernel")
struct GeneratorKernelTests {
    /// Two exactly orthogonal unit latent inputs.
    static let orthogonal = Matrix([[1, 0], [0, 1]])

    @Test("bias-free two-layer ReLU at orthogonal inputs: φ = 1/(2π) (all layers) and 1/π (readout) to 1e-12")
    func arcCosineClosedForms() throws {
        let all = try GeneratorNetwork(depth: 1, activation: .relu).infiniteWidthKernel(latents: Self.orthogonal)
        #expect((all[0, 1] / all[0, 0]).isApproximatelyEqual(to: 1 / (2 * Double.pi), absoluteTolerance: 1e-12))
        let readout = try GeneratorNetwork(depth: 1, activation: .relu, training: .readout).infiniteWidthKernel(
            latents: Self.orthogonal)
        #expect((readout[0, 1] / readout[0, 0]).isApproximatelyEqual(to: 1 / Double.pi, absoluteTolerance: 1e-12))
    }

    @Test("tanh by Gauss–Hermite agrees with erf's closed form where they coincide in structure: E[φ(u)²] sanity")
    func quadratureSanity() throws {
        // For tanh at variance → 0 the kernel is linear: Σ² ≈ σ_w² Σ¹.
        let network = try GeneratorNetwork(depth: 1, activation: .tanh)
        let (value, slope) = network.expectations(1e-6, 1e-6, 5e-7)
        #expect(value.isApproximatelyEqual(to: 5e-7, absoluteTolerance: 1e-12))
        #expect(slope.isApproximatelyEqual(to: 1, absoluteTolerance: 1e-5))
    }

    @Test(
        "the recursion matches the empirical NTK at width 4096 within 3 standard errors",
        arguments: GeneratorNetwork.Activation.allCases)
    func empiricalAgreement(activation: GeneratorNetwork.Activation) throws {
        let network = try GeneratorNetwork(depth: 1, activation: activation, biasVariance: 0.1)
        let z = try LatentDistribution.gaussian.samples(count: 4, dimension: 8, seed: 5)
        let exact = network.infiniteWidthKernel(latents: z)
        let draws = try (1...8).map { try network.empiricalKernel(latents: z, width: 4096, seed: $0) }
        for i in 0..<4 {
            for j in 0..<4 {
                let values = draws.map { $0[i, j] }
                let mean = values.reduce(0, +) / Double(values.count)
                let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
                let standardError = (variance / Double(values.count)).squareRoot()
                #expect(
                    mean.isApproximatelyEqual(to: exact[i, j], absoluteTolerance: 3 * standardError + 1e-12),
                    "\(activation) [\(i)][\(j)]: \(mean) vs \(exact[i, j]) ± \(standardError)")
            }
        }
    }

    @Test("the universal-fit residual decreases as d_z grows")
    func universalityImprovesWithLatentDimension() throws {
        let network = try GeneratorNetwork(depth: 2, activation: .relu, biasVariance: 0.1)
        let residuals = try [2, 8, 32, 128, 512].map { d in
            UniversalFit(
                network.infiniteWidthKernel(
                    latents: try LatentDistribution.gaussian.samples(count: 16, dimension: d, seed: 3))
            ).residual
        }
        for (a, b) in zip(residuals, residuals.dropFirst()) { #expect(b < a, "\(residuals)") }
    }

    @Test("bad network descriptions are refused")
    func badInput() {
        #expect(throws: KernelError.self) { try GeneratorNetwork(depth: 0, activation: .relu) }
        #expect(throws: KernelError.self) { try LatentDistribution.gaussian.samples(count: 4, dimension: 0, seed: 1) }
        #expect(throws: KernelError.self) {
            try GeneratorNetwork(depth: 1, activation: .relu).empiricalKernel(
                latents: Self.orthogonal, width: 0, seed: 1)
        }
    }
}

@Suite("The ntk kernel kind in configs")
struct NTKConfigTests {
    static let config = """
        {"dimension": 2, "target": {"kind": "ring", "modes": 4, "radius": 1.5},
         "generator": {"particles": 8, "learningRate": 0.7,
                       "kernel": {"kind": "ntk", "depth": 2, "activation": "erf", "biasVariance": 0.1, "latentDimension": 16, "seed": 2}},
         "discriminator": {"kind": "mlp", "width": 6, "activation": "tanh", "train": "all"},
         "loss": "minimax", "regularizer": {"kind": "r2", "strength": 0.5}}
        """

    @Test("K = (η_G/N)·Θ, dense path, exact Jacobian, bit-identical through the resolved model")
    func ntkKernel() throws {
        let source = try TestModels.source(Self.config)
        let kernel = source.resolved.kernel
        let meanDiagonal = (0..<8).reduce(0.0) { $0 + kernel[$1][$1] } / 8
        // Θ's mean diagonal from the network's own recursion (spec §4: it plays g₁), then K_ii = η_G g₁/N.
        let network = try GeneratorNetwork(depth: 2, activation: .erf, biasVariance: 0.1)
        let theta = network.infiniteWidthKernel(
            latents: try LatentDistribution.gaussian.samples(count: 8, dimension: 16, seed: 2))
        let g1 = (0..<8).reduce(0.0) { $0 + theta[$1, $1] } / 8
        #expect(meanDiagonal.isApproximatelyEqual(to: 0.7 * g1 / 8, relativeTolerance: 1e-14))
        #expect(!g1.isApproximatelyEqual(to: 1, relativeTolerance: 1e-3), "a normalised Θ would not test the scale")
        let model = EffectiveModel(source.resolved)
        guard case .dense = model.kernel else {
            Issue.record("an NTK kernel is not universal")
            return
        }
        let z = TestModels.randomState(near: model)
        #expect(relativeFrobeniusError(model.jacobian(at: z), model.finiteDifferenceJacobian(at: z)) <= 1e-6)
        let reread = try ResolvedModel(json: JSONValue.parse(Data(source.resolved.json.compactText.utf8), source: "r"))
        #expect(reread == source.resolved)
        let modes = try model.kernel.kernelModes()
        #expect(modes.centre > modes.relative)
    }

    @Test(
        "bad ntk settings name the field",
        arguments: [
            ("\"depth\": 2", "\"depth\": 0", "generator.kernel.depth"),
            ("\"latentDimension\": 16", "\"latentDimension\": 0", "generator.kernel.latentDimension"),
            ("\"activation\": \"erf\"", "\"activation\": \"gelu\"", "generator.kernel.activation"),
        ])
    func badSettings(old: String, new: String, field: String) throws {
        do {
            _ = try TestModels.source(Self.config.replacingOccurrences(of: old, with: new))
            Issue.record("accepted \(new)")
        } catch {
            #expect("\(error)".contains(field), "\(error)")
        }
    }
}
