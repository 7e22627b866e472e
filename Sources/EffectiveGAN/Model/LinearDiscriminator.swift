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

    public func values(at points: Matrix, parameters θ: [Double]) -> [Double] {
        let c = outputBias ? θ[dimension] : 0
        return (0..<points.rows).map { p in (0..<dimension).reduce(c) { $0 + θ[$1] * points[p, $1] } }
    }

    public func gradients(at points: Matrix, parameters θ: [Double]) -> Matrix {
        var g = Matrix(rows: points.rows, columns: dimension)
        for p in 0..<points.rows { for α in 0..<dimension { g[p, α] = θ[α] } }
        return g
    }

    public func weightedParameterGradient(at points: Matrix, parameters: [Double], weights: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: parameterCount)
        for p in 0..<points.rows {
            for α in 0..<dimension { result[α] += weights[p] * points[p, α] }
            if outputBias { result[dimension] += weights[p] }
        }
        return result
    }

    public func weightedPenaltyGradient(
        at points: Matrix, parameters: [Double], directions: Matrix, weights: [Double]
    ) -> [Double] {
        // ψ_r = r·v, so ∇_v ψ_r = r.
        var result = [Double](repeating: 0, count: parameterCount)
        for p in 0..<points.rows { for α in 0..<dimension { result[α] += weights[p] * directions[p, α] } }
        return result
    }

    public func parameterGradients(at points: Matrix, parameters: [Double]) -> Matrix {
        var q = Matrix(rows: parameterCount, columns: points.rows)
        for p in 0..<points.rows {
            for α in 0..<dimension { q[α, p] = points[p, α] }
            if outputBias { q[dimension, p] = 1 }
        }
        return q
    }

    public func mixedDerivatives(at points: Matrix, parameters: [Double]) -> Matrix {
        var g = Matrix(rows: points.rows * dimension, columns: parameterCount)
        for p in 0..<points.rows { for α in 0..<dimension { g[p * dimension + α, α] = 1 } }
        return g
    }

    public func spatialHessians(at points: Matrix, parameters: [Double]) -> Matrix {
        Matrix(rows: points.rows * dimension, columns: dimension)
    }

    public func addParameterHessians(
        at points: Matrix, parameters: [Double], weights: [Double], into hessian: inout Matrix
    ) {}

    public func addPenaltyCurvature(
        at points: Matrix, parameters: [Double], directions: Matrix, weights: [Double], into hessian: inout Matrix
    ) {}

    public func penaltyMixedDerivatives(at points: Matrix, parameters: [Double], directions: Matrix) -> Matrix {
        Matrix(rows: parameterCount, columns: points.rows * dimension)
    }
}
