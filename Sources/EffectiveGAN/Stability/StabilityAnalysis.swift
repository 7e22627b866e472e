import LinearAlgebra

/// The linear stability of a model at its matched equilibrium for one γ (spec §5–6).
public struct StabilityAnalysis: Sendable {
    /// Regulariser strength γ analysed.
    public let gamma: Double
    /// ‖F(z*)‖₂, verified ≤ 1e-12.
    public let equilibriumResidual: Double
    /// Dimension of the state N·d + P.
    public let stateDimension: Int
    /// Dimension of the matrix `dgeev` diagonalised: N·d + dim S + 1 after the exact reduction of MLP models
    /// (`EquilibriumReduction`), the state dimension otherwise.
    public let diagonalisedDimension: Int
    /// With likelihood guidance: where the equilibrium moved (Newton from the matched state).
    public let movedEquilibrium: MovedEquilibrium?
    public let spectrum: Spectrum

    /// Verifies the equilibrium, assembles the analytic Jacobian there and classifies its eigenvalues (`dgeev`
    /// on the exactly reduced problem where the model allows it).
    ///
    /// - Throws: `ModelError.notAnEquilibrium` when ‖F(z*)‖ > 1e-12; `LinearAlgebraError` if LAPACK fails.
    public init(model: EffectiveModel) throws {
        gamma = model.gamma
        equilibriumResidual = try model.verifiedEquilibriumResidual()
        stateDimension = model.stateDimension
        if case let .success(moved) = model.movedEquilibrium {
            movedEquilibrium = moved
        } else {
            movedEquilibrium = nil
        }
        let eigen = try model.equilibriumEigenvalues()
        diagonalisedDimension = eigen.diagonalised
        spectrum = Spectrum(eigenvalues: eigen.values)
    }
}

extension EffectiveModel {
    /// ‖F(z*)‖₂ at the matched state, or an error naming the block that moves and why. The tolerance is 1e-12
    /// (spec §5) times max(1, η_D): with η_D ≫ 1 the rounding of θ̇ grows with it.
    public func verifiedEquilibriumResidual() throws -> Double {
        if case let .failure(error) = movedEquilibrium { throw error }
        let f = field(at: equilibriumState)
        let residual = euclideanNorm(f)
        // 1e-12 at unit rates (spec §5); a fast discriminator (η_D ≫ 1) multiplies the rounding in θ̇ by η_D.
        let tolerance = Tolerance.equilibriumResidual * max(1, optimalDiscriminator ? 1 : etaD)
        guard residual <= tolerance, residual.isFinite else {
            var blocks = [("the particles", Array(f[..<particleBlockLength]))]
            var offset = particleBlockLength
            for block in discriminator.parameterBlocks where offset + block.count <= f.count {
                blocks.append(("θ.\(block.name)", Array(f[offset..<(offset + block.count)])))
                offset += block.count
            }
            let largest = blocks.max { euclideanNorm($0.1) < euclideanNorm($1.1) }!.0
            var trainsInner = false
            if case let .mlp(_, training, _, _, _, _) = resolved.discriminator { trainsInner = training == .all }
            let decays = trainsInner && (weightDecay > 0 || (regularizer == .l2 && gamma > 0))
            let advice =
                decays
                ? "weight decay / l2 pulls the trained inner weights W, b (non-zero at z*) towards 0; use train \"outer\", or weightDecay 0 and another regulariser"
                : "check that particles sit on the targets and N is a multiple of M"
            throw ModelError.notAnEquilibrium(residual: residual, largestBlock: largest, advice: advice)
        }
        return residual
    }
}
