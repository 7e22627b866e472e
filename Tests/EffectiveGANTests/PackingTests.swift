import Foundation
import LinearAlgebra
import Numerics
import Testing

@testable import EffectiveGAN

/// Issue #9: packing (PacGAN) — the discriminator judges m samples at once.
@Suite("Packing")
struct PackingTests {
    static func dirac(pack: Int, loss: Loss, gamma: Double) throws -> EffectiveModel {
        let json = """
            {"dimension": 1, "target": {"kind": "points", "points": [[0]]}, "generator": {"particles": 1},
             "discriminator": {"kind": "linear", "outputBias": false, "pack": \(pack)}, "loss": "\(loss.rawValue)",
             "regularizer": {"kind": "r1", "strength": \(gamma)}}
            """
        return EffectiveModel(try TestModels.source(json).resolved)
    }

    static func mlp(pack: Int, loss: Loss, regularizer: RegularizerKind, training: Training) throws -> EffectiveModel {
        let json = """
            {"dimension": 2, "target": {"kind": "ring", "modes": 3, "radius": 1.2},
             "generator": {"particles": 3, "kernel": {"kind": "universal", "ratio": 0.2}},
             "discriminator": {"kind": "mlp", "width": 10, "activation": "tanh", "train": "\(training.rawValue)",
                               "seed": 3, "pack": \(pack)},
             "loss": "\(loss.rawValue)", "regularizer": {"kind": "\(regularizer.rawValue)", "strength": 0.6}}
            """
        return EffectiveModel(try TestModels.source(json).resolved)
    }

    @Test("m = 2 Dirac GAN: λ² + γλ + 2 f′(0)g′(0) = 0 and λ = −γ", arguments: [Loss.wgan, .minimax], [0.5, 2.0, 5.0])
    func diracClosedForm(loss: Loss, gamma: Double) throws {
        let model = try Self.dirac(pack: 2, loss: loss, gamma: gamma)
        #expect(model.stateDimension == 1 + 2)
        let coupling = loss == .wgan ? 1.0 : 0.25
        let root = Complex.sqrt(Complex(gamma * gamma / 4 - 2 * coupling, 0))
        let expected = [Complex(-gamma / 2, 0) + root, Complex(-gamma / 2, 0) - root, Complex(-gamma, 0)]
        let actual = try model.jacobian(at: model.equilibriumState).eigenvalues()
        #expect(OscillatorStructureTests.spectralDistance(actual, expected) <= 1e-12, "\(actual)")
    }

    @Test("m = 1 is the plain model: identical resolved model, field and Jacobian")
    func packOfOne() throws {
        let plain = try TestModels.mlp(
            activation: .tanh, training: .all, loss: .minimax, regularizer: .r2, dimension: 2)
        var resolved = plain.resolved
        resolved.pack = 1
        #expect(!resolved.json.compactText.contains("pack"))
        let packed = EffectiveModel(try ResolvedModel(json: resolved.json))
        let z = TestModels.randomState(near: plain)
        #expect(packed.field(at: z) == plain.field(at: z))
        #expect(packed.jacobian(at: z) == plain.jacobian(at: z))
    }

    @Test(
        "m = 2: analytic Jacobian equals finite differences (every loss, r1/r2, outer/all)",
        arguments: Loss.allCases, [RegularizerKind.r1, .r2])
    func jacobian(loss: Loss, regularizer: RegularizerKind) throws {
        for training in Training.allCases {
            let model = try Self.mlp(pack: 2, loss: loss, regularizer: regularizer, training: training)
            #expect(try model.verifiedEquilibriumResidual() <= 1e-12)
            let z = TestModels.randomState(near: model, size: 0.3)
            let error = relativeFrobeniusError(model.jacobian(at: z), model.finiteDifferenceJacobian(at: z))
            #expect(error <= Tolerance.jacobianAgreement, "\(loss) \(regularizer) \(training): \(error)")
            #expect(try ResolvedModel(json: model.resolved.json) == model.resolved)
        }
    }

    @Test("sizes beyond the memory limit are refused with the estimate")
    func memoryLimit() throws {
        let json = """
            {"dimension": 2, "target": {"kind": "ring", "modes": 8, "radius": 2},
             "generator": {"particles": 64}, "discriminator": {"kind": "mlp", "width": 64, "activation": "cos",
             "train": "outer", "pack": 3}, "loss": "wgan"}
            """
        #expect { try TestModels.source(json) } throws: {
            "\($0)".contains("discriminator.pack") && "\($0)".contains("GB")
        }
    }
}
