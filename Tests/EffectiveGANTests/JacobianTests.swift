import LinearAlgebra
import Testing

@testable import EffectiveGAN

/// Spec §6: the analytic Jacobian agrees with central finite differences to 1e-6 relative (Frobenius), at z* and at
/// random states, on every activation × train × loss × regulariser.
@Suite("Analytic Jacobian against finite differences")
struct JacobianTests {
    @Test(
        "every activation, training mode and regulariser, each loss, d = 1, 2, 3",
        arguments: Activation.allCases, Training.allCases)
    func agreesWithFiniteDifferences(activation: Activation, training: Training) throws {
        var checked = 0
        try TestModels.forEachMLP(activation: activation, training: training) { model, label in
            var states = [TestModels.randomState(near: model, seed: UInt(7 + model.dimension))]
            if (try? model.verifiedEquilibriumResidual()) != nil { states.append(model.equilibriumState) }
            for z in states {
                let error = relativeFrobeniusError(model.jacobian(at: z), model.finiteDifferenceJacobian(at: z))
                #expect(error <= Tolerance.jacobianAgreement, "\(label): \(error)")
                checked += 1
            }
        }
        #expect(checked >= 3 * 4 * 3 * 2)
    }

    @Test("linear discriminator, every loss and regulariser", arguments: Loss.allCases, RegularizerKind.allCases)
    func linearDiscriminator(loss: Loss, regularizer: RegularizerKind) throws {
        let json = """
            {"dimension": 2, "target": {"kind": "ring", "modes": 3, "radius": 1.5},
             "generator": {"particles": 6, "kernel": {"kind": "universal", "ratio": 0.2}},
             "discriminator": {"kind": "linear", "learningRate": 1.3, "weightDecay": 0.1},
             "loss": "\(loss.rawValue)", "regularizer": {"kind": "\(regularizer.rawValue)", "strength": 0.8}}
            """
        let model = EffectiveModel(try TestModels.source(json).resolved)
        for z in [model.equilibriumState, TestModels.randomState(near: model)] {
            #expect(relativeFrobeniusError(model.jacobian(at: z), model.finiteDifferenceJacobian(at: z)) <= 1e-6)
        }
    }

    @Test("explicit kernel goes through the dense path and still agrees")
    func explicitKernel() throws {
        let json = """
            {"dimension": 2, "target": {"kind": "points", "points": [[1, 0], [0, 1]]},
             "generator": {"particles": 4, "learningRate": 0.5,
                           "kernel": {"kind": "explicit", "matrix": [[2, 0.5, 0.1, 0], [0.5, 1.5, 0, 0.2], [0.1, 0, 1, 0.3], [0, 0.2, 0.3, 1.2]]}},
             "discriminator": {"kind": "mlp", "width": 5, "activation": "tanh", "train": "all"},
             "loss": "minimax", "regularizer": {"kind": "r2", "strength": 0.4}}
            """
        let model = EffectiveModel(try TestModels.source(json).resolved)
        guard case .dense = model.kernel else {
            Issue.record("an explicit non-universal kernel must use the dense operator")
            return
        }
        let z = TestModels.randomState(near: model)
        #expect(relativeFrobeniusError(model.jacobian(at: z), model.finiteDifferenceJacobian(at: z)) <= 1e-6)
    }

    @Test("the presets' Jacobians at z* agree with finite differences", arguments: Preset.allCases)
    func presets(preset: Preset) throws {
        let model = try TestModels.preset(preset, gamma: 0.5)
        let z = model.equilibriumState
        #expect(relativeFrobeniusError(model.jacobian(at: z), model.finiteDifferenceJacobian(at: z)) <= 1e-6)
    }
}
