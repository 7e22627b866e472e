import EffectiveGAN
import Foundation
import LinearAlgebra

/// A generator network's infinite-width NTK on seeded latents against the mean empirical kernel of random
/// finite networks (`egan kernel`): what the forms below print.
public struct KernelComparison: Sendable {
    public let network: GeneratorNetwork
    public let latentDimension: Int
    public let samples: Int
    public let distribution: LatentDistribution
    public let seed: Int
    /// The universal fit of the infinite-width kernel.
    public let infiniteWidth: UniversalFit
    /// The universal fit of the mean empirical kernel, nil when no network was drawn.
    public let empirical: UniversalFit?
    public let width: Int
    public let networks: Int
    /// ‖Θ_emp − Θ‖_F / ‖Θ‖_F, nil when no network was drawn.
    public let deviation: Double?

    public init(
        network: GeneratorNetwork, latentDimension: Int, samples: Int, distribution: LatentDistribution, seed: Int,
        infiniteWidth: UniversalFit, empirical: UniversalFit?, width: Int, networks: Int, deviation: Double?
    ) {
        self.network = network
        self.latentDimension = latentDimension
        self.samples = samples
        self.distribution = distribution
        self.seed = seed
        self.infiniteWidth = infiniteWidth
        self.empirical = empirical
        self.width = width
        self.networks = networks
        self.deviation = deviation
    }
}

/// The JSON (schema `egan.kernel/1`) and table forms of a kernel comparison.
public enum KernelForms {
    static func json(_ fit: UniversalFit) -> JSONValue {
        .object([
            ("g1", .number(fit.g1)), ("g2", .number(fit.g2)), ("ratio", .number(fit.ratio)),
            ("residual", .number(fit.residual)),
        ])
    }

    public static func json(_ c: KernelComparison) -> JSONValue {
        .object([
            ("schema", .string("egan.kernel/1")), ("depth", .integer(c.network.depth)),
            ("activation", .string(c.network.activation.rawValue)),
            ("latentDimension", .integer(c.latentDimension)), ("samples", .integer(c.samples)),
            ("train", .string(c.network.training.rawValue)),
            ("infiniteWidth", json(c.infiniteWidth)), ("empirical", c.empirical.map(json) ?? .null),
            ("empiricalWidth", .integer(c.width)), ("networks", .integer(c.networks)),
            ("empiricalDeviation", c.deviation.map(JSONValue.number) ?? .null),
        ])
    }

    public static func table(_ c: KernelComparison) -> String {
        let n = c.network
        let fit = c.infiniteWidth
        var rows: [(String, String)] = [
            (
                "generator",
                "\(n.depth) hidden layer(s), \(n.activation.rawValue), σ_w² = \(Format.number(n.weightVariance)), σ_b² = \(Format.number(n.biasVariance)), train \(n.training.rawValue)"
            ),
            ("latents", "\(c.samples) samples, d_z = \(c.latentDimension), \(c.distribution.rawValue), seed \(c.seed)"),
            (
                "infinite width",
                "g₁ = \(Format.number(fit.g1)), g₂ = \(Format.number(fit.g2)), φ = \(Format.number(fit.ratio))"
            ),
            ("universal residual", "‖Θ − fit‖/‖Θ‖ = \(Format.number(fit.residual, digits: 4))"),
        ]
        if let empirical = c.empirical, let deviation = c.deviation {
            rows.append(
                (
                    "empirical (width \(c.width))",
                    "φ = \(Format.number(empirical.ratio)) over \(c.networks) networks; ‖Θ_emp − Θ‖/‖Θ‖ = \(Format.number(deviation, digits: 4))"
                ))
        }
        return TextTable.keyValue(rows)
    }
}
