import Foundation
import LinearAlgebra
import Numerics
import Testing

@testable import EffectiveGAN

/// Issue #9: fictitious play (memory states and a mixed fake distribution).
@Suite("Fictitious play")
struct FictitiousPlayTests {
    static func model(
        loss: Loss = .wgan, regularizer: RegularizerKind = .r1, training: Training = .outer, memory: String?
    ) throws -> EffectiveModel {
        let memoryKeys = memory.map { ", \"memory\": \($0), \"memoryWeight\": 0.4" } ?? ""
        let json = """
            {"dimension": 2, "target": {"kind": "ring", "modes": 3, "radius": 1.5},
             "generator": {"particles": 6, "kernel": {"kind": "universal", "ratio": 0.2}},
             "discriminator": {"kind": "mlp", "width": 12, "activation": "tanh", "train": "\(training.rawValue)",
                               "seed": 3, "learningRate": 1.3\(memoryKeys)},
             "loss": "\(loss.rawValue)", "regularizer": {"kind": "\(regularizer.rawValue)", "strength": 0.7}}
            """
        return EffectiveModel(try TestModels.source(json).resolved)
    }

    @Test(
        "analytic Jacobian with memory equals finite differences (every loss, R1 and R2, both trainings)",
        arguments: Loss.allCases, [RegularizerKind.r1, .r2])
    func jacobian(loss: Loss, regularizer: RegularizerKind) throws {
        for training in Training.allCases {
            let model = try Self.model(loss: loss, regularizer: regularizer, training: training, memory: "2.5")
            #expect(model.stateDimension == 2 * model.particleBlockLength + model.parameterCount)
            let z = TestModels.randomState(near: model, size: 0.3)
            let error = relativeFrobeniusError(model.jacobian(at: z), model.finiteDifferenceJacobian(at: z))
            #expect(error <= Tolerance.jacobianAgreement, "\(loss) \(regularizer) \(training): \(error)")
        }
    }

    @Test("τ → 0: the plain spectrum plus N·d memory modes at −1/τ")
    func fastMemory() throws {
        let plain = try Self.model(memory: nil)
        let plainSpectrum = try plain.jacobian(at: plain.equilibriumState).eigenvalues()
        var errors: [Double] = []
        for tau in [1e-3, 1e-4, 1e-5] {
            let model = try Self.model(memory: "\(tau)")
            let all = try model.jacobian(at: model.equilibriumState).eigenvalues().sorted { $0.length < $1.length }
            let slow = Array(all.prefix(plainSpectrum.count))
            let fast = all.suffix(model.particleBlockLength)
            errors.append(OscillatorStructureTests.spectralDistance(slow, plainSpectrum))
            for λ in fast {
                #expect(abs(λ.real * tau + 1) <= 1e-2 && abs(λ.imaginary) * tau <= 1e-2, "τ = \(tau): \(λ)")
            }
        }
        for k in 1..<errors.count { #expect(errors[k] < errors[k - 1], "\(errors)") }
        #expect(errors.last! <= 1e-4, "\(errors)")
    }

    @Test("the matched state with m = x is an equilibrium, and the resolved model round-trips the memory")
    func equilibriumAndRoundTrip() throws {
        let model = try Self.model(loss: .nonsaturating, memory: "3")
        #expect(try model.verifiedEquilibriumResidual() <= 1e-12)
        #expect(model.resolved.memory == FictitiousPlay(tau: 3, weight: 0.4))
        #expect(try ResolvedModel(json: model.resolved.json) == model.resolved)
    }

    @Test("memoryWeight without memory, ω ≥ 1 and memory with an optimal discriminator are refused")
    func refusals() throws {
        let base = """
            {"dimension": 1, "target": {"kind": "points", "points": [[0]]}, "generator": {"particles": 1},
             "discriminator": {"kind": "linear", "weightDecay": 0.1, %@}, "loss": "wgan"}
            """
        for (keys, field) in [
            ("\"memoryWeight\": 0.3", "discriminator.memoryWeight"),
            ("\"memory\": 1, \"memoryWeight\": 1", "memoryWeight"),
            ("\"memory\": 1, \"learningRate\": \"optimal\"", "discriminator.memory"),
        ] {
            let error = try #require(throws: ConfigError.self) {
                try TestModels.source(base.replacingOccurrences(of: "%@", with: keys))
            }
            #expect("\(error)".contains(field), "\(error)")
        }
        // A resolved model cannot say both either: CriticLearning has no optimal case with a memory.
        let memory = try Self.model(memory: "2.5").resolved
        var document = memory.json
        document = try document.setting(path: ["etaD"], to: .string("optimal"))
        let error = try #require(throws: ConfigError.self) { try ResolvedModel(json: document) }
        #expect("\(error)".contains("discriminator.memory"), "\(error)")
        #expect(memory.learning == .fictitiousPlay(rate: 1.3, memory: FictitiousPlay(tau: 2.5, weight: 0.4)))
    }
}
