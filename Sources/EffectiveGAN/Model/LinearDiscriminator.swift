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

/// The vector field's view of D(x) = v·x + c: ∂_θ D = (x, 1), ∇_x D = v, and ψ_r = r·v so ∇_v ψ_r = r.
final class LinearFieldEvaluator: DiscriminatorFieldEvaluator {
    let discriminator: LinearDiscriminator
    let sets: PointSets<EvaluatedPoints>

    init(_ discriminator: LinearDiscriminator, particleCount: Int, targets: Matrix, memory: Bool) {
        self.discriminator = discriminator
        sets = PointSets(
            targets: EvaluatedPoints(targets),
            particles: EvaluatedPoints(count: particleCount, dimension: discriminator.dimension),
            memory: memory ? EvaluatedPoints(count: particleCount, dimension: discriminator.dimension) : nil)
    }

    private func set(_ set: PointSet) -> EvaluatedPoints { sets[set] }

    func loadMemory(_ m: UnsafePointer<Double>, parameters θ: UnsafePointer<Double>) {
        guard let memory = sets.memory else { return }
        memory.setPoints(m)
        evaluate(memory, θ)
    }

    func load(particles x: UnsafePointer<Double>, parameters θ: UnsafePointer<Double>) {
        sets.particles.setPoints(x)
        evaluate(sets.targets, θ)
        evaluate(sets.particles, θ)
    }

    private func evaluate(_ evaluated: EvaluatedPoints, _ θ: UnsafePointer<Double>) {
        let d = discriminator.dimension
        let c = discriminator.outputBias ? θ[d] : 0
        for p in 0..<evaluated.count {
            var value = c
            for α in 0..<d {
                value += θ[α] * evaluated.points[p * d + α]
                evaluated.gradients[p * d + α] = θ[α]
            }
            evaluated.values[p] = value
        }
    }

    func values(_ set: PointSet) -> UnsafePointer<Double> { UnsafePointer(self.set(set).values.pointer) }
    func gradients(_ set: PointSet) -> UnsafePointer<Double> { UnsafePointer(self.set(set).gradients.pointer) }

    func addAscent(
        _ set: PointSet, weights: UnsafePointer<Double>, penalty ω: Double, parameters θ: UnsafePointer<Double>,
        into out: UnsafeMutablePointer<Double>
    ) {
        let evaluated = self.set(set)
        let d = discriminator.dimension
        for p in 0..<evaluated.count {
            for α in 0..<d {
                out[α] += weights[p] * evaluated.points[p * d + α] + ω * evaluated.gradients[p * d + α]
            }
            if discriminator.outputBias { out[d] += weights[p] }
        }
    }
}
