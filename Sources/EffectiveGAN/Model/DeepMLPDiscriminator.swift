import LinearAlgebra

/// An MLP critic with L ≥ 2 hidden layers (`MLPCritic`): D(x) = s_L Σ_k a_k φ(h^L_k) + c, h¹ = W¹x + b¹,
/// h^{l+1} = s_l W^{l+1} φ(h^l) + b^{l+1}, s_l = H_l^{-1/2}.
///
/// Every derivative comes from one routine, `pass`: a forward pass and the reverse (backpropagation) pass that
/// gives ∂_θ D and ∇_x D, run in hyper-dual arithmetic (`HyperDual`). Which inputs carry ε₁ and ε₂ selects the
/// derivative: none gives D, q = ∂_θ D, g = ∇_x D; ε₁ = e_α on x gives G = ∂_θ∂_x D and H = ∇²_x D; ε₁ = e_j on θ
/// gives a column of ∂²_θ D; ε₁ = r on x and ε₂ = e_j on θ a column of ∂²_θ ψ_r (ψ_r = r·∇_x D); ε₁ = r and
/// ε₂ = e_β on x gives ∂_{x_β}∇_θ ψ_r. The Jacobian is exact (no finite differences), at the price of P passes per
/// point for the θθ blocks — what the dense Jacobian costs anyway. The one-hidden-layer critic keeps its
/// hand-derived `MLPDiscriminator` (and its BLAS-3 field); the tests hold the two to the same numbers.
public struct DeepMLPDiscriminator: Discriminator {
    public let critic: MLPCritic
    public let dimension: Int
    /// s_l = H_l^{-1/2} per hidden layer.
    let scales: [Double]
    /// Offsets of each layer's W and b in θ (with `train: "all"`).
    let weightOffsets: [Int]
    let biasOffsets: [Int]

    public init(_ critic: MLPCritic) {
        self.critic = critic
        dimension = critic.inputDimension
        scales = critic.widths.map { 1 / Double($0).squareRoot() }
        var offset = critic.readoutWidth
        var weights: [Int] = []
        for layer in critic.layers {
            weights.append(offset)
            offset += layer.width * layer.inputs
        }
        var biases: [Int] = []
        for layer in critic.layers {
            biases.append(offset)
            offset += layer.width
        }
        weightOffsets = weights
        biasOffsets = biases
    }

    var trainsInner: Bool { critic.training == .all }
    public var parameterCount: Int { critic.parameterCount }

    public var parameterBlocks: [(name: String, count: Int)] {
        var blocks: [(name: String, count: Int)] = [("a", critic.readoutWidth)]
        if trainsInner {
            for (l, layer) in critic.layers.enumerated() { blocks.append(("W\(l + 1)", layer.width * layer.inputs)) }
            for (l, layer) in critic.layers.enumerated() { blocks.append(("b\(l + 1)", layer.width)) }
        }
        return blocks + (critic.outputBias ? [("c", 1)] : [])
    }

    public var equilibriumParameters: [Double] {
        var θ = [Double](repeating: 0, count: parameterCount)
        guard trainsInner else { return θ }
        for (l, layer) in critic.layers.enumerated() {
            for k in 0..<layer.width {
                for j in 0..<layer.inputs { θ[weightOffsets[l] + k * layer.inputs + j] = layer.weights[k][j] }
                θ[biasOffsets[l] + k] = layer.biases[k]
            }
        }
        return θ
    }

    public func batch(at points: Matrix, parameters: [Double]) -> any DiscriminatorBatch {
        DeepMLPBatch(discriminator: self, points: points, θ: parameters)
    }

    /// D, ∂_θ D (P entries) and ∇_x D (d entries) at x for parameters θ, all in hyper-dual arithmetic.
    func pass(x: [HyperDual], θ: [HyperDual]) -> (value: HyperDual, parameters: [HyperDual], input: [HyperDual]) {
        let layers = critic.layers
        let activation = critic.activation
        var inputs: [[HyperDual]] = []  // the input of each layer: x, then s_l φ(h^l)
        var pre: [[HyperDual]] = []  // h^l
        var current = x
        for (l, layer) in layers.enumerated() {
            inputs.append(current)
            var h = [HyperDual](repeating: .zero, count: layer.width)
            for k in 0..<layer.width {
                var sum = bias(θ, l, k)
                for j in 0..<layer.inputs { sum += weight(θ, l, k, j) * current[j] }
                h[k] = sum
            }
            pre.append(h)
            let s = scales[l]
            current = h.map { hk in
                let (f0, f1, f2, _) = activation.derivatives(hk.v)
                return s * hk.mapped(f0, f1, f2)
            }
        }
        // current = s_L φ(h^L): D = a·current + c.
        var gradient = [HyperDual](repeating: .zero, count: parameterCount)
        let readout = critic.readoutWidth
        var value = critic.outputBias ? θ[parameterCount - 1] : .zero
        for k in 0..<readout {
            value += θ[k] * current[k]
            gradient[k] = current[k]
        }
        if critic.outputBias { gradient[parameterCount - 1] = HyperDual(1) }
        // Backward: δ = ∂D/∂(s_l φ(h^l)), starting from a.
        var δ = (0..<readout).map { θ[$0] }
        for l in layers.indices.reversed() {
            let layer = layers[l]
            let s = scales[l]
            var δh = [HyperDual](repeating: .zero, count: layer.width)
            for k in 0..<layer.width {
                let (_, f1, f2, f3) = activation.derivatives(pre[l][k].v)
                δh[k] = δ[k] * (s * pre[l][k].mapped(f1, f2, f3))
            }
            if trainsInner {
                for k in 0..<layer.width {
                    gradient[biasOffsets[l] + k] = δh[k]
                    for j in 0..<layer.inputs {
                        gradient[weightOffsets[l] + k * layer.inputs + j] = δh[k] * inputs[l][j]
                    }
                }
            }
            var δInput = [HyperDual](repeating: .zero, count: layer.inputs)
            for k in 0..<layer.width {
                for j in 0..<layer.inputs { δInput[j] += weight(θ, l, k, j) * δh[k] }
            }
            δ = δInput
        }
        return (value, gradient, δ)
    }

    @inline(__always) private func weight(_ θ: [HyperDual], _ l: Int, _ k: Int, _ j: Int) -> HyperDual {
        trainsInner
            ? θ[weightOffsets[l] + k * critic.layers[l].inputs + j] : HyperDual(critic.layers[l].weights[k][j])
    }

    @inline(__always) private func bias(_ θ: [HyperDual], _ l: Int, _ k: Int) -> HyperDual {
        trainsInner ? θ[biasOffsets[l] + k] : HyperDual(critic.layers[l].biases[k])
    }
}

/// The deep critic at a batch of points; each derivative is one family of `pass` calls (see the type above).
struct DeepMLPBatch: DiscriminatorBatch {
    let discriminator: DeepMLPDiscriminator
    let points: Matrix
    let θ: [Double]
    /// The plain pass at every point (no ε), computed once.
    private let plain: [(value: HyperDual, parameters: [HyperDual], input: [HyperDual])]

    init(discriminator: DeepMLPDiscriminator, points: Matrix, θ: [Double]) {
        self.discriminator = discriminator
        self.points = points
        self.θ = θ
        let lifted = θ.map { HyperDual($0) }
        plain = (0..<points.rows).map { p in
            discriminator.pass(x: (0..<points.columns).map { HyperDual(points[p, $0]) }, θ: lifted)
        }
    }

    private var d: Int { discriminator.dimension }
    private var count: Int { discriminator.parameterCount }

    /// x_p with ε₁ along `first` and ε₂ along `second` (nil: none).
    private func point(_ p: Int, first: [Double]? = nil, second: [Double]? = nil) -> [HyperDual] {
        (0..<d).map { α in HyperDual(points[p, α], first?[α] ?? 0, second?[α] ?? 0) }
    }

    private func unit(_ index: Int, length: Int) -> [Double] {
        var e = [Double](repeating: 0, count: length)
        e[index] = 1
        return e
    }

    var values: [Double] { plain.map(\.value.v) }

    var gradients: Matrix {
        var g = Matrix(rows: points.rows, columns: d)
        for p in 0..<points.rows { for α in 0..<d { g[p, α] = plain[p].input[α].v } }
        return g
    }

    func parameterGradients() -> Matrix {
        var q = Matrix(rows: count, columns: points.rows)
        for p in 0..<points.rows { for i in 0..<count { q[i, p] = plain[p].parameters[i].v } }
        return q
    }

    /// The passes with ε₁ = e_α on x, for every point and input direction.
    private func inputDirectionPasses() -> [[(value: HyperDual, parameters: [HyperDual], input: [HyperDual])]] {
        let lifted = θ.map { HyperDual($0) }
        return (0..<points.rows).map { p in
            (0..<d).map { α in discriminator.pass(x: point(p, first: unit(α, length: d)), θ: lifted) }
        }
    }

    func mixedDerivatives() -> Matrix {
        var g = Matrix(rows: points.rows * d, columns: count)
        for (p, passes) in inputDirectionPasses().enumerated() {
            for α in 0..<d { for i in 0..<count { g[p * d + α, i] = passes[α].parameters[i].e1 } }
        }
        return g
    }

    func spatialHessians() -> Matrix {
        var h = Matrix(rows: points.rows * d, columns: d)
        for (p, passes) in inputDirectionPasses().enumerated() {
            for α in 0..<d { for β in 0..<d { h[p * d + α, β] = passes[α].input[β].e1 } }
        }
        return h
    }

    func addParameterHessians(weights: [Double], into hessian: inout Matrix) {
        for p in 0..<points.rows where weights[p] != 0 {
            let x = point(p)
            for j in 0..<count {
                let direction = θ.indices.map { HyperDual(θ[$0], $0 == j ? 1 : 0) }
                let result = discriminator.pass(x: x, θ: direction)
                for i in 0..<count { hessian[i, j] += weights[p] * result.parameters[i].e1 }
            }
        }
    }

    func addPenaltyCurvature(directions: Matrix, weights: [Double], into hessian: inout Matrix) {
        for p in 0..<points.rows where weights[p] != 0 {
            let x = point(p, first: (0..<d).map { directions[p, $0] })
            for j in 0..<count {
                let direction = θ.indices.map { HyperDual(θ[$0], 0, $0 == j ? 1 : 0) }
                let result = discriminator.pass(x: x, θ: direction)
                for i in 0..<count { hessian[i, j] += weights[p] * result.parameters[i].e12 }
            }
        }
    }

    func penaltyMixedDerivatives(directions: Matrix) -> Matrix {
        var out = Matrix(rows: count, columns: points.rows * d)
        let lifted = θ.map { HyperDual($0) }
        for p in 0..<points.rows {
            let r = (0..<d).map { directions[p, $0] }
            for β in 0..<d {
                let result = discriminator.pass(x: point(p, first: r, second: unit(β, length: d)), θ: lifted)
                for i in 0..<count { out[i, p * d + β] = result.parameters[i].e12 }
            }
        }
        return out
    }

    /// Σ_p w_p q_p + ω Σ_p G_pᵀ g_p in one pass per point (ε₁ = g_p on x), for the vector field.
    func ascent(weights: [Double], penalty ω: Double) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        let lifted = θ.map { HyperDual($0) }
        for p in 0..<points.rows {
            let g = (0..<d).map { plain[p].input[$0].v }
            let result = ω == 0 ? plain[p] : discriminator.pass(x: point(p, first: g), θ: lifted)
            for i in 0..<count { out[i] += weights[p] * result.parameters[i].v + ω * result.parameters[i].e1 }
        }
        return out
    }
}

/// The vector field's view of a deep critic: D and ∇_x D from the plain pass, the ascent direction from one
/// hyper-dual pass per point. Allocates per call (the passes build arrays); deep critics trade the one-layer
/// critic's BLAS-3 field for generality.
final class DeepMLPFieldEvaluator: DiscriminatorFieldEvaluator {
    let discriminator: DeepMLPDiscriminator
    let sets: PointSets<EvaluatedPoints>
    private var batches: [PointSet: DeepMLPBatch] = [:]

    init(_ discriminator: DeepMLPDiscriminator, particleCount: Int, targets: Matrix, memory: Bool) {
        self.discriminator = discriminator
        sets = PointSets(
            targets: EvaluatedPoints(targets),
            particles: EvaluatedPoints(count: particleCount, dimension: discriminator.dimension),
            memory: memory ? EvaluatedPoints(count: particleCount, dimension: discriminator.dimension) : nil)
    }

    func load(particles x: UnsafePointer<Double>, parameters θ: UnsafePointer<Double>) {
        sets.particles.setPoints(x)
        evaluate(.targets, θ)
        evaluate(.particles, θ)
    }

    func loadMemory(_ m: UnsafePointer<Double>, parameters θ: UnsafePointer<Double>) {
        guard let memory = sets.memory else { return }
        memory.setPoints(m)
        evaluate(.memory, θ)
    }

    private func evaluate(_ set: PointSet, _ θ: UnsafePointer<Double>) {
        let evaluated = sets[set]
        let d = discriminator.dimension
        var filled = Matrix(rows: evaluated.count, columns: d)
        for p in 0..<evaluated.count { for α in 0..<d { filled[p, α] = evaluated.points[p * d + α] } }
        let batch = DeepMLPBatch(
            discriminator: discriminator, points: filled,
            θ: Array(UnsafeBufferPointer(start: θ, count: discriminator.parameterCount)))
        let values = batch.values
        let gradients = batch.gradients
        for p in 0..<evaluated.count {
            evaluated.values[p] = values[p]
            for α in 0..<d { evaluated.gradients[p * d + α] = gradients[p, α] }
        }
        batches[set] = batch
    }

    func values(_ set: PointSet) -> UnsafePointer<Double> { UnsafePointer(sets[set].values.pointer) }
    func gradients(_ set: PointSet) -> UnsafePointer<Double> { UnsafePointer(sets[set].gradients.pointer) }

    func addAscent(
        _ set: PointSet, weights: UnsafePointer<Double>, penalty ω: Double, parameters θ: UnsafePointer<Double>,
        into out: UnsafeMutablePointer<Double>
    ) {
        guard let batch = batches[set] else { return }
        let ascent = batch.ascent(
            weights: Array(UnsafeBufferPointer(start: weights, count: sets[set].count)), penalty: ω)
        for i in ascent.indices { out[i] += ascent[i] }
    }
}
