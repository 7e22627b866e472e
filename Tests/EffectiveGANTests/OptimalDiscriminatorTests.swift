import Foundation
import LinearAlgebra
import Numerics
import Testing

@testable import EffectiveGAN

/// Issue #9: the optimal discriminator (θ slaved to argmax V_D) and its reduced flow.
@Suite("Optimal discriminator")
struct OptimalDiscriminatorTests {
    static func config(loss: Loss, regularizer: RegularizerKind, rate: String, weightDecay: Double = 0.05)
        -> String
    {
        """
        {"dimension": 2, "target": {"kind": "ring", "modes": 4, "radius": 1.5},
         "generator": {"particles": 8, "kernel": {"kind": "universal", "ratio": 0.2, "self": 2}},
         "discriminator": {"kind": "mlp", "width": 24, "activation": "cos", "train": "outer", "seed": 3,
                           "learningRate": \(rate), "weightDecay": \(weightDecay)},
         "loss": "\(loss.rawValue)", "regularizer": {"kind": "\(regularizer.rawValue)", "strength": 0.7}}
        """
    }

    static func model(loss: Loss, regularizer: RegularizerKind, rate: String, weightDecay: Double = 0.05) throws
        -> EffectiveModel
    {
        EffectiveModel(
            try TestModels.source(config(loss: loss, regularizer: regularizer, rate: rate, weightDecay: weightDecay))
                .resolved)
    }

    @Test(
        "the reduced spectrum is the η_D → ∞ limit of the full one (relative 1e-4), for every loss",
        arguments: Loss.allCases)
    func limitOfFastDiscriminator(loss: Loss) throws {
        let slaved = try Self.model(loss: loss, regularizer: .r1, rate: "\"optimal\"")
        let reduced = try slaved.jacobian(at: slaved.equilibriumState).eigenvalues()
        #expect(reduced.count == slaved.particleBlockLength)
        let ρ = reduced.map(\.length).max()!
        var errors: [Double] = []
        for etaD in [1e2, 1e3, 1e4, 1e5] {
            let full = try Self.model(loss: loss, regularizer: .r1, rate: "\(etaD)")
            // The slow eigenvalues: as many as the reduced flow has, smallest in modulus.
            let slow = try full.jacobian(at: full.equilibriumState).eigenvalues()
                .sorted { $0.length < $1.length }.prefix(reduced.count)
            errors.append(OscillatorStructureTests.spectralDistance(Array(slow), reduced) * max(1, ρ) / ρ)
        }
        for k in 1..<errors.count { #expect(errors[k] < errors[k - 1], "\(loss): \(errors)") }
        #expect(errors.last! <= 1e-4, "\(loss): \(errors)")
    }

    @Test("the analytic reduced Jacobian equals finite differences of the slaved flow, away from z* too")
    func schurComplementAgreesWithFiniteDifferences() throws {
        for loss in Loss.allCases {
            let model = try Self.model(loss: loss, regularizer: .r1, rate: "\"optimal\"")
            let z = TestModels.randomState(near: model, size: 0.3)
            let error = relativeFrobeniusError(model.jacobian(at: z), model.finiteDifferenceJacobian(at: z))
            #expect(error <= 1e-6, "\(loss): \(error)")
        }
    }

    @Test("wgan + l2: the reduced flow is a gradient flow, K⁻¹J symmetric and every eigenvalue real")
    func gradientFlow() throws {
        let model = try Self.model(loss: .wgan, regularizer: .l2, rate: "\"optimal\"", weightDecay: 0)
        for z in [model.equilibriumState, TestModels.randomState(near: model, size: 0.3)] {
            let j = model.jacobian(at: z)
            let kernel = Matrix(model.resolved.kernel)
            // (K ⊗ I_d)⁻¹ J by solves on the particle blocks.
            var blocks = Matrix(rows: model.particleCount, columns: model.dimension * j.columns)
            for c in 0..<j.columns {
                for i in 0..<model.particleCount {
                    for α in 0..<model.dimension { blocks[i, c * model.dimension + α] = j[i * model.dimension + α, c] }
                }
            }
            let solved = try kernel.solve(blocks)
            var metric = Matrix(rows: j.rows, columns: j.columns)
            for c in 0..<j.columns {
                for i in 0..<model.particleCount {
                    for α in 0..<model.dimension {
                        metric[i * model.dimension + α, c] = solved[i, c * model.dimension + α]
                    }
                }
            }
            let asymmetry = (metric - metric.transposed).frobeniusNorm / metric.frobeniusNorm
            #expect(asymmetry <= 1e-12, "‖K⁻¹J − (K⁻¹J)ᵀ‖/‖K⁻¹J‖ = \(asymmetry)")
            for λ in try j.eigenvalues() { #expect(abs(λ.imaginary) <= 1e-12 * max(1, λ.length)) }
        }
    }

    @Test("refused without strict concavity, naming the fix")
    func refusals() throws {
        #expect {
            try Self.model(loss: .wgan, regularizer: .r1, rate: "\"optimal\"", weightDecay: 0)
        } throws: { "\($0)".contains("discriminator.learningRate") && "\($0)".contains("weightDecay") }
        let allTrained = Self.config(loss: .wgan, regularizer: .l2, rate: "\"optimal\"").replacingOccurrences(
            of: "\"outer\"", with: "\"all\"")
        #expect { try TestModels.source(allTrained) } throws: { "\($0)".contains("train \"outer\"") }
    }

    @Test("the resolved model round-trips \"etaD\": \"optimal\"")
    func resolvedRoundTrip() throws {
        let model = try Self.model(loss: .minimax, regularizer: .r1, rate: "\"optimal\"")
        #expect(model.resolved.json["etaD"] == .string("optimal"))
        let again = try ResolvedModel(json: model.resolved.json)
        #expect(again == model.resolved)
        #expect(model.stateDimension == model.particleBlockLength)
    }
}
