import Foundation
import GSLBridge
import LinearAlgebra

extension GeneratorNetwork {
    /// The infinite-width NTK Θ(z_i, z_j) by the layer recursion (Jacot et al. 2018; Arora et al. 2019):
    ///   Σ¹ = σ_w² z·z′/d_z + σ_b²,  Θ¹ = Σ¹,
    ///   Σ^{l+1} = σ_w² E[φ(u)φ(v)] + σ_b²,  Σ̇^{l+1} = σ_w² E[φ′(u)φ′(v)],  Θ^{l+1} = Θ^l Σ̇^{l+1} + Σ^{l+1},
    /// with (u, v) ~ N(0, Σ^l restricted to the pair). The kernel is Θ^{L+1}, or Σ^{L+1} with readout training.
    public func infiniteWidthKernel(latents z: Matrix) -> Matrix {
        let n = z.rows
        var sigma = Matrix.product(z, z, transB: .transposed)
        for k in sigma.storage.indices {
            sigma.storage[k] = weightVariance * sigma.storage[k] / Double(z.columns) + biasVariance
        }
        var theta = sigma
        for _ in 0..<depth {
            var nextSigma = Matrix(rows: n, columns: n)
            var derivative = Matrix(rows: n, columns: n)
            for i in 0..<n {
                for j in 0...i {
                    let (e, ed) = expectations(sigma[i, i], sigma[j, j], sigma[i, j])
                    nextSigma[i, j] = weightVariance * e + biasVariance
                    nextSigma[j, i] = nextSigma[i, j]
                    derivative[i, j] = weightVariance * ed
                    derivative[j, i] = derivative[i, j]
                }
            }
            for k in theta.storage.indices {
                theta.storage[k] = theta.storage[k] * derivative.storage[k] + nextSigma.storage[k]
            }
            sigma = nextSigma
        }
        return training == .all ? theta : sigma
    }

    /// (E[φ(u)φ(v)], E[φ′(u)φ′(v)]) for (u, v) centred Gaussian with variances a, b and covariance c.
    func expectations(_ a: Double, _ b: Double, _ c: Double) -> (Double, Double) {
        switch activation {
        case .relu:
            // Arc-cosine kernels of degree 1 and 0 (Cho & Saul 2009).
            let norm = (a * b).squareRoot()
            guard norm > 0 else { return (0, 0.25) }
            let cosine = max(-1, min(1, c / norm))
            let angle = acos(cosine)
            return (
                norm * (sin(angle) + (Double.pi - angle) * cosine) / (2 * Double.pi),
                (Double.pi - angle) / (2 * Double.pi)
            )
        case .erf:
            // Williams (1997): E[erf u erf v] = (2/π) asin(2c/√((1+2a)(1+2b))), and erf′ = (2/√π) e^{−h²}.
            let value = 2 / Double.pi * asin(2 * c / ((1 + 2 * a) * (1 + 2 * b)).squareRoot())
            let slope = 4 / Double.pi / ((1 + 2 * a) * (1 + 2 * b) - 4 * c * c).squareRoot()
            return (value, slope)
        case .tanh:
            // u = √a x, v = (c/√a) x + √(b − c²/a) y with x, y independent standard normals.
            let rule = GaussHermite.rule(points: 48)
            let sa = a.squareRoot()
            let along = sa > 0 ? c / sa : 0
            let across = max(0, b - along * along).squareRoot()
            var value = 0.0
            var slope = 0.0
            for (x, wx) in rule {
                let u = sa * x
                let tu = Foundation.tanh(u)
                for (y, wy) in rule {
                    let tv = Foundation.tanh(along * x + across * y)
                    value += wx * wy * tu * tv
                    slope += wx * wy * (1 - tu * tu) * (1 - tv * tv)
                }
            }
            return (value, slope)
        }
    }

    func activate(_ h: Double) -> (Double, Double) {
        switch activation {
        case .relu: return h > 0 ? (h, 1) : (0, 0)
        case .erf: return (Foundation.erf(h), 2 / Double.pi.squareRoot() * exp(-h * h))
        case .tanh:
            let t = Foundation.tanh(h)
            return (t, 1 - t * t)
        }
    }

    /// The empirical NTK J Jᵀ of one random network of the given width (weights from `seed`), with J the exact
    /// parameter Jacobian of f at the latent samples, by backpropagation:
    ///   Θ = Σ_l [(σ_w²/n_{l−1}) X^{l−1} X^{l−1}ᵀ + σ_b²] ∘ (Δ^l Δ^lᵀ) + (σ_w²/n) X^L X^Lᵀ + σ_b²,
    /// where X^l are the layer outputs (X⁰ = Z) and Δ^l = ∂f/∂h^l, one row per sample.
    public func empiricalKernel(latents z: Matrix, width: Int, seed: Int) throws -> Matrix {
        guard width >= 1 else { throw KernelError.invalid("width must be at least 1 (got \(width))") }
        let n = z.rows
        // The weights (depth layers of width × max(width, d_z)) and, per layer, the outputs, slopes and Grams.
        let (w, dz, l) = (Double(width), Double(z.columns), Double(depth))
        try MemoryBudget.check(
            8 * (l * w * max(w, dz) + 4 * (l + 1) * Double(n) * w + 4 * Double(n * n)) * Double(System.coreCount),
            for:
                "the empirical NTK of width \(width) (depth \(depth), d_z = \(z.columns), \(n) samples, one network per core)"
        )
        let rng = MersenneTwister(seed: UInt(bitPattern: seed))
        let σw = weightVariance.squareRoot()
        let σb = biasVariance.squareRoot()
        func gaussianMatrix(_ rows: Int, _ columns: Int) -> Matrix {
            Matrix(rows: rows, columns: columns, columnMajor: (0..<(rows * columns)).map { _ in rng.gaussian() })
        }
        var weights: [Matrix] = []
        var outputs = [z]
        var slopes: [Matrix] = []
        for layer in 0..<depth {
            let input = outputs[layer]
            let w = gaussianMatrix(width, input.columns)
            let b = (0..<width).map { _ in rng.gaussian() }
            var h = Matrix.product(input, w, transB: .transposed)
            var x = Matrix(rows: n, columns: width)
            var slope = Matrix(rows: n, columns: width)
            let scale = σw / Double(input.columns).squareRoot()
            for k in 0..<width {
                for i in 0..<n {
                    h[i, k] = scale * h[i, k] + σb * b[k]
                    (x[i, k], slope[i, k]) = activate(h[i, k])
                }
            }
            weights.append(w)
            outputs.append(x)
            slopes.append(slope)
        }
        let readout = (0..<width).map { _ in rng.gaussian() }
        let lastScale = σw / Double(width).squareRoot()
        var kernel = Matrix.product(outputs[depth], outputs[depth], transB: .transposed)
        for k in kernel.storage.indices { kernel.storage[k] = lastScale * lastScale * kernel.storage[k] + biasVariance }
        guard training == .all else { return kernel }
        // Backward pass: Δ^L = (σ_w/√n) w ∘ φ′(h^L); Δ^l = φ′(h^l) ∘ ((σ_w/√n) Δ^{l+1} W^{l+1}).
        var delta = Matrix(rows: n, columns: width)
        for k in 0..<width { for i in 0..<n { delta[i, k] = lastScale * readout[k] * slopes[depth - 1][i, k] } }
        for layer in stride(from: depth - 1, through: 0, by: -1) {
            let input = outputs[layer]
            let inputScale = weightVariance / Double(input.columns)
            let inputGram = Matrix.product(input, input, transB: .transposed)
            let deltaGram = Matrix.product(delta, delta, transB: .transposed)
            for k in kernel.storage.indices {
                kernel.storage[k] += (inputScale * inputGram.storage[k] + biasVariance) * deltaGram.storage[k]
            }
            guard layer > 0 else { break }
            var back = Matrix.product(delta, weights[layer])
            let scale = σw / Double(width).squareRoot()
            for k in 0..<width { for i in 0..<n { back[i, k] *= scale * slopes[layer - 1][i, k] } }
            delta = back
        }
        return kernel
    }
}
