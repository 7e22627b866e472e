import LinearAlgebra
import Numerics

extension OscillatorStructure {
    /// The right eigenvector of J at z* (full-state coordinates, unit norm) whose eigenvalue, an eigenvalue of the
    /// first-order form M(γ), is nearest `target`: what the cross-check perturbs along, without a dense J.
    ///
    /// From M's eigenvector (p, w = λp, q): the readout part is v = (p, q) mapped back through the reduced basis
    /// (δa = basis·v_V, δc = the last entry when c couples); the particles follow from J's first block row,
    /// λ δx = g′(0) (K ⊗ I) G δa, with G δa = ∇_x D at the particles for readout δa (D is linear in a, so one field
    /// evaluation per real and imaginary part gives it exactly); the inner weights do not move (λ ≠ −κ).
    ///
    /// - Throws: `LinearAlgebraError` from `dgeev`; `ModelError.modeNotFound` when the nearest eigenvalue is 0
    ///   (a neutral direction has no particle part defined by this formula).
    public func eigenvector(nearest target: Complex<Double>, model: EffectiveModel) throws -> [Complex<Double>] {
        let decomposition = try firstOrderMatrix(damping(gamma: model.gamma)).eigenDecomposition()
        let index = decomposition.values.indices.min {
            (decomposition.values[$0] - target).length < (decomposition.values[$1] - target).length
        }!
        let λ = decomposition.values[index]
        let y = decomposition.vectors[index]
        let s = coupledRank
        let reduced = Array(y[0..<s]) + Array(y[(2 * s)...])
        let v = visibleRank
        var readout = [Complex<Double>](repeating: .zero, count: readoutDimension)
        for j in 0..<v {
            for i in 0..<readoutDimension { readout[i] = readout[i] + Complex(basis[i, j], 0) * reduced[j] }
        }

        let parameters = model.discriminator.equilibriumParameters
        var vector = [Complex<Double>](repeating: .zero, count: model.stateDimension)
        let nd = model.particleBlockLength
        for k in 0..<readoutDimension { vector[nd + k] = readout[k] }
        if biasCoupled { vector[nd + parameters.count - 1] = reduced[v] }

        // δx = (g′(0)/λ)(K ⊗ I) G δa, real and imaginary parts of δa separately, through one evaluator.
        let evaluator = model.makeFieldWorkspace().discriminator
        let slopes = [\Complex<Double>.real, \Complex<Double>.imaginary].map { part in
            var θ = parameters
            for k in 0..<readoutDimension { θ[k] = readout[k][keyPath: part] }
            return model.kernel.apply(
                to: model.readoutSlopes(parameters: θ, evaluator: evaluator), blockSize: model.dimension)
        }
        let factor = Complex(model.loss.gPrime(0), 0) / λ
        for i in 0..<nd { vector[i] = factor * Complex(slopes[0][i], slopes[1][i]) }
        let norm = vector.reduce(0) { $0 + $1.lengthSquared }.squareRoot()
        return vector.map { $0 / Complex(norm, 0) }
    }
}

extension EffectiveModel {
    /// ∇_x D at the matched particles for discriminator parameters θ (particle-blocked, N·d).
    func readoutSlopes(parameters θ: [Double], evaluator: any DiscriminatorFieldEvaluator) -> [Double] {
        let x = particles(in: matchedState).transposed.storage
        x.withUnsafeBufferPointer { points in
            θ.withUnsafeBufferPointer { evaluator.load(particles: points.baseAddress!, parameters: $0.baseAddress!) }
        }
        return Array(UnsafeBufferPointer(start: evaluator.gradients(.particles), count: particleBlockLength))
    }
}
