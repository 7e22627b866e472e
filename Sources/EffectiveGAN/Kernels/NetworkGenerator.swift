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

    /// The forward pass of one sample: every layer's input and the hidden layers' slopes φ′(h^l).
    private func forward(_ z: [Double], _ w: [Double]) -> (inputs: [[Double]], slopes: [[Double]], output: [Double]) {
        var inputs: [[Double]] = []
        var slopes: [[Double]] = []
        var current = z
        var offset = 0
        for (l, shape) in shapes.enumerated() {
            inputs.append(current)
            let (s, β) = scales(shape)
            var h = [Double](repeating: 0, count: shape.outputs)
            let biases = offset + shape.outputs * shape.inputs
            for k in 0..<shape.outputs {
                var sum = 0.0
                let row = offset + k * shape.inputs
                for j in 0..<shape.inputs { sum += w[row + j] * current[j] }
                h[k] = s * sum + β * w[biases + k]
            }
            offset = biases + shape.outputs
            if l == shapes.count - 1 { return (inputs, slopes, h) }
            let activated = h.map(activate)
            current = activated.map(\.0)
            slopes.append(activated.map(\.1))
        }
        preconditionFailure("a network has a readout layer")
    }

    /// G(z_i; w) for every latent (N × d).
    public func outputs(latents z: Matrix, parameters w: [Double]) -> Matrix {
        var x = Matrix(rows: z.rows, columns: outputDimension)
        for i in 0..<z.rows {
            let out = forward((0..<z.columns).map { z[i, $0] }, w).output
            for a in 0..<outputDimension { x[i, a] = out[a] }
        }
        return x
    }

    /// The parameter Jacobian J (N·d × P, row i·d + a = ∂G_a(z_i)/∂w) by backpropagation, exact.
    public func jacobian(latents z: Matrix, parameters w: [Double]) -> Matrix {
        let d = outputDimension
        var jacobian = Matrix(rows: z.rows * d, columns: parameterCount)
        var offsets: [Int] = []
        var offset = 0
        for shape in shapes {
            offsets.append(offset)
            offset += shape.outputs * (shape.inputs + 1)
        }
        for i in 0..<z.rows {
            let pass = forward((0..<z.columns).map { z[i, $0] }, w)
            for a in 0..<d {
                let row = i * d + a
                var g = [Double](repeating: 0, count: d)  // ∂G_a/∂h at the readout
                g[a] = 1
                for l in shapes.indices.reversed() {
                    let shape = shapes[l]
                    let (s, β) = scales(shape)
                    let base = offsets[l]
                    let biases = base + shape.outputs * shape.inputs
                    for k in 0..<shape.outputs where g[k] != 0 {
                        for j in 0..<shape.inputs { jacobian[row, base + k * shape.inputs + j] = g[k] * s * pass.inputs[l][j] }
                        jacobian[row, biases + k] = g[k] * β
                    }
                    guard l > 0 else { break }
                    var previous = [Double](repeating: 0, count: shape.inputs)
                    for k in 0..<shape.outputs where g[k] != 0 {
                        for j in 0..<shape.inputs { previous[j] += g[k] * s * w[base + k * shape.inputs + j] }
                    }
                    g = zip(previous, pass.slopes[l - 1]).map { $0 * $1 }
                }
            }
        }
        return jacobian
    }
}
