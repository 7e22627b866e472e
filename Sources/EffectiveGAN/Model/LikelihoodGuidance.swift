import Foundation
import LinearAlgebra

/// Likelihood guidance (the hybrid-GAN idea of a density-estimating teacher): particles also ascend log p̂(x),
/// p̂ the Gaussian kernel density estimate of the targets with bandwidth h, through the same kernel K:
///   ẋ_i = Σ_j K_ij [ g′(D(x_j)) ∇_x D(x_j) + β ∇ log p̂(x_j) ],   p̂(x) = (1/M) Σ_m N(x; y_m, h² I).
/// Config: `generator.likelihood: {"weight": β, "bandwidth": h}`.
///
/// With w_m(x) the softmax of −‖x − y_m‖²/(2h²) and μ(x) = Σ_m w_m (y_m − x):
///   ∇ log p̂ = μ / h²,   ∇² log p̂ = (Σ_m w_m (y_m − x)(y_m − x)ᵀ − μ μᵀ) / h⁴ − I / h².
/// β = 0 is the plain model (the term is skipped). For β > 0 the KDE's maxima sit off the samples (neighbouring
/// modes pull), so the matched state is no longer an equilibrium: `EffectiveModel` finds the moved one by
/// Newton's method from it, with minimum-norm least-squares steps (LAPACK `dgelsd`, because the Jacobian is
/// singular along the flow's symmetries) and backtracking on ‖F‖, and every tool linearises there.
public struct LikelihoodGuidance: Equatable, Sendable {
    /// β.
    public var weight: Double
    /// h.
    public var bandwidth: Double

    public init(weight: Double, bandwidth: Double) {
        self.weight = weight
        self.bandwidth = bandwidth
    }

    static func read(_ reader: JSONReader) throws -> LikelihoodGuidance {
        try reader.rejectUnknownKeys(allowed: ["weight", "bandwidth"])
        return LikelihoodGuidance(weight: try reader.nonNegative("weight"), bandwidth: try reader.positive("bandwidth"))
    }

    var json: JSONValue { .object([("weight", .number(weight)), ("bandwidth", .number(bandwidth))]) }

    /// The softmax weights w_m(x) and the mean offset μ(x) = Σ w_m (y_m − x), stably (shifted exponents).
    func kernelWeights<Point: RandomAccessCollection<Double>>(at x: Point, targets: Matrix) -> (
        weights: [Double], mean: [Double]
    ) {
        let d = targets.columns
        let h2 = bandwidth * bandwidth
        let exponents = (0..<targets.rows).map { m in
            -(0..<d).reduce(0.0) { $0 + pow(x[x.index(x.startIndex, offsetBy: $1)] - targets[m, $1], 2) } / (2 * h2)
        }
        let top = exponents.max() ?? 0
        var weights = exponents.map { exp($0 - top) }
        let total = weights.reduce(0, +)
        for m in weights.indices { weights[m] /= total }
        var mean = [Double](repeating: 0, count: d)
        for m in 0..<targets.rows {
            for α in 0..<d { mean[α] += weights[m] * (targets[m, α] - x[x.index(x.startIndex, offsetBy: α)]) }
        }
        return (weights, mean)
    }

    /// β ∇ log p̂(x).
    func force<Point: RandomAccessCollection<Double>>(at x: Point, targets: Matrix) -> [Double] {
        let h2 = bandwidth * bandwidth
        return kernelWeights(at: x, targets: targets).mean.map { weight * $0 / h2 }
    }

    /// β ∇² log p̂(x), d × d.
    func forceJacobian<Point: RandomAccessCollection<Double>>(at x: Point, targets: Matrix) -> Matrix {
        let d = targets.columns
        let h2 = bandwidth * bandwidth
        let (weights, mean) = kernelWeights(at: x, targets: targets)
        var hessian = Matrix(rows: d, columns: d)
        for m in 0..<targets.rows {
            for α in 0..<d {
                for γ in 0..<d {
                    hessian[α, γ] +=
                        weights[m] * (targets[m, α] - x[x.index(x.startIndex, offsetBy: α)])
                        * (targets[m, γ] - x[x.index(x.startIndex, offsetBy: γ)])
                }
            }
        }
        for α in 0..<d {
            for γ in 0..<d {
                hessian[α, γ] = weight * ((hessian[α, γ] - mean[α] * mean[γ]) / (h2 * h2) - (α == γ ? 1 / h2 : 0))
            }
        }
        return hessian
    }
}

/// The equilibrium of a likelihood-guided model, and how far it moved from the matched state.
public struct MovedEquilibrium: Sendable, Equatable {
    public let state: [Double]
    /// ‖X* − Y_matched‖: how far the particles moved.
    public let particleShift: Double
    /// ‖θ* − θ_matched‖ (0 with an optimal discriminator, whose θ is not in the state).
    public let parameterShift: Double
    /// Newton steps taken.
    public let iterations: Int
}

extension EffectiveModel {
    /// Newton's method on F(z) = 0 from the matched state with minimum-norm least-squares steps.
    func findMovedEquilibrium() -> Result<MovedEquilibrium, ModelError> {
        let start = matchedState
        var z = start
        let tolerance = Tolerance.equilibriumResidual * 0.1 * max(1, learning.rate ?? 1)
        var residual = Double.infinity
        for iteration in 0...60 {
            let f = field(at: z)
            residual = euclideanNorm(f)
            guard residual.isFinite else { break }
            if residual <= tolerance {
                let nd = particleBlockLength
                let θRange = nd..<(nd + parameterBlockLength)
                return .success(
                    MovedEquilibrium(
                        state: z, particleShift: euclideanDistance(Array(z[..<nd]), Array(start[..<nd])),
                        parameterShift: euclideanDistance(Array(z[θRange]), Array(start[θRange])),
                        iterations: iteration))
            }
            let rhs = Matrix(rows: f.count, columns: 1, columnMajor: f)
            guard let step = try? jacobian(at: z).leastSquaresSolution(rhs) else { break }
            // Backtracking: the slow modes make J nearly singular, so a full step can overshoot.
            var fraction = 1.0
            var trial = z
            for _ in 0..<40 {
                for i in z.indices { trial[i] = z[i] - fraction * step.storage[i] }
                if euclideanNorm(field(at: trial)) < residual { break }
                fraction /= 2
            }
            z = trial
        }
        return .failure(.equilibriumNotFound(residual: residual, iterations: 60))
    }
}
