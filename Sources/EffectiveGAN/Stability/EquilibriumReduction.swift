import LinearAlgebra
import Numerics

/// The exact reduction of the eigenproblem at the matched equilibrium for MLP discriminators.
///
/// At z* the readout is a = 0 and the particles' empirical measure equals the targets'. Then:
/// - every column of J belonging to an inner weight w_kβ or b_k vanishes except its diagonal entry
///   −κ = −η_D(γ·[l2] + μ): each such derivative carries a factor a_k, or the difference of the real and fake sums
///   (1/M) Σ_m φ′(h_mk) y_m − (1/N) Σ_i φ′(h_ik) x_i, which is zero when the measures match;
/// - in readout space, J reads and writes a only through the data-visible subspace
///   S = span{ s φ(h_m·), s φ′(h_m·) w_·α : m ≤ M, α ≤ d } (at most M + M·d directions): the Gram terms of J_aa,
///   the rows J_ca and J_xa and the columns J_ax all lie in S, and l2/weight decay adds −κ I.
/// So V = (particles) ⊕ S ⊕ (c) is invariant, J acts on the rest as −κ I, and
///   eig J = eig(Pᵀ J P) ∪ {−κ, repeated n − dim V},
/// with P the orthonormal basis of V. The (particles, a, c) block of J is the Jacobian of the same model with
/// W, b frozen (`train: "outer"`): the inner weights' columns and rows never enter it. The work therefore scales
/// with the number of particles and targets, not with the discriminator's width. Tests compare the union with
/// the full `dgeev` spectrum on random models of every kind.
struct EquilibriumReduction {
    /// Pᵀ J P, the matrix that is diagonalised.
    let reducedJacobian: Matrix
    /// The closed-form eigenvalue of the complement, −η_D(γ·[l2] + μ).
    let complementEigenvalue: Double
    /// Its multiplicity n − dim V.
    let complementCount: Int

    /// The reduction of `model` at its matched equilibrium, or nil where it does not apply (linear discriminator
    /// or optimal discriminator: nothing to reduce).
    init?(_ model: EffectiveModel) throws {
        guard !model.optimalDiscriminator else { return nil }  // its state is X alone: nothing to reduce
        // a ≠ 0 with likelihood guidance; memory states and packs are outside the embedding below.
        guard model.likelihood == nil, model.memory == nil, model.packing == nil else { return nil }
        guard case let .mlp(activation, _, weights, biases, outputBias, weightDecay) = model.resolved.discriminator
        else { return nil }
        var frozen = model.resolved
        frozen.discriminator = .mlp(
            activation: activation, training: .outer, weights: weights, biases: biases, outputBias: outputBias,
            weightDecay: weightDecay)
        let outer = EffectiveModel(frozen, gamma: model.gamma)
        let width = weights.count
        let nd = model.particleBlockLength
        let readout = try Self.visibleReadoutBasis(outer, width: width)
        let bias = outputBias ? 1 : 0
        var embedding = Matrix(rows: outer.stateDimension, columns: nd + readout.columns + bias)
        for i in 0..<nd { embedding[i, i] = 1 }
        for j in 0..<readout.columns { for k in 0..<width { embedding[nd + k, nd + j] = readout[k, j] } }
        if outputBias { embedding[outer.stateDimension - 1, embedding.columns - 1] = 1 }
        let projected = Matrix.product(outer.jacobian(at: outer.equilibriumState), embedding)
        reducedJacobian = Matrix.product(embedding, projected, transA: .transposed)
        complementEigenvalue = -model.etaD * ((model.regularizer == .l2 ? model.gamma : 0) + weightDecay)
        complementCount = model.stateDimension - embedding.columns
    }

    /// An orthonormal basis of a space containing S, from the features and their x-gradients at the targets
    /// (the identity when those already span the readout space).
    static func visibleReadoutBasis(_ outer: EffectiveModel, width: Int) throws -> Matrix {
        let batch = outer.targetBatch(outer.equilibriumState.suffix(outer.parameterCount).map { $0 })
        let features = batch.parameterGradients()  // P × M, rows 0..<H: s φ(h_mk)
        let slopes = batch.mixedDerivatives()  // M·d × P, columns 0..<H: s φ′(h_mk) w_kα
        let generators = features.columns + slopes.rows
        guard generators < width else {
            var identity = Matrix(rows: width, columns: width)
            for k in 0..<width { identity[k, k] = 1 }
            return identity
        }
        var span = Matrix(rows: width, columns: generators)
        for m in 0..<features.columns { for k in 0..<width { span[k, m] = features[k, m] } }
        for r in 0..<slopes.rows { for k in 0..<width { span[k, features.columns + r] = slopes[r, k] } }
        return try span.orthonormalColumnBasis()
    }

    /// All n eigenvalues: the reduced matrix's (`dgeev`, no vectors) and the complement's.
    func eigenvalues() throws -> [Complex<Double>] {
        try reducedJacobian.eigenvalues()
            + Array(repeating: Complex(complementEigenvalue, 0), count: complementCount)
    }
}

extension EffectiveModel {
    /// The eigenvalues of J at z*, with the dimension of the matrix diagonalised: exactly reduced for MLP
    /// discriminators (`EquilibriumReduction`), the full `dgeev` otherwise.
    public func equilibriumEigenvalues() throws -> (values: [Complex<Double>], diagonalised: Int) {
        if let reduction = try EquilibriumReduction(self) {
            return (try reduction.eigenvalues(), reduction.reducedJacobian.rows)
        }
        return (try jacobian(at: equilibriumState).eigenvalues(), stateDimension)
    }
}
