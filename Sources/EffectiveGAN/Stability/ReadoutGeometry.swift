import LinearAlgebra

/// The discriminator's readout seen from a set of points at a = 0: the features ψ(x) = ∂_a D(x) and the slopes
/// G(x) = ∂(∇_x D(x))/∂a, in the Gram forms the oscillator structure needs (BLAS-3 throughout).
///
/// - MLP: ψ = H^{-1/2} φ(W x + b), G = H^{-1/2} (φ′(W x + b) ⊙ W)ᵀ, so G_iᵀ G_j = (W Wᵀ) ∘ (φ′_i φ′_jᵀ) / H.
/// - Linear (D = v·x + c, readout v): ψ = x, G = I_d.
struct ReadoutGeometry {
    enum Kind {
        case linear
        /// W as d × H (the row-major H × d weights read column-major), b, and W Wᵀ.
        case mlp(activation: Activation, weightsT: Matrix, biases: [Double], weightGram: Matrix)
    }

    let kind: Kind
    let readoutDimension: Int
    let innerWeightCount: Int
    let outputBias: Bool

    /// φ and φ′ at every (point, unit), count × H (for the linear case the points themselves, and no slopes).
    struct Responses {
        let features: Matrix
        let slopes: Matrix?
    }

    init(_ discriminator: ResolvedModel.Discriminator, dimension d: Int) {
        switch discriminator {
        case let .linear(outputBias, _):
            kind = .linear
            readoutDimension = d
            innerWeightCount = 0
            self.outputBias = outputBias
        case let .mlp(activation, training, weights, biases, outputBias, _):
            let h = weights.count
            let weightsT = Matrix(rows: d, columns: h, columnMajor: weights.flatMap { $0 })
            kind = .mlp(
                activation: activation, weightsT: weightsT, biases: biases,
                weightGram: Matrix.product(weightsT, weightsT, transA: .transposed))
            readoutDimension = h
            innerWeightCount = training == .all ? h * (d + 1) : 0
            self.outputBias = outputBias
        }
    }

    /// φ(W x + b) and φ′(W x + b) for every point (one row each): one `dgemm` for the pre-activations.
    func responses(at points: Matrix) -> Responses {
        guard case let .mlp(activation, weightsT, biases, _) = kind else {
            return Responses(features: points, slopes: nil)
        }
        var pre = Matrix.product(points, weightsT)
        var slopes = Matrix(rows: pre.rows, columns: pre.columns)
        for k in 0..<pre.columns {
            for p in 0..<pre.rows {
                let (f0, f1, _, _) = activation.derivatives(pre[p, k] + biases[k])
                pre[p, k] = f0
                slopes[p, k] = f1
            }
        }
        return Responses(features: pre, slopes: slopes)
    }

    /// Σ_ij K_ij G(x_i)ᵀ G(x'_j) / count, with K = I when `weights` is nil (then x = x').
    ///
    /// With a block kernel (K_ij a d × d block, x = x') the sum is Σ_ij G_iᵀ K_ij G_j = 𝔾ᵀ K 𝔾 with 𝔾 the
    /// (N·d) × n_a stack of the G_i: `blockSlopeGram`.
    func slopeGram(_ a: Responses, _ b: Responses, weights: KernelOperator?, count: Int) -> Matrix {
        if case let .block(kernel, d)? = weights { return blockSlopeGram(a, kernel: kernel, blockSize: d, count: count) }
        switch kind {
        case .linear:
            let n = a.features.rows
            let total: Double
            if let weights {
                let ones = weights.apply(to: [Double](repeating: 1, count: n), blockSize: 1)
                total = ones.reduce(0, +)
            } else {
                total = Double(n)
            }
            return Matrix.identity(readoutDimension).scaled(by: total / Double(count))
        case let .mlp(_, _, _, weightGram):
            let right = weights.map { $0.apply(toBlocks: b.slopes!, blockSize: 1) } ?? b.slopes!
            var gram = Matrix.product(a.slopes!, right, transA: .transposed)
            let scale = 1 / (Double(readoutDimension) * Double(count))
            for i in gram.storage.indices { gram.storage[i] *= weightGram.storage[i] * scale }
            return gram
        }
    }

    /// 𝔾ᵀ K 𝔾 / count for an (N·d) × (N·d) kernel K. Linear: 𝔾 = 𝟙_N ⊗ I_d, so the sum of K's d × d blocks.
    /// MLP: 𝔾[(i, a), k] = H^{-1/2} W_ka φ′(w_k·x_i + b_k), one `dgemm` for K𝔾 and one for 𝔾ᵀ(K𝔾).
    private func blockSlopeGram(_ r: Responses, kernel: Matrix, blockSize d: Int, count: Int) -> Matrix {
        let n = kernel.rows / d
        switch kind {
        case .linear:
            var gram = Matrix(rows: d, columns: d)
            for j in 0..<kernel.columns {
                for i in 0..<kernel.rows { gram[i % d, j % d] += kernel[i, j] }
            }
            return gram.scaled(by: 1 / Double(count))
        case let .mlp(_, weightsT, _, _):
            let h = readoutDimension
            var stacked = Matrix(rows: n * d, columns: h)
            for k in 0..<h {
                for i in 0..<n {
                    for a in 0..<d { stacked[i * d + a, k] = weightsT[a, k] * r.slopes![i, k] }
                }
            }
            let gram = Matrix.product(stacked, Matrix.product(kernel, stacked), transA: .transposed)
            return gram.scaled(by: 1 / (Double(h) * Double(count)))
        }
    }

    /// Σ_p ψ(x_p) ψ(x_p)ᵀ / count.
    func featureGram(_ r: Responses, count: Int) -> Matrix {
        let scale = (isLinear ? 1 : 1 / Double(readoutDimension)) / Double(count)
        return Matrix.product(r.features, r.features, transA: .transposed).scaled(by: scale)
    }

    /// The mean feature (1/count) Σ_p ψ(x_p).
    func featureMean(_ r: Responses) -> [Double] {
        let scale = (isLinear ? 1 : 1 / Double(readoutDimension).squareRoot()) / Double(r.features.rows)
        return (0..<r.features.columns).map { k in
            (0..<r.features.rows).reduce(0) { $0 + r.features[$1, k] } * scale
        }
    }

    private var isLinear: Bool {
        if case .linear = kind { return true }
        return false
    }
}
