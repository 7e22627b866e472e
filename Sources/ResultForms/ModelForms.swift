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
        TextTable.keyValue([
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

    /// A network generator's shape and its fit to the matched equilibrium, or nil.
    private static func networkText(_ source: ModelSource) -> String? {
        guard let network = source.config?.generator.network, let fit = source.config?.generator.networkEquilibrium
        else { return nil }
        return
            "layers [\(network.layers.map(String.init).joined(separator: ", "))] \(network.activation.rawValue) (\(network.parameterization.rawValue)), P = \(network.parameterCount); kernel Θ(w*) at w* after \(fit.steps) Gauss–Newton steps, max |G − y| = \(Format.number(fit.residual, digits: 2))"
    }

    private static func networkJSON(_ source: ModelSource) -> JSONValue? {
        guard let network = source.config?.generator.network, let fit = source.config?.generator.networkEquilibrium
        else { return nil }
        return .object([
            ("layers", .array(network.layers.map(JSONValue.integer))), ("activation", .string(network.activation.rawValue)),
            ("parameterization", .string(network.parameterization.rawValue)),
            ("parameters", .integer(network.parameterCount)), ("gaussNewtonSteps", .integer(fit.steps)),
            ("residual", .number(fit.residual)),
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
