import LinearAlgebra

/// What three descriptions of one generator network predict: its empirical block kernel Θ(w*) (exact for the
/// network's linearisation, model §4), the universal fit (φ, g₁) of that kernel, and the infinite-width NTK of
/// the same architecture on the same latents. γ* and r(γ*) of each, so the gap of each approximation is a number.
public struct KernelTransfer: Sendable {
    public enum Description: String, CaseIterable, Sendable {
        /// Θ(w*) = J Jᵀ at the fitted weights, (N·d) × (N·d).
        case empirical
        /// g₁[(1 − φ)I + φ𝟙𝟙ᵀ] with g₁ and φ = g₂/g₁ the universal fit of Θ(w*).
        case universal
        /// The infinite-width NTK of the same layers, activation and variances at the same z_i.
        case ntk
    }

    public struct Row: Sendable {
        public let description: Description
        /// The kernel in words (its fit for the universal row).
        public let kernel: String
        /// γ* and r(γ*), or nil with `unavailable` saying why (e.g. no closed-form NTK for leaky relu).
        public let optimum: OptimalStrength?
        public let unavailable: String?
        /// The rate of the network itself, trained near (w*, θ*) at this row's γ* (`NetworkFlow.crossCheck`), when
        /// measured: which γ* serves the real network best.
        public var measuredRate: Double? = nil
    }

    public let rows: [Row]

    /// The empirical row's γ* and rate, against which the others' gaps are measured.
    public var reference: OptimalStrength? { rows.first { $0.description == .empirical }?.optimum }

    /// Compares the three descriptions of `source`'s `generator.network` on [from, to]; with `measure`, also
    /// trains the network at each row's γ* and fits its rate.
    public static func compare(
        _ source: ModelSource, from: Double, to: Double, steps: Int = 61, measure: Bool = false,
        progress: ProgressHandler? = nil
    ) throws -> KernelTransfer {
        guard let config = source.config, let network = config.generator.network else {
            throw ConfigError.invalidValue(
                path: "generator.network",
                reason:
                    "is absent: the comparison is of a finite generator network's descriptions; give generator.network (docs/config.md)"
            )
        }
        try source.requireLinearTheory()
        let n = config.generator.particles
        let effective = EffectiveModel(source.resolved)
        // K = (η_G/N)·Θ: the fit of K in Θ's units.
        let fit = try effective.kernel.kernelModes().fit
        let toTheta = Double(n) / config.generator.learningRate
        var universal = config
        universal.generator.network = nil
        universal.generator.networkEquilibrium = nil
        universal.generator.kernel = .universal(ratio: fit.ratio, selfValue: fit.g1 * toTheta)
        var rows = [
            Row(
                description: .empirical, kernel: effective.kernel.summary,
                optimum: try OptimalStrength.find(source, from: from, to: to, steps: steps, progress: progress),
                unavailable: nil),
            Row(
                description: .universal,
                kernel:
                    "universal fit of Θ(w*): φ = \(Format.number(fit.ratio, digits: 4)), g₁ = \(Format.number(fit.g1 * toTheta, digits: 4)), residual \(Format.number(fit.residual, digits: 3))",
                optimum: try OptimalStrength.find(
                    try Self.source(universal, like: source), from: from, to: to, steps: steps),
                unavailable: nil),
        ]
        if let activation = GeneratorNetwork.Activation(rawValue: network.activation.rawValue),
            network.parameterization == .ntk
        {
            var ntk = universal
            ntk.generator.kernel = .ntk(
                network: try GeneratorNetwork(
                    depth: network.layers.count, activation: activation, weightVariance: network.weightVariance,
                    biasVariance: network.biasVariance, training: .all),
                latentDimension: network.latentDimension, distribution: network.latentDistribution, seed: network.seed)
            rows.append(
                Row(
                    description: .ntk,
                    kernel: "infinite-width NTK, depth \(network.layers.count), \(activation.rawValue)",
                    optimum: try OptimalStrength.find(
                        try Self.source(ntk, like: source), from: from, to: to, steps: steps),
                    unavailable: nil))
        } else {
            rows.append(
                Row(
                    description: .ntk, kernel: "—", optimum: nil,
                    unavailable: network.parameterization == .standard
                        ? "the standard parameterisation has no finite infinite-width NTK (it grows with width)"
                        : "no closed-form NTK for \(network.activation.rawValue) (relu, tanh and erf have one)"))
        }
        if measure {
            for index in rows.indices {
                guard let gamma = rows[index].optimum?.gamma else { continue }
                rows[index].measuredRate = try NetworkFlow(source, gamma: gamma).crossCheck(tolerance: 1).measuredRate
            }
        }
        return KernelTransfer(rows: rows)
    }

    /// A source for an edited typed config, with the original's name and data folder.
    private static func source(_ config: ModelConfig, like original: ModelSource) throws -> ModelSource {
        try ModelSource(json: config.resolve().json, defaultName: original.name, baseDirectory: original.baseDirectory)
    }
}
