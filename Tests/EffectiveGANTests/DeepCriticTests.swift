import Foundation
import LinearAlgebra
import Numerics
import Testing

@testable import EffectiveGAN
@testable import GSLBridge

/// Deep critics (`discriminator.layers`): the hyper-dual derivatives against the hand-derived one-layer critic and
/// against central differences, the oscillator structure against dense `dgeev`, and the config keys.
@Suite("Deep critics")
struct DeepCriticTests {
    static func config(layers: String, activation: String, training: Training, loss: Loss, regularizer: RegularizerKind)
        -> String
    {
        """
        {"dimension": 2, "target": {"kind": "ring", "modes": 3, "radius": 1.3},
         "generator": {"particles": 3, "learningRate": 0.8, "kernel": {"kind": "universal", "ratio": 0.2}},
         "discriminator": {"kind": "mlp", "layers": \(layers), "activation": "\(activation)",
                           "train": "\(training.rawValue)", "seed": 6, "learningRate": 1.2, "hiddenBias": "normal"},
         "loss": "\(loss.rawValue)", "regularizer": {"kind": "\(regularizer.rawValue)", "strength": 0.9}}
        """
    }

    static func model(_ layers: String, _ activation: Activation, _ training: Training, _ loss: Loss,
                      _ regularizer: RegularizerKind) throws -> EffectiveModel
    {
        EffectiveModel(
            try TestModels.source(
                config(layers: layers, activation: activation.rawValue, training: training, loss: loss,
                       regularizer: regularizer)).resolved)
    }

    @Test("layers [H] is width H: the same resolved model, bit for bit, and the one-layer critic's code")
    func oneLayerIsTheShorthand() throws {
        let viaLayers = try TestModels.source(
            Self.config(layers: "[5]", activation: "tanh", training: .all, loss: .wgan, regularizer: .r1))
        let viaWidth = try TestModels.source(
            Self.config(layers: "[5]", activation: "tanh", training: .all, loss: .wgan, regularizer: .r1)
                .replacingOccurrences(of: #""layers": [5]"#, with: #""width": 5"#))
        #expect(viaLayers.resolved == viaWidth.resolved)
        #expect(EffectiveModel(viaLayers.resolved).discriminator is MLPDiscriminator)
    }

    @Test("the hyper-dual engine equals the hand-derived one-layer critic (1e-13) in every derivative",
          arguments: Activation.allCases)
    func engineMatchesOneLayerFormulas(activation: Activation) throws {
        for training in Training.allCases {
            let resolved = try TestModels.source(
                Self.config(layers: "[4]", activation: activation.rawValue, training: training, loss: .wgan,
                            regularizer: .r1)).resolved
            let critic = try #require(resolved.discriminator.mlp)
            let oneLayer = MLPDiscriminator(
                activation: critic.activation, training: critic.training, weights: critic.layers[0].weights,
                biases: critic.layers[0].biases, outputBias: critic.outputBias)
            let engine = DeepMLPDiscriminator(critic)
            #expect(engine.parameterCount == oneLayer.parameterCount)
            let rng = MersenneTwister(seed: 31)
            let θ = oneLayer.equilibriumParameters.map { $0 + 0.7 * rng.gaussian() }
            let points = Matrix(rows: 3, columns: 2, columnMajor: (0..<6).map { _ in rng.gaussian() })
            let directions = Matrix(rows: 3, columns: 2, columnMajor: (0..<6).map { _ in rng.gaussian() })
            let a = oneLayer.batch(at: points, parameters: θ)
            let b = engine.batch(at: points, parameters: θ)
            let label = "\(activation) \(training)"
            func close(_ x: Matrix, _ y: Matrix, _ what: String) {
                let scale = max(1, x.frobeniusNorm)
                #expect((x - y).frobeniusNorm <= 1e-13 * scale, "\(label) \(what)")
            }
            #expect(zip(a.values, b.values).allSatisfy { $0.isApproximatelyEqual(to: $1, absoluteTolerance: 1e-13) })
            close(a.gradients, b.gradients, "∇_x D")
            close(a.parameterGradients(), b.parameterGradients(), "∂_θ D")
            close(a.mixedDerivatives(), b.mixedDerivatives(), "∂_θ∂_x D")
            close(a.spatialHessians(), b.spatialHessians(), "∇²_x D")
            close(a.penaltyMixedDerivatives(directions: directions), b.penaltyMixedDerivatives(directions: directions),
                  "∂_x∇_θ ψ")
            let weights = [0.3, -1.1, 0.6]
            var ha = Matrix(rows: θ.count, columns: θ.count)
            var hb = ha
            a.addParameterHessians(weights: weights, into: &ha)
            b.addParameterHessians(weights: weights, into: &hb)
            close(ha, hb, "∂²_θ D")
            var pa = Matrix(rows: θ.count, columns: θ.count)
            var pb = pa
            a.addPenaltyCurvature(directions: directions, weights: weights, into: &pa)
            b.addPenaltyCurvature(directions: directions, weights: weights, into: &pb)
            close(pa, pb, "∂²_θ ψ")
        }
    }

    @Test("deep Jacobian equals central differences (1e-6) at random states: depth 2–3 × activation × training × loss × regulariser",
          arguments: Activation.allCases)
    func jacobianMatchesFiniteDifferences(activation: Activation) throws {
        for layers in ["[3, 4]", "[3, 2, 3]"] {
            for training in Training.allCases {
                for loss in [Loss.wgan, .minimax] {
                    for regularizer in [RegularizerKind.r1, .r2, .l2] {
                        let model = try Self.model(layers, activation, training, loss, regularizer)
                        let rng = MersenneTwister(seed: 12)
                        let z = model.equilibriumState.map { $0 + 0.4 * rng.gaussian() }
                        let analytic = model.jacobian(at: z)
                        let numeric = model.finiteDifferenceJacobian(at: z)
                        let error = (analytic - numeric).frobeniusNorm / numeric.frobeniusNorm
                        #expect(error <= 1e-6, "\(layers) \(activation) \(training) \(loss) \(regularizer): \(error)")
                    }
                }
            }
        }
    }

    @Test("the field evaluator the integrators use agrees with the batch's Jacobian: (F(z+he) − F(z−he))/2h = J e")
    func fieldAgreesWithJacobian() throws {
        let model = try Self.model("[3, 4]", .tanh, .all, .minimax, .r1)
        let rng = MersenneTwister(seed: 5)
        let z = model.equilibriumState.map { $0 + 0.3 * rng.gaussian() }
        // Two code paths: the field evaluator (one hyper-dual pass per point) and the batch's Jacobian.
        let e = z.map { _ in rng.gaussian() }
        let h = 1e-6
        let plus = model.field(at: zip(z, e).map { $0 + h * $1 })
        let minus = model.field(at: zip(z, e).map { $0 - h * $1 })
        let jacobian = model.jacobian(at: z)
        let predicted = (0..<jacobian.rows).map { i in (0..<jacobian.columns).reduce(0) { $0 + jacobian[i, $1] * e[$1] } }
        let measured = zip(plus, minus).map { ($0 - $1) / (2 * h) }
        let scale = predicted.map(abs).max()!
        #expect(zip(predicted, measured).allSatisfy { $0.isApproximatelyEqual(to: $1, absoluteTolerance: 1e-6 * scale) })
    }

    @Test("structure equals dense dgeev (1e-9 ρ): depth 2–3 × activation × training × loss × regulariser",
          arguments: Activation.allCases)
    func structureMatchesDense(activation: Activation) throws {
        var checked = 0
        for layers in ["[4, 5]", "[3, 4, 5]"] {
            for training in Training.allCases {
                for loss in [Loss.wgan, .nonsaturating] {
                    for regularizer in [RegularizerKind.r1, .r2, .l2] {
                        let model = try Self.model(layers, activation, training, loss, regularizer)
                        guard (try? model.verifiedEquilibriumResidual()) != nil else { continue }
                        try OscillatorStructureTests.check(
                            model, "\(layers) \(activation) \(training) \(loss) \(regularizer)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked >= 2 * 2 * 2 * 2)
    }

    @Test("config keys: layers and width exclusive, widths whole and ≥ 1, resolved layers round-trip")
    func configKeys() throws {
        let both = Self.config(layers: "[3, 4]", activation: "tanh", training: .all, loss: .wgan, regularizer: .r1)
            .replacingOccurrences(of: #""layers": [3, 4]"#, with: #""layers": [3, 4], "width": 4"#)
        #expect { try TestModels.source(both) } throws: { "\($0)".contains("discriminator.layers") }
        let huge = Self.config(layers: "[1000000000]", activation: "tanh", training: .all, loss: .wgan, regularizer: .r1)
        #expect { try TestModels.source(huge) } throws: { "\($0)".contains("'discriminator.layers' makes the model need") }
        for bad in ["[]", "[3, 0]", "[2.5]"] {
            let json = Self.config(layers: bad, activation: "tanh", training: .all, loss: .wgan, regularizer: .r1)
            #expect { try TestModels.source(json) } throws: { "\($0)".contains("discriminator.layers") }
        }
        let source = try TestModels.source(
            Self.config(layers: "[3, 4]", activation: "leaky_relu", training: .all, loss: .wgan, regularizer: .r1))
        let critic = try #require(source.resolved.discriminator.mlp)
        #expect(critic.widths == [3, 4] && critic.layers[1].inputs == 3)
        #expect(EffectiveModel(source.resolved).parameterCount == 4 + 3 * 2 + 4 * 3 + 3 + 4 + 1)
        let reread = try ResolvedModel(json: JSONValue.parse(Data(source.resolved.json.compactText.utf8), source: "r"))
        #expect(reread == source.resolved)
        #expect(source.resolved.json.compactText.contains(#""layers":[{"W""#))
    }
}
