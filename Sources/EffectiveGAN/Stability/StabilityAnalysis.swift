import LinearAlgebra

/// How the eigenvalues at z* were computed (reported as `method` in text and JSON).
public enum SpectralMethod: String, Sendable {
    /// The quadratic eigenproblem of the oscillator structure (`OscillatorStructure`), neutral modes by structure.
    ///
    /// It replaces the earlier data-visible reduction of the (particles, readout, c) block: with ranks judged by one
    /// rule its size 2s + n_q never exceeds that block's N·d + dim S + 1 (s ≤ N·d, n_q ≤ dim S + 1 − s), so a
    /// choice by cost always picks it.
    case oscillator
    /// `dgeev` on the whole Jacobian (optimal discriminator, likelihood guidance, fictitious play, packing, or
    /// particles that are not the targets repeated), neutral modes by the fallback tolerance.
    case dense
}

/// The linear stability of a model at its matched equilibrium for one γ (spec §5–6).
public struct StabilityAnalysis: Sendable {
    /// Regulariser strength γ analysed.
    public let gamma: Double
    /// ‖F(z*)‖₂, verified ≤ 1e-12.
    public let equilibriumResidual: Double
    /// Dimension of the state N·d + P.
    public let stateDimension: Int
    /// Dimension of the matrix `dgeev` diagonalised: 2s + n_q of the oscillator structure, else the state's.
    public let diagonalisedDimension: Int
    public let method: SpectralMethod
    /// With likelihood guidance: where the equilibrium moved (Newton from the matched state).
    public let movedEquilibrium: MovedEquilibrium?
    public let spectrum: Spectrum

    /// Verifies the equilibrium and classifies the eigenvalues of J there: through the oscillator structure where
    /// it applies (pass `structure` to reuse one across strengths), else `dgeev` on the analytic Jacobian.
    ///
    /// - Throws: `ModelError.notAnEquilibrium` when ‖F(z*)‖ > 1e-12; `LinearAlgebraError` if LAPACK fails.
    public init(model: EffectiveModel, structure: OscillatorStructure? = nil) throws {
        gamma = model.gamma
        equilibriumResidual = try model.verifiedEquilibriumResidual()
        stateDimension = model.stateDimension
        if case let .success(moved) = model.movedEquilibrium {
            movedEquilibrium = moved
        } else {
            movedEquilibrium = nil
        }
        if let structure = try structure ?? OscillatorStructure(model) {
            method = .oscillator
            diagonalisedDimension = structure.reducedDimension
            spectrum = try structure.spectrum(gamma: model.gamma)
        } else {
            try model.checkDenseBudget()
            method = .dense
            diagonalisedDimension = stateDimension
            spectrum = Spectrum(eigenvalues: try model.jacobian(at: model.equilibriumState).eigenvalues())
        }
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
        let tolerance = Tolerance.equilibriumResidual * max(1, learning.rate ?? 1)
        guard residual <= tolerance, residual.isFinite else {
            var blocks = [("the particles", Array(f[..<particleBlockLength]))]
            var offset = particleBlockLength
            for block in discriminator.parameterBlocks where offset + block.count <= f.count {
                blocks.append(("θ.\(block.name)", Array(f[offset..<(offset + block.count)])))
                offset += block.count
            }
            let largest = blocks.max { euclideanNorm($0.1) < euclideanNorm($1.1) }!.0
            var trainsInner = false
            if let critic = resolved.discriminator.mlp { trainsInner = critic.training == .all }
            let decays = trainsInner && (weightDecay > 0 || (regularizer == .l2 && gamma > 0))
            let advice: String
            if optimalDiscriminator && !residual.isFinite {
                // θ*(X) = argmax V_D does not exist: V_D is not strictly concave (l2 at γ = 0 adds nothing).
                advice =
                    "discriminator.learningRate \"optimal\" needs V_D strictly concave in θ, which l2 at γ = 0 is not: give regularizer.strength > 0 or discriminator.weightDecay > 0"
            } else if !residual.isFinite {
                advice =
                    "a scale of the model overflows; rescale it (units of time or length) towards values of order 1"
            } else if decays {
                advice =
                    "weight decay / l2 pulls the trained inner weights W, b (non-zero at z*) towards 0; use train \"outer\", or weightDecay 0 and another regulariser"
            } else {
                advice = "check that particles sit on the targets and N is a multiple of M"
            }
            throw ModelError.notAnEquilibrium(residual: residual, largestBlock: largest, advice: advice)
        }
        return residual
    }
}
