import Foundation
import LinearAlgebra

/// Packing (PacGAN, Lin et al. 2018): the discriminator judges m samples at once, D: ℝ^{m·d} → ℝ.
///
/// Config: `discriminator.pack` = m (default 1). Real packs are all M^m ordered m-tuples of targets, fake packs all
/// N^m ordered m-tuples of particles (repetition allowed), so the flow stays deterministic:
///   V_D = (1/M^m) Σ_P f(D(P)) + (1/N^m) Σ_Q f(−D(Q)) − γ R,
/// R1/R2 averaging ½‖∇D‖² over the real/fake packs, and a particle feels the force from every pack it belongs to:
///   ẋ_i = Σ_j K_ij u_j,   u_j = (N/N^m) Σ_Q Σ_{ℓ: Q_ℓ = j} g′(D(Q)) ∇_ℓ D(Q),
/// the N/N^m making u_j = N ∂/∂x_j of the generator's mean objective, as in the plain model. m = 1 is the plain
/// model and takes its exact arithmetic path. The fake packs are a fixed linear map A of the particles, so every
/// Jacobian block is the plain pack-level block summed into the particle coordinates each pack coordinate reads
/// (`EffectiveModel.particleCoordinate`).
///
/// Oracle (Dirac GAN, m = 2, `outputBias: false`): packs (x, x) and (0, 0); with s = v₁ + v₂,
/// ẋ = g′ s, ṡ = −2 f′ x − γ s, (v₁ − v₂)˙ = −γ (v₁ − v₂), so λ² + γλ + 2 f′(0) g′(0) = 0 and −γ: packing doubles
/// the coupling, γ_c = 2√(2 f′ g′).
public struct Packing: Sendable {
    /// m.
    public let size: Int
    /// Particle indices of each fake pack, lexicographic (first position slowest).
    let tuples: [[Int]]
    /// The real packs, one per row (M^m × m·d).
    let realPacks: Matrix
    let dimension: Int
    let particleCount: Int

    /// Largest estimated working memory accepted, bytes.
    public static let memoryLimit = 4_000_000_000

    init(size: Int, particleCount: Int, targets: Matrix) {
        self.size = size
        self.particleCount = particleCount
        dimension = targets.columns
        tuples = Self.tuples(size: size, count: particleCount)
        let real = Self.tuples(size: size, count: targets.rows)
        var packs = Matrix(rows: real.count, columns: size * dimension)
        for (p, tuple) in real.enumerated() {
            for (ℓ, m) in tuple.enumerated() { for α in 0..<dimension { packs[p, ℓ * dimension + α] = targets[m, α] } }
        }
        realPacks = packs
    }

    static func tuples(size: Int, count: Int) -> [[Int]] {
        var result: [[Int]] = [[]]
        for _ in 0..<size { result = result.flatMap { prefix in (0..<count).map { prefix + [$0] } } }
        return result
    }

    /// Rough working memory of a packed model in bytes: the fake packs' unit responses (about six arrays of
    /// N^m × H) and the pack-level Jacobian blocks (about three of N^m·m·d × P).
    /// `innerParameters`: the hidden layers' weights and biases beyond the first layer (a deep critic's), which the
    /// one-layer count H(m·d + 2) + 1 does not hold.
    static func memoryEstimate(
        particles n: Int, targets m: Int, size: Int, width: Int, dimension d: Int, innerParameters: Double = 0
    ) -> Double {
        let fake = pow(Double(n), Double(size))
        let real = pow(Double(m), Double(size))
        let parameters = Double(width) * Double(size * d + 2) + 1 + innerParameters
        return 8 * (fake + real) * (6 * Double(max(width, 1)) + 3 * Double(size * d) * parameters)
    }

    /// The fake packs' coordinates from the particles' (both row-major).
    func gather(_ x: UnsafePointer<Double>, into packs: UnsafeMutablePointer<Double>) {
        let d = dimension
        for (q, tuple) in tuples.enumerated() {
            for (ℓ, j) in tuple.enumerated() { for α in 0..<d { packs[(q * size + ℓ) * d + α] = x[j * d + α] } }
        }
    }

    /// u_j = scale Σ_Q Σ_{ℓ: Q_ℓ = j} v_Q[ℓ] for pack-level vectors v (N^m × m·d) into particle vectors u (N × d).
    func scatter(_ v: UnsafePointer<Double>, scale: Double, into u: UnsafeMutablePointer<Double>) {
        let d = dimension
        u.update(repeating: 0, count: particleCount * d)
        for (q, tuple) in tuples.enumerated() {
            for (ℓ, j) in tuple.enumerated() { for α in 0..<d { u[j * d + α] += scale * v[(q * size + ℓ) * d + α] } }
        }
    }
}
