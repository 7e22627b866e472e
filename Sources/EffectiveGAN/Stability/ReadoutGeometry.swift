import LinearAlgebra

/// The discriminator's readout seen from a set of points at a = 0: the features ψ(x) = ∂_a D(x) and the slopes
/// G(x) = ∂(∇_x D(x))/∂a, in the Gram forms the oscillator structure needs (BLAS-3 throughout).
///
/// - MLP: ψ = H^{-1/2} φ(W x + b), G = H^{-1/2} (φ′(W x + b) ⊙ W)ᵀ, so G_iᵀ G_j = (W Wᵀ) ∘ (φ′_i φ′_jᵀ) / H.
/// - Linear (D = v·x + c, readout v): ψ = x, G = I_d.
/// - Deep MLP (L ≥ 2 hidden layers): every inner layer sits behind a, so at a = 0 only the last hidden layer's
///   features f(x) = φ(h^L(x)) and their input Jacobians F(x) = ∂f/∂x (H_L × d) enter: ψ = H_L^{-1/2} f,
///   G = H_L^{-1/2} Fᵀ, and the Grams are 𝔾ᵀ(K ⊗ I_d)𝔾 over the stack 𝔾 of the Fᵀ (docs/oscillator-structure.md).
struct ReadoutGeometry {
    enum Kind {
        case linear
        /// W as d × H (the row-major H × d weights read column-major), b, and W Wᵀ.
        case mlp(activation: Activation, weightsT: Matrix, biases: [Double], weightGram: Matrix)
        case deep(MLPCritic)
    }

    let kind: Kind
    let readoutDimension: Int
    let innerWeightCount: Int
    let outputBias: Bool

    /// φ and φ′ at every (point, unit), count × H (for the linear case the points themselves, and no slopes); for
    /// a deep critic the last layer's features and, in `slopeStack`, ∂f_k/∂x_a at row p·d + a (count·d × H_L).
    struct Responses {
        let features: Matrix
        let slopes: Matrix?
        var slopeStack: Matrix? = nil
    }

    init(_ discriminator: ResolvedModel.Discriminator, dimension d: Int) {
        switch discriminator {
        case let .linear(outputBias, _):
            kind = .linear
            readoutDimension = d
            innerWeightCount = 0
            self.outputBias = outputBias
        case let .mlp(critic) where critic.depth > 1:
            kind = .deep(critic)
            readoutDimension = critic.readoutWidth
            innerWeightCount = critic.training == .all ? critic.innerParameterCount : 0
            outputBias = critic.outputBias
        case let .mlp(critic):
            let weights = critic.layers[0].weights
            let h = weights.count
            let weightsT = Matrix(rows: d, columns: h, columnMajor: weights.flatMap { $0 })
            kind = .mlp(
                activation: critic.activation, weightsT: weightsT, biases: critic.layers[0].biases,
                weightGram: Matrix.product(weightsT, weightsT, transA: .transposed))
            readoutDimension = h
            innerWeightCount = critic.training == .all ? h * (d + 1) : 0
            outputBias = critic.outputBias
        }
    }

    /// φ(W x + b) and φ′(W x + b) for every point (one row each): one `dgemm` for the pre-activations.
    func responses(at points: Matrix) -> Responses {
        if case let .deep(critic) = kind { return Self.deepResponses(critic, at: points) }
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
        if case .deep = kind {
            // 𝔾_aᵀ (K ⊗ I_d or the block K) 𝔾_b / (H_L·count): every kernel form through one product.
            let d = a.slopeStack!.rows / a.features.rows
            let right = weights.map { $0.apply(toBlocks: b.slopeStack!, blockSize: d) } ?? b.slopeStack!
            return Matrix.product(a.slopeStack!, right, transA: .transposed)
                .scaled(by: 1 / (Double(readoutDimension) * Double(count)))
        }
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
        case .deep:
            preconditionFailure("handled above")
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
        case .deep:
            preconditionFailure("deep critics take the general product in slopeGram")
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

    /// The last hidden layer's features f = φ(h^L) and their input Jacobians, by forward-mode propagation of
    /// ∂h/∂x through the layers (J¹ = W¹, J^{l+1} = s_l W^{l+1} diag φ′(h^l) J^l, F = diag φ′(h^L) J^L).
    static func deepResponses(_ critic: MLPCritic, at points: Matrix) -> Responses {
        let d = points.columns
        let h = critic.readoutWidth
        var features = Matrix(rows: points.rows, columns: h)
        var stack = Matrix(rows: points.rows * d, columns: h)
        for p in 0..<points.rows {
            var input = (0..<d).map { points[p, $0] }
            var jacobian = (0..<d).map { α in (0..<d).map { $0 == α ? 1.0 : 0.0 } }  // ∂input/∂x, rows = inputs
            var slopes: [Double] = []
            for (l, layer) in critic.layers.enumerated() {
                let scale = l == 0 ? 1 : 1 / Double(critic.layers[l - 1].width).squareRoot()
                var pre = [Double](repeating: 0, count: layer.width)
                var next = [[Double]](repeating: [Double](repeating: 0, count: d), count: layer.width)
                for k in 0..<layer.width {
                    var sum = layer.biases[k]
                    for j in 0..<layer.inputs {
                        let w = scale * layer.weights[k][j]
                        sum += w * input[j]
                        for α in 0..<d { next[k][α] += w * jacobian[j][α] }
                    }
                    pre[k] = sum
                }
                let responses = pre.map { critic.activation.derivatives($0) }
                input = responses.map(\.0)
                slopes = responses.map(\.1)
                jacobian = (0..<layer.width).map { k in next[k].map { slopes[k] * $0 } }
            }
            for k in 0..<h {
                features[p, k] = input[k]
                for α in 0..<d { stack[p * d + α, k] = jacobian[k][α] }
            }
        }
        return Responses(features: features, slopes: nil, slopeStack: stack)
    }
}
