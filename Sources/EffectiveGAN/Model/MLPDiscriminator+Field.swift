import LinearAlgebra

/// The vector field's view of the MLP in BLAS form, over all (point, unit) pairs at once. Arrays indexed p·H + k
/// are column-major H × count matrices; row-major count × d arrays are column-major d × count. With s = H^{-1/2}:
///   h = W Pᵀ + b 1ᵀ (one `dgemm`), then φ, φ′ (and φ″ when W, b train) element-wise, vectorised;
///   D = c + s φᵀa (`dgemv`);  ∇_x D = s (a∘W)ᵀ φ′ (`dgemm`, d × count).
///   Σ_p w_p ∂_θ D: a-part s φ w; W-part s a_k [φ′ (w∘P)]_k; b-part s a_k (φ′ w)_k.
///   ω Σ_p G_pᵀ r_p with r_p = ∇_x D(x_p) and ρ = W Rᵀ: a-part ω s Σ_p φ′ρ; W-part ω s a_k [(φ″∘ρ) P + φ′ R]_k;
///   b-part ω s a_k Σ_p φ″ρ.
/// With outer training W and b are frozen, so the targets' φ, φ′ are computed once, at construction.
final class MLPFieldEvaluator: DiscriminatorFieldEvaluator {
    /// One point set with its unit responses.
    final class Responses {
        let evaluated: EvaluatedPoints
        /// h on input, φ(h) after `respond`.
        let φ0: ScratchBuffer
        let φ1: ScratchBuffer
        /// Only when the inner weights train (the W, b gradients need it).
        let φ2: ScratchBuffer?
        /// count × H products (ρ, φ″∘ρ).
        let products: ScratchBuffer
        /// w_p x_p, row-major count × d.
        let weightedPoints: ScratchBuffer

        init(_ evaluated: EvaluatedPoints, width: Int, needsSecond: Bool) {
            self.evaluated = evaluated
            let size = evaluated.count * width
            φ0 = ScratchBuffer(size)
            φ1 = ScratchBuffer(size)
            φ2 = needsSecond ? ScratchBuffer(size) : nil
            products = ScratchBuffer(size)
            weightedPoints = ScratchBuffer(evaluated.count * evaluated.dimension)
        }
    }

    let mlp: MLPDiscriminator
    let targets: Responses
    let particles: Responses
    /// Current W (row-major H × d) and b.
    let weights: ScratchBuffer
    let biases: ScratchBuffer
    /// a_k w_k, row-major H × d.
    let readoutWeights: ScratchBuffer
    /// H × d and H scratch for per-unit sums.
    let unitMatrix: ScratchBuffer
    let unitVector: ScratchBuffer
    /// Readout a and output bias c of the last `load`.
    let readout: ScratchBuffer
    private var outputBias = 0.0

    init(_ mlp: MLPDiscriminator, particleCount: Int, targets points: Matrix) {
        self.mlp = mlp
        let h = mlp.width
        let d = mlp.dimension
        targets = Responses(EvaluatedPoints(points), width: h, needsSecond: mlp.trainsInner)
        particles = Responses(
            EvaluatedPoints(count: particleCount, dimension: d), width: h, needsSecond: mlp.trainsInner)
        weights = ScratchBuffer(h * d)
        biases = ScratchBuffer(h)
        readoutWeights = ScratchBuffer(h * d)
        unitMatrix = ScratchBuffer(h * d)
        unitVector = ScratchBuffer(h)
        readout = ScratchBuffer(h)
        for i in 0..<(h * d) { weights[i] = mlp.initialWeights[i] }
        for k in 0..<h { biases[k] = mlp.initialBiases[k] }
        if !mlp.trainsInner { respond(targets) }
    }

    private func responses(_ set: PointSet) -> Responses { set == .targets ? targets : particles }

    func load(particles x: UnsafePointer<Double>, parameters θ: UnsafePointer<Double>) {
        let h = mlp.width
        let d = mlp.dimension
        readout.pointer.update(from: θ, count: h)
        outputBias = mlp.outputBias ? θ[mlp.outputBiasIndex] : 0
        if mlp.trainsInner {
            weights.pointer.update(from: θ + mlp.weightIndex(0, 0), count: h * d)
            biases.pointer.update(from: θ + mlp.biasIndex(0), count: h)
        }
        for k in 0..<h { for α in 0..<d { readoutWeights[k * d + α] = readout[k] * weights[k * d + α] } }
        particles.evaluated.setPoints(x)
        respond(particles)
        if mlp.trainsInner { respond(targets) }
        evaluate(targets)
        evaluate(particles)
    }

    /// φ0 ← φ(W Pᵀ + b), φ1 ← φ′, φ2 ← φ″.
    private func respond(_ r: Responses) {
        let h = mlp.width
        let d = mlp.dimension
        let count = r.evaluated.count
        BLAS.gemm(
            .transposed, .none, m: h, n: count, k: d, alpha: 1, weights.pointer, lda: d, r.evaluated.points.pointer,
            ldb: d, beta: 0, r.φ0.pointer, ldc: h)
        for p in 0..<count { for k in 0..<h { r.φ0[p * h + k] += biases[k] } }
        mlp.activation.evaluate(inPlace: r.φ0.pointer, first: r.φ1.pointer, second: r.φ2?.pointer, count: count * h)
    }

    /// D and ∇_x D from the current responses and readout.
    private func evaluate(_ r: Responses) {
        let h = mlp.width
        let d = mlp.dimension
        let count = r.evaluated.count
        let values = r.evaluated.values.pointer
        BLAS.gemv(
            .transposed, rows: h, columns: count, alpha: mlp.scale, r.φ0.pointer, lda: h, readout.pointer, beta: 0,
            values)
        for p in 0..<count { values[p] += outputBias }
        BLAS.gemm(
            .none, .none, m: d, n: count, k: h, alpha: mlp.scale, readoutWeights.pointer, lda: d, r.φ1.pointer, ldb: h,
            beta: 0, r.evaluated.gradients.pointer, ldc: d)
    }

    func values(_ set: PointSet) -> UnsafePointer<Double> { UnsafePointer(responses(set).evaluated.values.pointer) }
    func gradients(_ set: PointSet) -> UnsafePointer<Double> {
        UnsafePointer(responses(set).evaluated.gradients.pointer)
    }

    func addParameterGradient(_ set: PointSet, weights w: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>)
    {
        let r = responses(set)
        let h = mlp.width
        let d = mlp.dimension
        let count = r.evaluated.count
        let s = mlp.scale
        BLAS.gemv(.none, rows: h, columns: count, alpha: s, r.φ0.pointer, lda: h, w, beta: 1, out)
        if mlp.trainsInner {
            for p in 0..<count { for β in 0..<d { r.weightedPoints[p * d + β] = w[p] * r.evaluated.points[p * d + β] } }
            BLAS.gemm(
                .none, .transposed, m: d, n: h, k: count, alpha: s, r.weightedPoints.pointer, lda: d, r.φ1.pointer,
                ldb: h, beta: 0, unitMatrix.pointer, ldc: d)
            BLAS.gemv(.none, rows: h, columns: count, alpha: s, r.φ1.pointer, lda: h, w, beta: 0, unitVector.pointer)
            addPerUnit(into: out)
        }
        if mlp.outputBias { for p in 0..<count { out[mlp.outputBiasIndex] += w[p] } }
    }

    func addPenaltyGradient(_ set: PointSet, weight ω: Double, into out: UnsafeMutablePointer<Double>) {
        let r = responses(set)
        let h = mlp.width
        let d = mlp.dimension
        let count = r.evaluated.count
        let ωs = ω * mlp.scale
        let ρ = r.products
        let directions = r.evaluated.gradients.pointer
        BLAS.gemm(
            .transposed, .none, m: h, n: count, k: d, alpha: 1, weights.pointer, lda: d, directions, ldb: d, beta: 0,
            ρ.pointer, ldc: h)
        for p in 0..<count { for k in 0..<h { out[k] += ωs * r.φ1[p * h + k] * ρ[p * h + k] } }
        guard mlp.trainsInner, let φ2 = r.φ2 else { return }
        for i in 0..<(count * h) { ρ[i] *= φ2[i] }
        BLAS.gemm(
            .none, .transposed, m: d, n: h, k: count, alpha: ωs, r.evaluated.points.pointer, lda: d, ρ.pointer, ldb: h,
            beta: 0, unitMatrix.pointer, ldc: d)
        BLAS.gemm(
            .none, .transposed, m: d, n: h, k: count, alpha: ωs, directions, lda: d, r.φ1.pointer, ldb: h, beta: 1,
            unitMatrix.pointer, ldc: d)
        unitVector.fill(0)
        for p in 0..<count { for k in 0..<h { unitVector[k] += ωs * ρ[p * h + k] } }
        addPerUnit(into: out)
    }

    /// out[w_k] += a_k · unitMatrix[k], out[b_k] += a_k · unitVector[k].
    private func addPerUnit(into out: UnsafeMutablePointer<Double>) {
        let d = mlp.dimension
        for k in 0..<mlp.width {
            for β in 0..<d { out[mlp.weightIndex(k, β)] += readout[k] * unitMatrix[k * d + β] }
            out[mlp.biasIndex(k)] += readout[k] * unitVector[k]
        }
    }
}
