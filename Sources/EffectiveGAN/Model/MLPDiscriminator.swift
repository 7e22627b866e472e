import Foundation
import LinearAlgebra

/// D(x) = s Σ_k a_k φ(w_k·x + b_k) + c with s = H^{-1/2} (spec §1).
///
/// Parameters in state order: a (H), then W row-major and b when `training == .all`, then c with an output bias.
/// Each hidden unit k touches only its own (a_k, w_k, b_k), so all second derivatives in θ are block-diagonal by
/// unit: with ξ = (x, 1) and ω_k = (w_k, b_k), unit k contributes
///   ∂_a D = s φ,  ∂_ω D = s a φ′ ξ,  ∂_a∂_ω D = s φ′ ξ,  ∂²_ω D = s a φ″ ξξᵀ,
/// and for the penalty potential ψ_r = r·∇_x D with ρ = r·w_k and r̃ = (r, 0):
///   ∂_a ψ = s φ′ ρ,  ∂_ω ψ = s a (φ″ ρ ξ + φ′ r̃),  ∂_a∂_ω ψ = s (φ″ ρ ξ + φ′ r̃),
///   ∂²_ω ψ = s a (φ‴ ρ ξξᵀ + φ″ (ξ r̃ᵀ + r̃ ξᵀ)).
public struct MLPDiscriminator: Discriminator {
    public let activation: Activation
    public let training: Training
    public let width: Int
    public let dimension: Int
    public let outputBias: Bool
    /// Initial (and, with outer training, frozen) W, row-major H × d.
    let initialWeights: [Double]
    /// Initial (and, with outer training, frozen) b.
    let initialBiases: [Double]
    /// The NTK-style output scale s = H^{-1/2}.
    let scale: Double

    public init(activation: Activation, training: Training, weights: [[Double]], biases: [Double], outputBias: Bool) {
        self.activation = activation
        self.training = training
        self.width = weights.count
        self.dimension = weights.first?.count ?? 0
        self.outputBias = outputBias
        self.initialWeights = weights.flatMap { $0 }
        self.initialBiases = biases
        self.scale = 1 / Double(weights.count).squareRoot()
    }

    var trainsInner: Bool { training == .all }

    public var parameterCount: Int {
        width + (trainsInner ? width * dimension + width : 0) + (outputBias ? 1 : 0)
    }

    public var parameterBlocks: [(name: String, count: Int)] {
        [("a", width)] + (trainsInner ? [("W", width * dimension), ("b", width)] : []) + (outputBias ? [("c", 1)] : [])
    }

    public var equilibriumParameters: [Double] {
        var θ = [Double](repeating: 0, count: parameterCount)
        if trainsInner {
            for i in 0..<(width * dimension) { θ[width + i] = initialWeights[i] }
            for k in 0..<width { θ[width + width * dimension + k] = initialBiases[k] }
        }
        return θ
    }

    // MARK: Parameter layout

    /// Index of w_{kβ} in θ (only when inner weights train).
    @inline(__always) func weightIndex(_ k: Int, _ β: Int) -> Int { width + k * dimension + β }
    /// Index of b_k in θ (only when inner weights train).
    @inline(__always) func biasIndex(_ k: Int) -> Int { width + width * dimension + k }
    /// Index of c in θ (only with an output bias).
    var outputBiasIndex: Int { parameterCount - 1 }

    /// Index of the local parameter l of unit k (l = 0: a_k; 1…d: w_k; d+1: b_k), or nil when frozen.
    @inline(__always) func localIndex(_ k: Int, _ l: Int) -> Int? {
        if l == 0 { return k }
        guard trainsInner else { return nil }
        return l <= dimension ? weightIndex(k, l - 1) : biasIndex(k)
    }

    @inline(__always) func weight(_ θ: [Double], _ k: Int, _ β: Int) -> Double {
        trainsInner ? θ[weightIndex(k, β)] : initialWeights[k * dimension + β]
    }

    @inline(__always) func bias(_ θ: [Double], _ k: Int) -> Double {
        trainsInner ? θ[biasIndex(k)] : initialBiases[k]
    }

    public func batch(at points: Matrix, parameters: [Double]) -> any DiscriminatorBatch {
        MLPBatch(mlp: self, points: points, parameters: parameters)
    }

    /// With outer training W and b are frozen, so φ(w_k·x + b_k) at fixed points never changes: compute it once.
    public func batchFactory(for points: Matrix) -> @Sendable ([Double]) -> any DiscriminatorBatch {
        guard !trainsInner else { return { self.batch(at: points, parameters: $0) } }
        let cached = responses(at: points, equilibriumParameters)
        return { MLPBatch(mlp: self, points: points, parameters: $0, responses: cached) }
    }

    /// φ and its derivatives at every (point, unit), index p·H + k.
    struct UnitResponses {
        var φ0: [Double]
        var φ1: [Double]
        var φ2: [Double]
        var φ3: [Double]
    }

    func responses(at points: Matrix, _ θ: [Double]) -> UnitResponses {
        let count = points.rows * width
        var r = UnitResponses(
            φ0: .init(repeating: 0, count: count), φ1: .init(repeating: 0, count: count),
            φ2: .init(repeating: 0, count: count), φ3: .init(repeating: 0, count: count))
        for p in 0..<points.rows {
            for k in 0..<width {
                var h = bias(θ, k)
                for β in 0..<dimension { h += weight(θ, k, β) * points[p, β] }
                let (f0, f1, f2, f3) = activation.derivatives(h)
                let i = p * width + k
                r.φ0[i] = f0
                r.φ1[i] = f1
                r.φ2[i] = f2
                r.φ3[i] = f3
            }
        }
        return r
    }

    /// ξ_β for β ≤ d: the point's coordinates, then 1 (the bias input).
    @inline(__always) func xi(_ points: Matrix, _ p: Int, _ β: Int) -> Double {
        β < dimension ? points[p, β] : 1
    }

    /// ρ_{pk} = r_p·w_k.
    @inline(__always) func projection(_ directions: Matrix, _ p: Int, _ θ: [Double], _ k: Int) -> Double {
        (0..<dimension).reduce(0) { $0 + directions[p, $1] * weight(θ, k, $1) }
    }
}

/// An MLP discriminator evaluated on a batch of points: φ and its derivatives at every (point, unit) are computed
/// once and shared by every derivative the flow and the Jacobian ask for.
struct MLPBatch: DiscriminatorBatch {
    let mlp: MLPDiscriminator
    let points: Matrix
    let θ: [Double]
    let r: MLPDiscriminator.UnitResponses
    private(set) var values: [Double] = []
    private(set) var gradients = Matrix(rows: 0, columns: 0)

    init(mlp: MLPDiscriminator, points: Matrix, parameters: [Double], responses: MLPDiscriminator.UnitResponses? = nil)
    {
        self.mlp = mlp
        self.points = points
        self.θ = parameters
        self.r = responses ?? mlp.responses(at: points, parameters)
        values = computeValues()
        gradients = computeGradients()
    }

    // Forwarded layout and helpers, so the derivative formulas read as in the doc comment of MLPDiscriminator.
    var scale: Double { mlp.scale }
    var width: Int { mlp.width }
    var dimension: Int { mlp.dimension }
    var trainsInner: Bool { mlp.trainsInner }
    var outputBias: Bool { mlp.outputBias }
    var outputBiasIndex: Int { mlp.outputBiasIndex }
    var parameterCount: Int { mlp.parameterCount }
    @inline(__always) func weightIndex(_ k: Int, _ β: Int) -> Int { mlp.weightIndex(k, β) }
    @inline(__always) func biasIndex(_ k: Int) -> Int { mlp.biasIndex(k) }
    @inline(__always) func localIndex(_ k: Int, _ l: Int) -> Int? { mlp.localIndex(k, l) }
    @inline(__always) func weight(_ θ: [Double], _ k: Int, _ β: Int) -> Double { mlp.weight(θ, k, β) }
    @inline(__always) func xi(_ points: Matrix, _ p: Int, _ β: Int) -> Double { mlp.xi(points, p, β) }
    @inline(__always) func projection(_ directions: Matrix, _ p: Int, _ θ: [Double], _ k: Int) -> Double {
        mlp.projection(directions, p, θ, k)
    }
}
