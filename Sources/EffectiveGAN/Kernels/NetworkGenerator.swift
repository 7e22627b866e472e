import Foundation
import GSLBridge
import LinearAlgebra

/// A finite MLP generator G(z; w): latent z ∈ ℝ^{d_z} → output ℝ^d, with hidden widths `layers` (`generator.network`).
///
/// Layer l maps its input x^{l−1} (x⁰ = z) to h^l = s_l W^l x^{l−1} + β_l b^l; hidden layers apply φ, the last
/// (the readout, d outputs) does not. Two parameterisations:
/// - `ntk` (as `egan kernel`): every entry of W and b standard normal, s_l = σ_w/√fan_in, β_l = σ_b;
/// - `standard` (PyTorch's `nn.Linear` default): s_l = 1, β_l = 1, W and b uniform on ±1/√fan_in.
/// Parameters w in order: for each layer, W^l row-major then b^l (PyTorch's `parameters()` order).
///
/// At the matched equilibrium G(z_i; w*) = y_(i mod M) the particle model with K = (η_G/N)·Θ(w*), Θ = J Jᵀ the
/// empirical block kernel, *is* the network's linearisation (model §4): ∇_x D ≡ 0 removes G's Hessian.
public struct NetworkGenerator: Sendable, Equatable {
    public enum Parameterization: String, CaseIterable, Sendable { case ntk, standard }
    public enum Activation: String, CaseIterable, Sendable {
        case relu
        case leakyRelu = "leaky_relu"
        case tanh, erf

        /// relu and leaky relu: φ′ is a step, so the network's training field jumps.
        public var isPiecewiseLinear: Bool { self == .relu || self == .leakyRelu }
    }

    public var layers: [Int]
    public var activation: Activation
    /// α of `leaky_relu` (PyTorch's default 0.01 for a generator's nn.LeakyReLU()).
    public var negativeSlope: Double
    public var parameterization: Parameterization
    public var weightVariance: Double
    public var biasVariance: Double
    public var latentDimension: Int
    public var latentDistribution: LatentDistribution
    public var seed: Int
    /// Output dimension d.
    public var outputDimension: Int

    /// (fan_in, fan_out) of every layer, hidden first, readout last.
    var shapes: [(inputs: Int, outputs: Int)] {
        let widths = [latentDimension] + layers + [outputDimension]
        return (1..<widths.count).map { (widths[$0 - 1], widths[$0]) }
    }

    /// P, the number of parameters.
    public var parameterCount: Int { shapes.reduce(0) { $0 + $1.outputs * ($1.inputs + 1) } }

    /// The latent samples z_i (N × d_z, from `seed`) and the initial parameters w₀ (from `seed + 1`).
    func latents(count: Int) throws -> Matrix {
        try latentDistribution.samples(count: count, dimension: latentDimension, seed: seed)
    }

    func initialParameters() -> [Double] {
        let rng = MersenneTwister(seed: UInt(bitPattern: seed + 1))
        var w: [Double] = []
        w.reserveCapacity(parameterCount)
        for shape in shapes {
            let bound = 1 / Double(shape.inputs).squareRoot()
            for _ in 0..<(shape.outputs * (shape.inputs + 1)) {
                w.append(parameterization == .ntk ? rng.gaussian() : bound * (2 * rng.uniform() - 1))
            }
        }
        return w
    }

    private func scales(_ shape: (inputs: Int, outputs: Int)) -> (weight: Double, bias: Double) {
        parameterization == .ntk
            ? (weightVariance.squareRoot() / Double(shape.inputs).squareRoot(), biasVariance.squareRoot()) : (1, 1)
    }

    @inline(__always) private func activate(_ h: Double) -> (Double, Double) {
        switch activation {
        case .relu: return h > 0 ? (h, 1) : (0, 0)
        case .leakyRelu: return h > 0 ? (h, 1) : (negativeSlope * h, negativeSlope)
        case .tanh:
            let t = Foundation.tanh(h)
            return (t, 1 - t * t)
        case .erf: return (Foundation.erf(h), 2 / Double.pi.squareRoot() * exp(-h * h))
        }
    }

    /// The forward pass over all N latents at once, one `dgemm` per layer: every layer's input A_l (N × fan_in,
    /// A_0 = Z), the hidden layers' slopes φ′(h^l) (N × H_l) and the outputs G(Z; w) (N × d).
    ///
    /// Layer l's weights are rows of w in the order `initialParameters` draws them (W_l row-major, fan_out ×
    /// fan_in, then b_l), so W_l read column-major is W_lᵀ and h^l = s_l A_l W_lᵀ + β_l 𝟙 b_lᵀ is one product.
    func forwardPass(latents z: Matrix, parameters w: [Double]) -> ForwardPass {
        var inputs: [Matrix] = []
        var slopes: [Matrix] = []
        var current = z
        let offsets = layerOffsets
        for (l, shape) in shapes.enumerated() {
            inputs.append(current)
            let (s, β) = scales(shape)
            let biases = offsets[l] + shape.outputs * shape.inputs
            var h = Matrix.product(current, transposedWeights(layer: l, offset: offsets[l], w)).scaled(by: s)
            for k in 0..<shape.outputs {
                let bias = β * w[biases + k]
                for i in 0..<h.rows { h[i, k] += bias }
            }
            if l == shapes.count - 1 { return ForwardPass(inputs: inputs, slopes: slopes, outputs: h) }
            var slope = h
            for k in 0..<h.columns {
                for i in 0..<h.rows { (h[i, k], slope[i, k]) = activate(h[i, k]) }
            }
            current = h
            slopes.append(slope)
        }
        preconditionFailure("a network has a readout layer")
    }

    /// Where each layer's parameters start in w: W_l (fan_out × fan_in, row-major), then b_l.
    private var layerOffsets: [Int] {
        var offsets: [Int] = []
        var offset = 0
        for shape in shapes {
            offsets.append(offset)
            offset += shape.outputs * (shape.inputs + 1)
        }
        return offsets
    }

    /// W_lᵀ (fan_in × fan_out): layer l's row-major weights, starting at `offset` in w, read column-major.
    private func transposedWeights(layer l: Int, offset: Int, _ w: [Double]) -> Matrix {
        let shape = shapes[l]
        return Matrix(
            rows: shape.inputs, columns: shape.outputs, columnMajor: Array(w[offset..<(offset + shape.outputs * shape.inputs)]))
    }

    /// G(z_i; w) for every latent (N × d).
    public func outputs(latents z: Matrix, parameters w: [Double]) -> Matrix {
        forwardPass(latents: z, parameters: w).outputs
    }

    /// Jᵀu = Σ_i Σ_a u_ia ∂G_a(z_i)/∂w (P numbers) by one batched backward pass from `pass`: the gradient the
    /// generator's weights follow, without forming the N·d × P Jacobian (two `dgemm` per layer, O(N·P) work and
    /// memory instead of O(N·d·P)).
    func vectorJacobianProduct(_ pass: ForwardPass, parameters w: [Double], cotangent u: Matrix) -> [Double] {
        var gradient = [Double](repeating: 0, count: parameterCount)
        let offsets = layerOffsets
        var δ = u  // ∂(u·G)/∂h at the current layer, N × fan_out
        for l in shapes.indices.reversed() {
            let shape = shapes[l]
            let (s, β) = scales(shape)
            let base = offsets[l]
            // ∂/∂W_l = s δᵀ A_l (fan_out × fan_in row-major) = s A_lᵀ δ read column-major.
            let weights = Matrix.product(pass.inputs[l], δ, transA: .transposed)
            for q in weights.storage.indices { gradient[base + q] = s * weights.storage[q] }
            let biases = base + shape.outputs * shape.inputs
            for k in 0..<shape.outputs {
                var sum = 0.0
                for i in 0..<δ.rows { sum += δ[i, k] }
                gradient[biases + k] = β * sum
            }
            guard l > 0 else { break }
            // δ_{l−1} = (s δ W_l) ⊙ φ′(h^{l−1}).
            var previous = Matrix.product(δ, transposedWeights(layer: l, offset: base, w), transB: .transposed)
                .scaled(by: s)
            let slope = pass.slopes[l - 1]
            for q in previous.storage.indices { previous.storage[q] *= slope.storage[q] }
            δ = previous
        }
        return gradient
    }

    /// The parameter Jacobian J (N·d × P, row i·d + a = ∂G_a(z_i)/∂w) by backpropagation, exact.
    public func jacobian(latents z: Matrix, parameters w: [Double]) -> Matrix {
        let d = outputDimension
        var jacobian = Matrix(rows: z.rows * d, columns: parameterCount)
        let offsets = layerOffsets
        let pass = forwardPass(latents: z, parameters: w)
        for i in 0..<z.rows {
            for a in 0..<d {
                let row = i * d + a
                var g = [Double](repeating: 0, count: d)  // ∂G_a/∂h at the readout
                g[a] = 1
                for l in shapes.indices.reversed() {
                    let shape = shapes[l]
                    let (s, β) = scales(shape)
                    let base = offsets[l]
                    let biases = base + shape.outputs * shape.inputs
                    let input = pass.inputs[l]
                    for k in 0..<shape.outputs where g[k] != 0 {
                        for j in 0..<shape.inputs { jacobian[row, base + k * shape.inputs + j] = g[k] * s * input[i, j] }
                        jacobian[row, biases + k] = g[k] * β
                    }
                    guard l > 0 else { break }
                    var previous = [Double](repeating: 0, count: shape.inputs)
                    for k in 0..<shape.outputs where g[k] != 0 {
                        for j in 0..<shape.inputs { previous[j] += g[k] * s * w[base + k * shape.inputs + j] }
                    }
                    g = previous.indices.map { previous[$0] * pass.slopes[l - 1][i, $0] }
                }
            }
        }
        return jacobian
    }
}

/// One batched forward pass of a generator network (`NetworkGenerator.forwardPass`).
struct ForwardPass {
    /// The input of every layer, N × fan_in (the latents first).
    let inputs: [Matrix]
    /// φ′(h^l) of every hidden layer, N × H_l.
    let slopes: [Matrix]
    /// G(Z; w), N × d.
    let outputs: Matrix
}
