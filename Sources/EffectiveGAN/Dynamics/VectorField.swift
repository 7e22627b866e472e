import LinearAlgebra

/// The coupled flow F(z) of spec §4:
///   ẋ_i = Σ_j K_ij g′(D(x_j)) ∇_x D(x_j),
///   θ̇ = η_D ∇_θ V_D = η_D [ (1/M) Σ_m f′(D(y_m)) q_m − (1/N) Σ_i f′(−D(x_i)) q_i − γ ∇_θ R − μ θ ].
extension EffectiveModel {
    /// F(z), a vector of length `stateDimension`.
    public func field(at z: [Double]) -> [Double] {
        let θ = parameters(in: z)
        let fake = discriminator.batch(at: particles(in: z), parameters: θ)
        let real = targetBatch(θ)
        var push = [Double](repeating: 0, count: particleBlockLength)
        for i in 0..<particleCount {
            let slope = loss.gPrime(fake.values[i])
            for α in 0..<dimension { push[i * dimension + α] = slope * fake.gradients[i, α] }
        }
        return kernel.apply(to: push, blockSize: dimension) + discriminatorAscent(parameters: θ, real: real, fake: fake)
    }

    /// θ̇ = η_D ∇_θ V_D, given the discriminator evaluated at the targets (`real`) and the particles (`fake`).
    func discriminatorAscent(parameters θ: [Double], real: any DiscriminatorBatch, fake: any DiscriminatorBatch)
        -> [Double]
    {
        let m = Double(targetCount)
        let n = Double(particleCount)
        var gradient = real.weightedParameterGradient(weights: real.values.map { loss.fPrime($0) / m })
        let push = fake.weightedParameterGradient(weights: fake.values.map { -loss.fPrime(-$0) / n })
        let penalty = penaltyGradient(parameters: θ, real: real, fake: fake)
        for p in 0..<parameterCount {
            gradient[p] = etaD * (gradient[p] + push[p] - gamma * penalty[p] - weightDecay * θ[p])
        }
        return gradient
    }

    /// ∇_θ R (spec §3): R1 and R2 as Σ_p (1/count) G_pᵀ g_p over the targets or particles, l2 as θ.
    func penaltyGradient(parameters θ: [Double], real: any DiscriminatorBatch, fake: any DiscriminatorBatch)
        -> [Double]
    {
        switch regularizer {
        case .none:
            return [Double](repeating: 0, count: parameterCount)
        case .l2:
            return θ
        case .r1, .r2:
            let batch = regularizer == .r1 ? real : fake
            let count = batch.values.count
            return batch.weightedPenaltyGradient(
                directions: batch.gradients, weights: .init(repeating: 1 / Double(count), count: count))
        }
    }
}
