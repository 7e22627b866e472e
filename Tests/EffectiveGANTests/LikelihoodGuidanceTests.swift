import Foundation
import LinearAlgebra
import Numerics
import Testing

@testable import EffectiveGAN

/// Issue #9: likelihood guidance toward the targets' kernel density estimate.
@Suite("Likelihood guidance")
struct LikelihoodGuidanceTests {
    static func ring(likelihood: String?, weightDecay: Double = 0.02, loss: Loss = .wgan) throws -> EffectiveModel {
        let guidance = likelihood.map { ", \"likelihood\": \($0)" } ?? ""
        let json = """
            {"dimension": 2, "target": {"kind": "ring", "modes": 5, "radius": 1.2},
             "generator": {"particles": 5, "kernel": {"kind": "universal", "ratio": 0.2}\(guidance)},
             "discriminator": {"kind": "mlp", "width": 20, "activation": "cos", "train": "outer", "seed": 3,
                               "weightDecay": \(weightDecay)},
             "loss": "\(loss.rawValue)", "regularizer": {"kind": "r1", "strength": 0.8}}
            """
        return EffectiveModel(try TestModels.source(json).resolved)
    }

    @Test("β = 0 reproduces the plain model bit for bit")
    func zeroWeight() throws {
        let plain = try Self.ring(likelihood: nil)
        let off = try Self.ring(likelihood: "{\"weight\": 0, \"bandwidth\": 0.5}")
        let z = TestModels.randomState(near: plain, size: 0.3)
        #expect(plain.field(at: z) == off.field(at: z))
        #expect(plain.jacobian(at: z) == off.jacobian(at: z))
        #expect(off.equilibriumState == plain.equilibriumState)
    }

    @Test("Dirac GAN: λ² + (γ + β/h²)λ + 1 + γβ/h² = 0", arguments: [0.0, 0.5, 3.0])
    func diracClosedForm(gamma: Double) throws {
        let (beta, h) = (0.3, 0.8)
        let json = """
            {"dimension": 1, "target": {"kind": "points", "points": [[0]]},
             "generator": {"particles": 1, "likelihood": {"weight": \(beta), "bandwidth": \(h)}},
             "discriminator": {"kind": "linear", "outputBias": false}, "loss": "wgan",
             "regularizer": {"kind": "r1", "strength": \(gamma)}}
            """
        let model = EffectiveModel(try TestModels.source(json).resolved)
        let b = beta / (h * h)
        let trace = -(gamma + b)
        let determinant = 1 + gamma * b
        let discriminant = Complex(trace * trace - 4 * determinant, 0)
        let root = Complex.sqrt(discriminant)
        let expected = [(Complex(trace, 0) + root) / 2, (Complex(trace, 0) - root) / 2]
        let actual = try model.jacobian(at: model.equilibriumState).eigenvalues()
        #expect(OscillatorStructureTests.spectralDistance(actual, expected) <= 1e-12)
    }

    @Test("β > 0 moves the equilibrium; Newton finds it to 1e-12 and the Jacobian there matches differences")
    func movedEquilibrium() throws {
        for loss in Loss.allCases {
            let model = try Self.ring(likelihood: "{\"weight\": 0.05, \"bandwidth\": 0.6}", loss: loss)
            let moved = try #require(try model.movedEquilibrium?.get())
            #expect(moved.particleShift > 1e-4, "\(loss): the KDE maxima sit off the samples")
            #expect(try model.verifiedEquilibriumResidual() <= 1e-12)
            let z = model.equilibriumState
            let error = relativeFrobeniusError(model.jacobian(at: z), model.finiteDifferenceJacobian(at: z))
            #expect(error <= Tolerance.jacobianAgreement, "\(loss): \(error)")
            #expect(try ResolvedModel(json: model.resolved.json) == model.resolved)
        }
    }

    @Test("no equilibrium without weight decay under WGAN + R1: a one-line error naming the fix")
    func undampedFeatures() throws {
        let model = try Self.ring(likelihood: "{\"weight\": 0.05, \"bandwidth\": 0.6}", weightDecay: 0)
        #expect { try model.verifiedEquilibriumResidual() } throws: {
            "\($0)".contains("discriminator.weightDecay") && !"\($0)".contains("\n")
        }
    }
}
