import EffectiveGAN
import Foundation

/// The JSON (schema `egan.model/1`) and table forms of a model's summary (`egan model`).
public enum ModelForms {
    public static func json(_ source: ModelSource, model effective: EffectiveModel) -> JSONValue {
        .object([
            ("schema", .string("egan.model/1")), ("model", .string(source.name)),
            ("targets", .integer(effective.targetCount)), ("dimension", .integer(effective.dimension)),
            ("particles", .integer(effective.particleCount)),
            (
                "parameters",
                .object(effective.discriminator.parameterBlocks.map { ($0.name, JSONValue.integer($0.count)) })
            ),
            ("stateDimension", .integer(effective.stateDimension)), ("loss", .string(effective.loss.rawValue)),
            ("regularizer", .string(effective.regularizer.rawValue)), ("gamma", .number(effective.gamma)),
            ("etaD", effective.learning.rate.map(JSONValue.number) ?? .string("optimal")),
            ("methods", .string(methods(effective))),
            ("targetSource", source.resolved.targetSource.map { .string($0.origin) } ?? .null),
            ("generatorNetwork", networkJSON(source) ?? .null),
        ])
    }

    public static func table(_ source: ModelSource, model effective: EffectiveModel) -> String {
        TextTable.keyValue(
            [
                ("name", source.name),
                ("targets M", "\(effective.targetCount) in dimension \(effective.dimension)"),
                ("particles N", "\(effective.particleCount)"),
                ("kernel", effective.kernel.summary),
            ] + (networkText(source).map { [("generator network", $0)] } ?? []) + [
                ("discriminator", describe(source.resolved.discriminator)),
                (
                    "parameters P",
                    effective.discriminator.parameterBlocks.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
                ),
                ("state dimension", "\(effective.stateDimension)"),
                ("loss", effective.loss.rawValue),
                ("regularizer", "\(effective.regularizer.rawValue), γ = \(Format.number(effective.gamma))"),
                (
                    "η_D",
                    effective.learning.rate.map { Format.number($0) } ?? "optimal (θ slaved to argmax V_D)"
                ),
                ("training methods", methods(effective)),
            ])
    }

    /// The training methods in use (README, "Training methods").
    private static func methods(_ model: EffectiveModel) -> String {
        var parts: [String] = []
        if model.optimalDiscriminator { parts.append("optimal discriminator") }
        if let packing = model.packing { parts.append("packing m = \(packing.size)") }
        if let memory = model.memory {
            parts.append("fictitious play τ = \(Format.number(memory.tau)), ω = \(Format.number(memory.weight))")
        }
        if let likelihood = model.likelihood {
            parts.append(
                "likelihood guidance β = \(Format.number(likelihood.weight)), h = \(Format.number(likelihood.bandwidth))"
            )
        }
        return parts.isEmpty ? "none (plain model)" : parts.joined(separator: "; ")
    }

    /// A network generator's shape and its fit to the matched equilibrium (or that it is trained only), or nil.
    private static func networkText(_ source: ModelSource) -> String? {
        guard let network = source.config?.generator.network else { return nil }
        let shape =
            "layers [\(network.layers.map(String.init).joined(separator: ", "))] \(network.activation.rawValue) (\(network.parameterization.rawValue)), P = \(network.parameterCount)"
        guard let fit = source.config?.generator.networkEquilibrium else {
            return shape + "; fit false: trained only (kernel above is the push (η_G/N)·I, no linear theory)"
        }
        return
            shape
            + "; kernel Θ(w*) at w* after \(fit.steps) Gauss–Newton steps, max |G − y| = \(Format.number(fit.residual, digits: 2))"
    }

    private static func networkJSON(_ source: ModelSource) -> JSONValue? {
        guard let network = source.config?.generator.network else { return nil }
        let fit = source.config?.generator.networkEquilibrium
        return .object([
            ("layers", .array(network.layers.map(JSONValue.integer))),
            ("activation", .string(network.activation.rawValue)),
            ("parameterization", .string(network.parameterization.rawValue)),
            ("parameters", .integer(network.parameterCount)), ("fitted", .bool(fit != nil)),
            ("gaussNewtonSteps", fit.map { .integer($0.steps) } ?? .null),
            ("residual", fit.map { .number($0.residual) } ?? .null),
        ])
    }

    /// A generator network's starting point for a peer implementation (schema `egan.network-start/1`): the config
    /// it was read from, the resolved particle model (targets, critic θ*, loss, regulariser, γ, η_D; its kernel is the push (η_G/N)·I),
    /// the network's shape and scales, the latents Z (N × d_z) and the initial weights w₀ (each layer's W row-major,
    /// then b: PyTorch's `parameters()` order).
    public static func networkStart(_ flow: NetworkFlow, source: ModelSource) -> JSONValue {
        let network = flow.network
        return .object([
            ("schema", .string("egan.network-start/1")), ("config", source.document.integralNumbersAsIntegers),
            ("resolved", source.resolved.json),
            (
                "network",
                .object([
                    ("layers", .array(network.layers.map(JSONValue.integer))),
                    ("activation", .string(network.activation.rawValue)),
                    ("negativeSlope", .number(network.negativeSlope)),
                    ("parameterization", .string(network.parameterization.rawValue)),
                    ("weightVariance", .number(network.weightVariance)),
                    ("biasVariance", .number(network.biasVariance)),
                    ("latentDimension", .integer(network.latentDimension)),
                    ("outputDimension", .integer(network.outputDimension)),
                    ("learningRate", .number(source.config?.generator.learningRate ?? 1)),
                ])
            ),
            ("latents", .array(flow.latents.rowArrays.map { .array($0.map(JSONValue.number)) })),
            ("weights", .array(flow.initialState[..<network.parameterCount].map(JSONValue.number))),
        ])
    }

    private static func describe(_ discriminator: ResolvedModel.Discriminator) -> String {
        switch discriminator {
        case let .linear(outputBias, weightDecay):
            return "linear\(outputBias ? " + bias" : ""), weight decay \(Format.number(weightDecay))"
        case let .mlp(critic):
            return
                "mlp \(critic.activation) \(critic.shapeDescription), train \(critic.training.rawValue)\(critic.outputBias ? " + bias" : ""), weight decay \(Format.number(critic.weightDecay))"
        }
    }
}
