import LinearAlgebra

/// D(x) = v·x + c, θ = (v, c) (c only with an output bias). Everything beyond first order vanishes.
public struct LinearDiscriminator: Discriminator {
    public let dimension: Int
    public let outputBias: Bool

    public init(dimension: Int, outputBias: Bool) {
        self.dimension = dimension
        self.outputBias = outputBias
    }

    public var parameterCount: Int { dimension + (outputBias ? 1 : 0) }
    public var equilibriumParameters: [Double] { Array(repeating: 0, count: parameterCount) }
    public var parameterBlocks: [(name: String, count: Int)] {
        [("v", dimension)] + (outputBias ? [("c", 1)] : [])
    }

    public func batch(at points: Matrix, parameters: [Double]) -> any DiscriminatorBatch {
        LinearBatch(discriminator: self, points: points, θ: parameters)
    }
}

/// The linear discriminator at a batch of points: q_p = (x_p, 1), g_p = v, G_p = [I 0], all else zero.
struct LinearBatch: DiscriminatorBatch {
    let discriminator: LinearDiscriminator
    let points: Matrix
    let θ: [Double]

    var dimension: Int { discriminator.dimension }
    var parameterCount: Int { discriminator.parameterCount }

    var values: [Double] {
        let c = discriminator.outputBias ? θ[dimension] : 0
        return (0..<points.rows).map { p in (0..<dimension).reduce(c) { $0 + θ[$1] * points[p, $1] } }
    }

    var gradients: Matrix {
        var g = Matrix(rows: points.rows, columns: dimension)
        for p in 0..<points.rows { for α in 0..<dimension { g[p, α] = θ[α] } }
        return g
    }

    func weightedParameterGradient(weights: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: parameterCount)
        for p in 0..<points.rows {
            for α in 0..<dimension { result[α] += weights[p] * points[p, α] }
            if discriminator.outputBias { result[dimension] += weights[p] }
        }
        return result
    }

    func weightedPenaltyGradient(directions: Matrix, weights: [Double]) -> [Double] {
        // ψ_r = r·v, so ∇_v ψ_r = r.
        var result = [Double](repeating: 0, count: parameterCount)
        for p in 0..<points.rows { for α in 0..<dimension { result[α] += weights[p] * directions[p, α] } }
        return result
    }

    func parameterGradients() -> Matrix {
        var q = Matrix(rows: parameterCount, columns: points.rows)
        for p in 0..<points.rows {
            for α in 0..<dimension { q[α, p] = points[p, α] }
            if discriminator.outputBias { q[dimension, p] = 1 }
        }
        return q
    }

    func mixedDerivatives() -> Matrix {
        var g = Matrix(rows: points.rows * dimension, columns: parameterCount)
        for p in 0..<points.rows { for α in 0..<dimension { g[p * dimension + α, α] = 1 } }
        return g
    }

    func spatialHessians() -> Matrix { Matrix(rows: points.rows * dimension, columns: dimension) }

    func addParameterHessians(weights: [Double], into hessian: inout Matrix) {}

    func addPenaltyCurvature(directions: Matrix, weights: [Double], into hessian: inout Matrix) {}

    func penaltyMixedDerivatives(directions: Matrix) -> Matrix {
        Matrix(rows: parameterCount, columns: points.rows * dimension)
    }
}
