import Foundation
import GSLBridge
import LinearAlgebra

/// A fully connected generator network in the NTK parameterisation, for deriving the kernel K (spec §4):
///   h¹ = (σ_w/√d_z) W¹ z + σ_b b¹,  x^l = φ(h^l),  h^{l+1} = (σ_w/√n) W^{l+1} x^l + σ_b b^{l+1},
///   f(z) = (σ_w/√n) w·x^L + σ_b b_out,
/// with every entry of W, w, b standard normal. `depth` is the number of hidden layers L.
public struct GeneratorNetwork: Sendable, Equatable {
    public enum Activation: String, CaseIterable, Sendable {
        /// max(0, h): arc-cosine closed forms.
        case relu
        /// erf(h): Williams' closed forms (the smooth "erf-like" sigmoid).
        case erf
        /// tanh(h): Gaussian expectations by Gauss–Hermite quadrature.
        case tanh
    }

    /// Which parameters train (and therefore enter the tangent kernel).
    public enum Training: String, CaseIterable, Sendable {
        /// Every layer: the full NTK.
        case all
        /// Only the readout w, b_out: the kernel is the last layer's NNGP covariance.
        case readout
    }

    public var depth: Int
    public var activation: Activation
    /// σ_w².
    public var weightVariance: Double
    /// σ_b².
    public var biasVariance: Double
    public var training: Training

    public init(
        depth: Int, activation: Activation, weightVariance: Double = 1, biasVariance: Double = 0,
        training: Training = .all
    ) throws {
        guard depth >= 1 else { throw KernelError.invalid("depth must be at least 1 hidden layer (got \(depth))") }
        guard weightVariance > 0, weightVariance.isFinite else {
            throw KernelError.invalid("weight variance must be positive (got \(weightVariance))")
        }
        guard biasVariance >= 0, biasVariance.isFinite else {
            throw KernelError.invalid("bias variance must be ≥ 0 (got \(biasVariance))")
        }
        self.depth = depth
        self.activation = activation
        self.weightVariance = weightVariance
        self.biasVariance = biasVariance
        self.training = training
    }
}

/// How latent samples are drawn.
public enum LatentDistribution: String, CaseIterable, Sendable {
    /// z ~ N(0, I_{d_z}).
    case gaussian
    /// z uniform on the sphere of radius √d_z (so ‖z‖²/d_z = 1 exactly).
    case sphere

    /// N seeded latent samples of dimension d_z (mt19937), one per row.
    public func samples(count: Int, dimension: Int, seed: Int) throws -> Matrix {
        guard count >= 1 else { throw KernelError.invalid("the number of latent samples must be at least 1") }
        guard dimension >= 1 else {
            throw KernelError.invalid("latent dimension d_z must be at least 1 (got \(dimension))")
        }
        // Samples are drawn to build N × N kernels (a few per layer): budget those too.
        let n = Double(count)
        try MemoryBudget.check(
            8 * (n * Double(dimension) + 4 * n * n),
            for: "\(count) latent samples of dimension \(dimension) and their kernels")
        let rng = MersenneTwister(seed: UInt(bitPattern: seed))
        var z = Matrix(rows: count, columns: dimension)
        for i in 0..<count {
            let row = (0..<dimension).map { _ in rng.gaussian() }
            let scale =
                self == .sphere ? Double(dimension).squareRoot() / euclideanNorm(row) : 1
            for j in 0..<dimension { z[i, j] = row[j] * scale }
        }
        return z
    }
}

/// Bad kernel requests.
public enum KernelError: Error, CustomStringConvertible, Sendable {
    case invalid(String)
    public var description: String {
        switch self {
        case let .invalid(message): return message
        }
    }
}

/// The universal two-number fit of a kernel matrix: g₁ on the diagonal, g₂ off it (least squares = the means).
public struct UniversalFit: Sendable, Equatable {
    public let g1: Double
    public let g2: Double
    /// ‖Θ − fit‖_F / ‖Θ‖_F: how far the kernel is from the universal form.
    public let residual: Double
    public var ratio: Double { g2 / g1 }

    public init(_ kernel: Matrix) {
        let n = kernel.rows
        var diagonal = 0.0
        var offDiagonal = 0.0
        for i in 0..<n {
            for j in 0..<n { if i == j { diagonal += kernel[i, j] } else { offDiagonal += kernel[i, j] } }
        }
        g1 = diagonal / Double(n)
        g2 = n > 1 ? offDiagonal / Double(n * (n - 1)) : 0
        var error = 0.0
        for i in 0..<n { for j in 0..<n { let e = kernel[i, j] - (i == j ? g1 : g2); error += e * e } }
        residual = error.squareRoot() / max(kernel.frobeniusNorm, 1e-300)
    }
}
