import Dispatch
import LinearAlgebra

/// The vector field's view of the MLP for low input dimension (d < `MLPBatchedFieldEvaluator.minimumDimension`),
/// over all (point, unit) pairs at once. Arrays indexed p·H + k
/// are column-major H × count matrices; row-major count × d arrays are column-major d × count. With s = H^{-1/2}:
///   h = W Pᵀ + b 1ᵀ, then φ, φ′ (and φ″ when W, b train) element-wise, vectorised (libmvec); the points are
///   split over the cores when there are many (p, k) pairs. h is a direct loop, not `dgemm`: its inner dimension
///   is d (2 or 3), where `dgemm`'s packing costs more than the arithmetic;
///   D = c + s φᵀa and ∇_x D = s (a∘W)ᵀ φ′ (length-H dot products per point, in the same block);
///   Σ_p w_p ∂_θ D: a-part s φ w; W-part s a_k [φ′ (w∘P)]_k; b-part s a_k (φ′ w)_k.
///   ω Σ_p G_pᵀ r_p with r_p = ∇_x D(x_p) and ρ = W Rᵀ: a-part ω s Σ_p φ′ρ; W-part ω s a_k [(φ″∘ρ) P + φ′ R]_k;
///   b-part ω s a_k Σ_p φ″ρ.
/// With outer training W and b are frozen, so the targets' φ, φ′ are computed once, at construction.
final class MLPPointwiseFieldEvaluator: DiscriminatorFieldEvaluator {
    /// One point set with its unit responses.
    final class Responses {
        let evaluated: EvaluatedPoints
        /// h on input, φ(h) after `respond`.
        let φ0: ScratchBuffer
        let φ1: ScratchBuffer
        /// Only when the inner weights train (the W, b gradients need it).
        let φ2: ScratchBuffer?
        /// count × H products φ″∘ρ, and w_p x_p (row-major count × d): only for the W, b gradients.
        let products: ScratchBuffer?
        let weightedPoints: ScratchBuffer?

        init(_ evaluated: EvaluatedPoints, width: Int, trainsInner: Bool) {
            self.evaluated = evaluated
            let size = evaluated.count * width
            φ0 = ScratchBuffer(size)
            φ1 = ScratchBuffer(size)
            φ2 = trainsInner ? ScratchBuffer(size) : nil
            products = trainsInner ? ScratchBuffer(size) : nil
            weightedPoints = trainsInner ? ScratchBuffer(evaluated.count * evaluated.dimension) : nil
        }
    }

    let mlp: MLPDiscriminator
    let sets: PointSets<Responses>
    /// What `load` and `loadMemory` process, built once (no array per call): the particles (respond) and the
    /// targets (respond only when W, b train; otherwise their responses are fixed).
    let loadSets: [(responses: Responses, respond: Bool)]
    let memorySets: [(responses: Responses, respond: Bool)]
    var targets: Responses { sets.targets }
    var particles: Responses { sets.particles }
    /// Current W by input (column β of W contiguous, d × H), and b.
    let weightsByInput: ScratchBuffer
    let biases: ScratchBuffer
    /// a_k w_k by input (d × H, column β contiguous).
    let readoutWeights: ScratchBuffer
    /// H × d and H scratch for per-unit sums.
    let unitMatrix: ScratchBuffer
    let unitVector: ScratchBuffer
    /// Readout a and output bias c of the last `load`.
    let readout: ScratchBuffer
    private var outputBias = 0.0

    init(_ mlp: MLPDiscriminator, particleCount: Int, targets points: Matrix, memory hasMemory: Bool) {
        self.mlp = mlp
        let h = mlp.width
        let d = mlp.dimension
        let particleSet = {
            Responses(EvaluatedPoints(count: particleCount, dimension: d), width: h, trainsInner: mlp.trainsInner)
        }
        sets = PointSets(
            targets: Responses(EvaluatedPoints(points), width: h, trainsInner: mlp.trainsInner),
            particles: particleSet(), memory: hasMemory ? particleSet() : nil)
        loadSets = [(sets.particles, true), (sets.targets, mlp.trainsInner)]
        memorySets = sets.memory.map { [($0, true)] } ?? []
        weightsByInput = ScratchBuffer(h * d)
        biases = ScratchBuffer(h)
        readoutWeights = ScratchBuffer(h * d)
        unitMatrix = ScratchBuffer(h * d)
        unitVector = ScratchBuffer(h)
        readout = ScratchBuffer(h)
        for k in 0..<h { biases[k] = mlp.initialBiases[k] }
        mlp.initialWeights.withUnsafeBufferPointer { setWeights(rowMajor: $0.baseAddress!) }
        if !mlp.trainsInner { respond(targets, points: 0..<targets.evaluated.count) }
    }

    private func responses(_ set: PointSet) -> Responses { sets[set] }

    func loadMemory(_ m: UnsafePointer<Double>, parameters θ: UnsafePointer<Double>) {
        guard let memory = sets.memory else { return }
        memory.evaluated.setPoints(m)
        process(memorySets)
    }

    func load(particles x: UnsafePointer<Double>, parameters θ: UnsafePointer<Double>) {
        let h = mlp.width
        let d = mlp.dimension
        readout.pointer.update(from: θ, count: h)
        outputBias = mlp.outputBias ? θ[mlp.outputBiasIndex] : 0
        if mlp.trainsInner {
            setWeights(rowMajor: θ + mlp.weightIndex(0, 0))
            biases.pointer.update(from: θ + mlp.biasIndex(0), count: h)
        }
        for β in 0..<d { for k in 0..<h { readoutWeights[β * h + k] = readout[k] * weightsByInput[β * h + k] } }
        particles.evaluated.setPoints(x)
        process(loadSets)
    }

    /// weightsByInput ← W given row-major (H × d, as in θ).
    private func setWeights(rowMajor w: UnsafePointer<Double>) {
        let h = mlp.width
        let d = mlp.dimension
        for k in 0..<h { for β in 0..<d { weightsByInput[β * h + k] = w[k * d + β] } }
    }

    /// (point, unit) pairs below which a point set stays on one thread: the hand-off costs more than it saves.
    static let parallelPairs = 1 << 15

    /// Responses (where asked), then D and ∇_x D, for each set in contiguous blocks of points — one block per core
    /// when a set is large — so each block's responses are still in cache when its D and ∇_x D are formed. All
    /// sets share one parallel region: waking the second core costs more than a set's dot products.
    private func process(_ sets: [(responses: Responses, respond: Bool)]) {
        var regions = 1
        for set in sets { regions = max(regions, blocks(set.responses.evaluated.count)) }
        let shared = DisjointAccess(value: (self, sets))
        DispatchQueue.concurrentPerform(iterations: regions) { block in
            let (evaluator, sets) = shared.value
            for (r, respond) in sets {
                let count = r.evaluated.count
                let parts = evaluator.blocks(count)
                guard block < parts else { continue }
                let range = (count * block / parts)..<(count * (block + 1) / parts)
                if respond { evaluator.respond(r, points: range) }
                evaluator.evaluate(r, points: range)
            }
        }
    }

    /// How many blocks a set of `count` points is split into: one per core above `parallelPairs` (point, unit) pairs.
    private func blocks(_ count: Int) -> Int {
        count * mlp.width >= Self.parallelPairs ? min(count, System.coreCount) : 1
    }

    /// φ0 ← φ(W Pᵀ + b), φ1 ← φ′, φ2 ← φ″ for the points in `range`.
    private func respond(_ r: Responses, points range: Range<Int>) {
        let h = mlp.width
        let d = mlp.dimension
        let first = r.φ0.pointer + range.lowerBound * h
        for p in 0..<range.count { (first + p * h).update(from: biases.pointer, count: h) }
        for β in 0..<d {
            BLAS.ger(
                rows: h, columns: range.count, alpha: 1, weightsByInput.pointer + β * h,
                r.evaluated.points.pointer + range.lowerBound * d + β, incy: d, first, lda: h)
        }
        let start = range.lowerBound * h
        mlp.activation.evaluate(
            inPlace: r.φ0.pointer + start, first: r.φ1.pointer + start, second: r.φ2.map { $0.pointer + start },
            count: range.count * h)
    }

    /// D = c + s φ·a and ∇_x D = s Σ_k a_k φ′ w_k for the points in `range` (dot products of length H).
    private func evaluate(_ r: Responses, points range: Range<Int>) {
        let h = mlp.width
        let d = mlp.dimension
        let s = mlp.scale
        for p in range {
            let φ0 = r.φ0.pointer + p * h
            let φ1 = r.φ1.pointer + p * h
            r.evaluated.values[p] = outputBias + s * BLAS.dot(φ0, readout.pointer, count: h)
            for α in 0..<d {
                r.evaluated.gradients[p * d + α] = s * BLAS.dot(φ1, readoutWeights.pointer + α * h, count: h)
            }
        }
    }

    func values(_ set: PointSet) -> UnsafePointer<Double> { UnsafePointer(responses(set).evaluated.values.pointer) }
    func gradients(_ set: PointSet) -> UnsafePointer<Double> {
        UnsafePointer(responses(set).evaluated.gradients.pointer)
    }

    func addAscent(
        _ set: PointSet, weights: UnsafePointer<Double>, penalty ω: Double, parameters θ: UnsafePointer<Double>,
        into out: UnsafeMutablePointer<Double>
    ) {
        addParameterGradient(set, weights: weights, into: out)
        if ω != 0 { addPenaltyGradient(set, weight: ω, into: out) }
    }

    /// out += Σ_p w_p ∂_θ D(x_p) over the points of `set`.
    private func addParameterGradient(
        _ set: PointSet, weights w: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>
    ) {
        let r = responses(set)
        let h = mlp.width
        let d = mlp.dimension
        let count = r.evaluated.count
        let s = mlp.scale
        BLAS.gemv(.none, rows: h, columns: count, alpha: s, r.φ0.pointer, lda: h, w, beta: 1, out)
        if let weightedPoints = r.weightedPoints {
            for p in 0..<count { for β in 0..<d { weightedPoints[p * d + β] = w[p] * r.evaluated.points[p * d + β] } }
            BLAS.gemm(
                .none, .transposed, m: d, n: h, k: count, alpha: s, weightedPoints.pointer, lda: d, r.φ1.pointer,
                ldb: h, beta: 0, unitMatrix.pointer, ldc: d)
            BLAS.gemv(.none, rows: h, columns: count, alpha: s, r.φ1.pointer, lda: h, w, beta: 0, unitVector.pointer)
            addPerUnit(into: out)
        }
        if mlp.outputBias { for p in 0..<count { out[mlp.outputBiasIndex] += w[p] } }
    }

    /// out += ω Σ_p G_pᵀ ∇_x D(x_p) over the points of `set`.
    private func addPenaltyGradient(_ set: PointSet, weight ω: Double, into out: UnsafeMutablePointer<Double>) {
        let r = responses(set)
        let h = mlp.width
        let d = mlp.dimension
        let count = r.evaluated.count
        let ωs = ω * mlp.scale
        let directions = r.evaluated.gradients.pointer
        // a-part: ω s Σ_k Σ_β w_kβ [φ′ g_·β]_k — d `dgemv` passes over φ′, no ρ formed.
        for β in 0..<d {
            BLAS.gemv(
                .none, rows: h, columns: count, alpha: 1, r.φ1.pointer, lda: h, directions + β, incx: d, beta: 0,
                unitVector.pointer)
            let w = weightsByInput.pointer + β * h
            for k in 0..<h { out[k] += ωs * w[k] * unitVector[k] }
        }
        guard let φ2 = r.φ2, let ρ = r.products else { return }
        // ρ_pk = r_p·w_k, then φ″∘ρ, for the inner-weight parts.
        for p in 0..<count {
            let ρ = ρ.pointer + p * h
            ρ.update(repeating: 0, count: h)
            for β in 0..<d {
                let rβ = directions[p * d + β]
                let w = weightsByInput.pointer + β * h
                for k in 0..<h { ρ[k] += w[k] * rβ }
            }
        }
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
