import LinearAlgebra

/// The coupled flow F(z) of spec §4:
///   ẋ_i = Σ_j K_ij g′(D(x_j)) ∇_x D(x_j),
///   θ̇ = η_D ∇_θ V_D = η_D [ (1/M) Σ_m f′(D(y_m)) q_m − (1/N) Σ_i f′(−D(x_i)) q_i − γ ∇_θ R − μ θ ].
extension EffectiveModel {
    /// F(z), a vector of length `stateDimension`.
    public func field(at z: [Double]) -> [Double] {
        let x = particles(in: z)
        let θ = parameters(in: z)
        let valuesX = discriminator.values(at: x, parameters: θ)
        let gradientsX = discriminator.gradients(at: x, parameters: θ)
        var push = [Double](repeating: 0, count: particleBlockLength)
        for i in 0..<particleCount {
            let slope = loss.gPrime(valuesX[i])
            for α in 0..<dimension { push[i * dimension + α] = slope * gradientsX[i, α] }
        }
        let particleVelocity = kernel.apply(to: push, blockSize: dimension)

        let ascent = discriminatorAscent(parameters: θ, particles: x, valuesX: valuesX, gradientsX: gradientsX)
        return particleVelocity + ascent
    }

    /// θ̇ = η_D ∇_θ V_D at the given particles.
    func discriminatorAscent(parameters θ: [Double], particles x: Matrix, valuesX: [Double], gradientsX: Matrix)
        -> [Double]
    {
        let valuesT = discriminator.values(at: targets, parameters: θ)
        let m = Double(targetCount)
        let n = Double(particleCount)
        var gradient = discriminator.weightedParameterGradient(
            at: targets, parameters: θ, weights: valuesT.map { loss.fPrime($0) / m })
        let fake = discriminator.weightedParameterGradient(
            at: x, parameters: θ, weights: valuesX.map { -loss.fPrime(-$0) / n })
        let penalty = penaltyGradient(parameters: θ, particles: x, gradientsX: gradientsX)
        for p in 0..<parameterCount {
            gradient[p] = etaD * (gradient[p] + fake[p] - gamma * penalty[p] - weightDecay * θ[p])
        }
        return gradient
    }

    /// ∇_θ R (spec §3): R1 and R2 as Σ_p (1/count) G_pᵀ g_p, l2 as θ.
    func penaltyGradient(parameters θ: [Double], particles x: Matrix, gradientsX: Matrix) -> [Double] {
        switch regularizer {
        case .none:
            return [Double](repeating: 0, count: parameterCount)
        case .l2:
            return θ
        case .r1:
            let gradientsT = discriminator.gradients(at: targets, parameters: θ)
            return discriminator.weightedPenaltyGradient(
                at: targets, parameters: θ, directions: gradientsT,
                weights: .init(repeating: 1 / Double(targetCount), count: targetCount))
        case .r2:
            return discriminator.weightedPenaltyGradient(
                at: x, parameters: θ, directions: gradientsX,
                weights: .init(repeating: 1 / Double(particleCount), count: particleCount))
        }
    }
}
