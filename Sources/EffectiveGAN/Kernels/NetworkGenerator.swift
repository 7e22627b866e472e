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
    /// `fit`: whether the config fits w* and Θ(w*) (needed by every linear answer). False skips the fit, whose
    /// Jacobian is (N·d) × P, for a network that is only trained (`egan bench network-steps-784`: 78 400 × 697 488).
    public var fitsEquilibrium: Bool = true

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

    /// φ and φ′ of every pre-activation, in place: one branch-free loop per kind for relu and leaky relu (the
    /// compiler vectorises them), the pointwise pair for the rest.
    private func applyActivation(_ h: inout Matrix, slopes: inout Matrix) {
        let count = h.storage.count
        h.storage.withUnsafeMutableBufferPointer { value in
            slopes.storage.withUnsafeMutableBufferPointer { slope in
                switch activation {
                case .relu:
                    for q in 0..<count {
                        let on = value[q] > 0
                        slope[q] = on ? 1 : 0
                        value[q] = on ? value[q] : 0
                    }
                case .leakyRelu:
                    let α = negativeSlope
                    for q in 0..<count {
                        let on = value[q] > 0
                        slope[q] = on ? 1 : α
                        value[q] = on ? value[q] : α * value[q]
                    }
                case .tanh, .erf:
                    for q in 0..<count { (value[q], slope[q]) = activate(value[q]) }
                }
            }
        }
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
    /// fan_in, then b_l), so W_l read column-major in place is W_lᵀ and h^l = s_l A_l W_lᵀ + β_l 𝟙 b_lᵀ is one
    /// product straight from w (no copy of the weights), split over the cores by columns (`BLAS.gemm(blocks:)`).
    func forwardPass(latents z: Matrix, parameters w: [Double]) -> ForwardPass {
        w.withUnsafeBufferPointer { forwardPass(latents: z, parameters: $0.baseAddress!) }
    }

    /// `forwardPass` reading w (P numbers) in place, e.g. the front of a training state (w, θ).
    func forwardPass(latents z: Matrix, parameters w: UnsafePointer<Double>) -> ForwardPass {
        var inputs: [Matrix] = []
        var slopes: [Matrix] = []
        var current = z
        let offsets = layerOffsets
        let n = z.rows
        for (l, shape) in shapes.enumerated() {
            let (s, β) = scales(shape)
            var h = Matrix(rows: n, columns: shape.outputs)
            current.storage.withUnsafeBufferPointer { pa in
                h.storage.withUnsafeMutableBufferPointer { ph in
                    BLAS.gemm(
                        .none, .none, m: n, n: shape.outputs, k: shape.inputs, alpha: s, pa.baseAddress!, lda: n,
                        w + offsets[l], ldb: shape.inputs, beta: 0, ph.baseAddress!, ldc: n, blocks: System.coreCount)
                }
            }
            let biases = offsets[l] + shape.outputs * shape.inputs
            for k in 0..<shape.outputs {
                let bias = β * w[biases + k]
                for i in 0..<n { h.storage[k * n + i] += bias }
            }
            inputs.append(current)
            if l == shapes.count - 1 { return ForwardPass(inputs: inputs, slopes: slopes, outputs: h) }
            var slope = h
            applyActivation(&h, slopes: &slope)
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

    /// G(z_i; w) for every latent (N × d).
    public func outputs(latents z: Matrix, parameters w: [Double]) -> Matrix {
        forwardPass(latents: z, parameters: w).outputs
    }

    /// Jᵀu = Σ_i Σ_a u_ia ∂G_a(z_i)/∂w (P numbers) by one batched backward pass from `pass`: the gradient the
    /// generator's weights follow, without forming the N·d × P Jacobian (two `dgemm` per layer, O(N·P) work and
    /// memory instead of O(N·d·P)).
    func vectorJacobianProduct(_ pass: ForwardPass, parameters w: [Double], cotangent u: Matrix) -> [Double] {
        var gradient = [Double](repeating: 0, count: parameterCount)
        w.withUnsafeBufferPointer { pw in
            gradient.withUnsafeMutableBufferPointer { pg in
                vectorJacobianProduct(pass, parameters: pw.baseAddress!, cotangent: u, into: pg.baseAddress!)
            }
        }
        return gradient
    }

    /// `vectorJacobianProduct` reading w in place and writing c·Jᵀu into `gradient` (P numbers), or adding it
    /// (`accumulate`). `gradient` may be w itself: w += h·Jᵀu is then one gradient step in place, because each
    /// layer's δ_{l−1} = (s δ W_l) ⊙ φ′ is formed from W_l before W_l is updated. (Running a layer's two products
    /// side by side, each on one core, instead of splitting each over both, measured no faster: 1.44–1.73 s
    /// against 1.48–1.73 s for `network-steps-784`, within this machine's noise.)
    func vectorJacobianProduct(
        _ pass: ForwardPass, parameters pw: UnsafePointer<Double>, cotangent u: Matrix,
        into pg: UnsafeMutablePointer<Double>, scale c: Double = 1, accumulate: Bool = false
    ) {
        let offsets = layerOffsets
        let n = u.rows
        let ones = [Double](repeating: 1, count: n)
        let keep = accumulate ? 1.0 : 0.0
        var δ = u  // ∂(u·G)/∂h at the current layer, N × fan_out
        for l in shapes.indices.reversed() {
            let shape = shapes[l]
            let (s, β) = scales(shape)
            let base = offsets[l]
            let biases = base + shape.outputs * shape.inputs
            var previous = Matrix(rows: n, columns: l > 0 ? shape.inputs : 0)
            δ.storage.withUnsafeBufferPointer { pδ in
                if l > 0 {
                    // δ_{l−1} = (s δ W_l) ⊙ φ′(h^{l−1}); W_l is the transpose of w's column-major view.
                    previous.storage.withUnsafeMutableBufferPointer { pp in
                        BLAS.gemm(
                            .none, .transposed, m: n, n: shape.inputs, k: shape.outputs, alpha: s, pδ.baseAddress!,
                            lda: n, pw + base, ldb: shape.inputs, beta: 0, pp.baseAddress!, ldc: n,
                            blocks: System.coreCount)
                    }
                }
                // ∂/∂W_l = s δᵀ A_l (fan_out × fan_in row-major) = s A_lᵀ δ read column-major.
                pass.inputs[l].storage.withUnsafeBufferPointer { pa in
                    BLAS.gemm(
                        .transposed, .none, m: shape.inputs, n: shape.outputs, k: n, alpha: c * s, pa.baseAddress!,
                        lda: n, pδ.baseAddress!, ldb: n, beta: keep, pg + base, ldc: shape.inputs,
                        blocks: System.coreCount)
                }
                // ∂/∂b_l = β δᵀ𝟙.
                ones.withUnsafeBufferPointer { p1 in
                    BLAS.gemv(
                        .transposed, rows: n, columns: shape.outputs, alpha: c * β, pδ.baseAddress!, lda: n,
                        p1.baseAddress!, beta: keep, pg + biases)
                }
            }
            guard l > 0 else { break }
            let slope = pass.slopes[l - 1]
            for q in previous.storage.indices { previous.storage[q] *= slope.storage[q] }
            δ = previous
        }
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
                        for j in 0..<shape.inputs {
                            jacobian[row, base + k * shape.inputs + j] = g[k] * s * input[i, j]
                        }
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
