import Foundation
import GSLBridge
import LinearAlgebra

@testable import EffectiveGAN

/// Builds small models from config JSON, as a user would write them.
enum TestModels {
    static func source(_ json: String) throws -> ModelSource {
        try ModelSource(json: JSONValue.parse(Data(json.utf8), source: "test"), defaultName: "test")
    }

    static func preset(_ preset: Preset, gamma: Double? = nil) throws -> EffectiveModel {
        EffectiveModel(try ModelSource(preset: preset).resolved, gamma: gamma)
    }

    /// The Dirac GAN of spec §6 for a loss, with or without the output bias, and optional rates.
    static func dirac(loss: Loss, outputBias: Bool, etaG: Double = 1, etaD: Double = 1, gamma: Double) throws
        -> EffectiveModel
    {
        let json = """
            {"dimension": 1, "target": {"kind": "points", "points": [[0]]},
             "generator": {"particles": 1, "learningRate": \(etaG)},
             "discriminator": {"kind": "linear", "learningRate": \(etaD), "outputBias": \(outputBias)},
             "loss": "\(loss.rawValue)", "regularizer": {"kind": "r1", "strength": \(gamma)}}
            """
        return EffectiveModel(try source(json).resolved)
    }

    /// A small MLP model: M = 2 targets in dimension d, N = 4 particles, width 4 unless given.
    static func mlp(
        activation: Activation, training: Training, loss: Loss, regularizer: RegularizerKind, weightDecay: Double = 0,
        dimension: Int, ratio: Double = 0.3, gamma: Double = 0.7, outputBias: Bool = true, seed: Int = 5,
        width: Int = 4
    ) throws -> EffectiveModel {
        let rng = MersenneTwister(seed: UInt(seed))
        let points = (0..<2).map { _ in (0..<dimension).map { _ in rng.gaussian() } }
        let pointsText =
            "[" + points.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        let json = """
            {"dimension": \(dimension), "target": {"kind": "points", "points": \(pointsText)},
             "generator": {"particles": 4, "learningRate": 0.8, "kernel": {"kind": "universal", "ratio": \(ratio), "self": 1.3}},
             "discriminator": {"kind": "mlp", "width": \(width), "activation": "\(activation.rawValue)", "train": "\(training.rawValue)",
                               "weightStd": 0.9, "seed": \(seed + 1), "learningRate": 1.7, "outputBias": \(outputBias),
                               "weightDecay": \(weightDecay)},
             "loss": "\(loss.rawValue)", "regularizer": {"kind": "\(regularizer.rawValue)", "strength": \(gamma)}}
            """
        return EffectiveModel(try source(json).resolved)
    }

    /// Calls `body` with the small MLP model of every loss × regulariser × d ∈ {1, 2, 3} × weight decay ∈ {0, ¼}
    /// for one activation and training mode, and a label naming the combination.
    static func forEachMLP(
        activation: Activation, training: Training, width: Int = 4,
        _ body: (EffectiveModel, String) throws -> Void
    ) throws {
        for loss in Loss.allCases {
            for regularizer in RegularizerKind.allCases {
                for dimension in 1...3 {
                    for weightDecay in [0.0, 0.25] {
                        let model = try mlp(
                            activation: activation, training: training, loss: loss, regularizer: regularizer,
                            weightDecay: weightDecay, dimension: dimension, seed: 3 + dimension, width: width)
                        try body(
                            model, "\(activation) \(training) \(loss) \(regularizer) μ=\(weightDecay) d=\(dimension)")
                    }
                }
            }
        }
    }

    /// z* plus seeded Gaussian noise of std `size` in every coordinate (so a ≠ 0 and D is not constant).
    static func randomState(near model: EffectiveModel, size: Double = 0.4, seed: UInt = 11) -> [Double] {
        let rng = MersenneTwister(seed: seed)
        return model.equilibriumState.map { $0 + rng.gaussian(sigma: size) }
    }
}

/// ‖A − B‖_F / max(‖B‖_F, tiny).
func relativeFrobeniusError(_ a: Matrix, _ b: Matrix) -> Double {
    (a - b).frobeniusNorm / max(b.frobeniusNorm, 1e-300)
}
