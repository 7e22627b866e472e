import Dispatch
import LinearAlgebra

/// The vector field's view of the MLP in BLAS-3 form: every product over points, units and input coordinates is
/// one `dgemm`, so the field runs at the machine's matrix-multiply rate at d = 784 (issue #14).
///
/// Layout: arrays indexed p·H + k are column-major H × count; points and ∇_x D (row-major count × d) are
/// column-major d × count; θ's W (row-major H × d) is column-major d × H with leading dimension d, so it enters
/// every product in place — no transposed copy, no O(H·d) pass per call. With s = H^{-1/2}:
///   load:    Hpre = Wᵀ-view · P + b (one `dgemm`, k = d), then φ, φ′ (and φ″ when W, b train), vectorised;
///            D = c + s φᵀa (`dgemv`), aφ′ = a∘φ′, ∇_x D = s W aφ′ (one `dgemm`, k = H);
///   ascent:  Σ_p w_p ∂_θ D + ω Σ_p G_pᵀ ∇_x D(x_p) (the R1/R2 gradient) for one point set at once:
///            ρ = W·R (H × count, `dgemm`) with R = ∇_x D;
///            a-part  s φ w + ω s Σ_p φ′∘ρ;
///            W-part  (s w∘P + ω s R) · aφ′ᵀ  (+ ω s P · (a∘φ″∘ρ)ᵀ when φ″ ≠ 0), written straight into θ̇'s W block
///                    by `dgemm` with β = 1 — the parameter gradient and the penalty share one product;
///            b-part  a_k [s (φ′w)_k + ω s Σ_p (φ″∘ρ)_kp].
/// Flops per simultaneous step (train all, r1, relu): 4 point products + ρ + 2 W-parts = 7 × 2·n·H·d for n = 100
/// points per set; README's benchmark section counts them.
///
/// Threads: point products are split by points, unit products by units, each block one single-threaded `dgemm`.
/// Every output element is produced by exactly one block with the full inner dimension, and blocks start on
/// multiples of `blockAlignment`, so the result does not depend on the number of blocks (tested bit for bit). Small problems (d = 2 with a few hundred points) stay on the
/// calling thread: a wake-up costs more than the arithmetic there.
final class MLPBatchedFieldEvaluator: DiscriminatorFieldEvaluator {
    /// The input dimension from which this evaluator replaces `MLPPointwiseFieldEvaluator`. Below it the products
    /// with inner dimension d are too thin for `dgemm` (packing costs more than the arithmetic): measured,
    /// simulate-256 (d = 2) took 0.21 s batched and 0.11 s pointwise; steps-784 0.66 s batched and 2.65 s pointwise.
    static let minimumDimension = 8

    /// One point set with its unit responses.
    final class Responses {
        let evaluated: EvaluatedPoints
        /// Pre-activation on input, φ after `respond`.
        let φ0: ScratchBuffer
        let φ1: ScratchBuffer
        /// a∘φ′ (H × count).
        let scaledSlopes: ScratchBuffer
        /// φ″: only when the inner weights train (the W, b parts of the penalty need it).
        let φ2: ScratchBuffer?
        /// ρ = W·R (H × count) for the penalty; a∘φ″∘ρ overwrites it when W trains.
        let projections: ScratchBuffer
        /// s w∘P + ω s R (d × count): the W-part's combined right factor, only when W trains.
        let combined: ScratchBuffer?

        init(_ evaluated: EvaluatedPoints, width: Int, trainsInner: Bool) {
            self.evaluated = evaluated
            let size = evaluated.count * width
            φ0 = ScratchBuffer(size)
            φ1 = ScratchBuffer(size)
            scaledSlopes = ScratchBuffer(size)
            φ2 = trainsInner ? ScratchBuffer(size) : nil
            projections = ScratchBuffer(size)
            combined = trainsInner ? ScratchBuffer(evaluated.count * evaluated.dimension) : nil
        }
    }

    let mlp: MLPDiscriminator
    let sets: PointSets<Responses>
    /// Frozen W (row-major H × d) and b, used when only the readout trains.
    let frozenWeights: ScratchBuffer
    let frozenBiases: ScratchBuffer
    /// Readout a and output bias c of the last `load`.
    let readout: ScratchBuffer
    private var outputBias = 0.0
    /// The largest number of blocks a product is split into (the cores, unless a test pins it).
    let maximumBlocks: Int

    /// Work (multiply–adds of one product) below which a product stays on the calling thread.
    static let parallelWork = BLAS.parallelWork

    init(
        _ mlp: MLPDiscriminator, particleCount: Int, targets points: Matrix, memory hasMemory: Bool,
        maximumBlocks: Int = System.coreCount
    ) {
        self.mlp = mlp
        self.maximumBlocks = max(1, maximumBlocks)
        let h = mlp.width
        let d = mlp.dimension
        let particleSet = {
            Responses(EvaluatedPoints(count: particleCount, dimension: d), width: h, trainsInner: mlp.trainsInner)
        }
        sets = PointSets(
            targets: Responses(EvaluatedPoints(points), width: h, trainsInner: mlp.trainsInner),
            particles: particleSet(), memory: hasMemory ? particleSet() : nil)
        frozenWeights = ScratchBuffer(mlp.trainsInner ? 0 : h * d)
        frozenBiases = ScratchBuffer(mlp.trainsInner ? 0 : h)
        readout = ScratchBuffer(h)
        if !mlp.trainsInner {
            frozenWeights.pointer.update(from: mlp.initialWeights, count: h * d)
            frozenBiases.pointer.update(from: mlp.initialBiases, count: h)
            // Outer training: W and b never change, so the targets' unit responses are computed once, here.
            respond(sets.targets, weights: frozenWeights.pointer, biases: frozenBiases.pointer)
        }
    }

    // MARK: Parameters

    /// W as column-major d × H (leading dimension d): θ's block when it trains, else the frozen copy.
    private func weights(_ θ: UnsafePointer<Double>) -> UnsafePointer<Double> {
        mlp.trainsInner ? θ + mlp.weightIndex(0, 0) : UnsafePointer(frozenWeights.pointer)
    }

    private func biases(_ θ: UnsafePointer<Double>) -> UnsafePointer<Double> {
        mlp.trainsInner ? θ + mlp.biasIndex(0) : UnsafePointer(frozenBiases.pointer)
    }

    // MARK: Loading points

    func load(particles x: UnsafePointer<Double>, parameters θ: UnsafePointer<Double>) {
        readout.pointer.update(from: θ, count: mlp.width)
        outputBias = mlp.outputBias ? θ[mlp.outputBiasIndex] : 0
        sets.particles.evaluated.setPoints(x)
        respond(sets.particles, weights: weights(θ), biases: biases(θ))
        if mlp.trainsInner { respond(sets.targets, weights: weights(θ), biases: biases(θ)) }
        evaluate(sets.particles, weights: weights(θ))
        evaluate(sets.targets, weights: weights(θ))
    }

    func loadMemory(_ m: UnsafePointer<Double>, parameters θ: UnsafePointer<Double>) {
        guard let memory = sets.memory else { return }
        memory.evaluated.setPoints(m)
        respond(memory, weights: weights(θ), biases: biases(θ))
        evaluate(memory, weights: weights(θ))
    }

    /// φ0 ← φ(Wx + b), φ1 ← φ′, φ2 ← φ″ for every point of the set: one `dgemm` (k = d) per block of points.
    private func respond(_ r: Responses, weights w: UnsafePointer<Double>, biases b: UnsafePointer<Double>) {
        let h = mlp.width
        let d = mlp.dimension
        let shared = DisjointAccess(value: (r, w, b))
        forEachBlock(of: r.evaluated.count, work: r.evaluated.count * h * d) { range in
            let (r, w, b) = shared.value
            let first = r.φ0.pointer + range.lowerBound * h
            for p in 0..<range.count { (first + p * h).update(from: b, count: h) }
            BLAS.gemm(
                .transposed, .none, m: h, n: range.count, k: d, alpha: 1, w, lda: d,
                r.evaluated.points.pointer + range.lowerBound * d, ldb: d, beta: 1, first, ldc: h)
            let start = range.lowerBound * h
            self.mlp.activation.evaluate(
                inPlace: r.φ0.pointer + start, first: r.φ1.pointer + start, second: r.φ2.map { $0.pointer + start },
                count: range.count * h)
        }
    }

    /// D = c + s φᵀa, aφ′ = a∘φ′ and ∇_x D = s W aφ′ for every point of the set (one `dgemm`, k = H, per block).
    private func evaluate(_ r: Responses, weights w: UnsafePointer<Double>) {
        let h = mlp.width
        let d = mlp.dimension
        let s = mlp.scale
        let shared = DisjointAccess(value: (r, w))
        forEachBlock(of: r.evaluated.count, work: r.evaluated.count * h * d) { range in
            let (r, w) = shared.value
            let a = self.readout.pointer
            for p in range {
                let slopes = r.φ1.pointer + p * h
                let scaled = r.scaledSlopes.pointer + p * h
                for k in 0..<h { scaled[k] = a[k] * slopes[k] }
            }
            BLAS.gemv(
                .transposed, rows: h, columns: range.count, alpha: s, r.φ0.pointer + range.lowerBound * h, lda: h, a,
                beta: 0, r.evaluated.values.pointer + range.lowerBound)
            if self.outputBias != 0 { for p in range { r.evaluated.values[p] += self.outputBias } }
            BLAS.gemm(
                .none, .none, m: d, n: range.count, k: h, alpha: s, w, lda: d,
                r.scaledSlopes.pointer + range.lowerBound * h, ldb: h, beta: 0,
                r.evaluated.gradients.pointer + range.lowerBound * d, ldc: d)
        }
    }

    func values(_ set: PointSet) -> UnsafePointer<Double> { UnsafePointer(sets[set].evaluated.values.pointer) }
    func gradients(_ set: PointSet) -> UnsafePointer<Double> { UnsafePointer(sets[set].evaluated.gradients.pointer) }

    // MARK: Parameter gradients

    func addAscent(
        _ set: PointSet, weights w: UnsafePointer<Double>, penalty ω: Double, parameters θ: UnsafePointer<Double>,
        into out: UnsafeMutablePointer<Double>
    ) {
        let r = sets[set]
        let h = mlp.width
        let d = mlp.dimension
        let n = r.evaluated.count
        let s = mlp.scale
        let penalised = ω != 0
        let curved = penalised && r.φ2 != nil && !mlp.activation.isPiecewiseLinear
        if let combined = r.combined {
            let points = r.evaluated.points.pointer
            let directions = r.evaluated.gradients.pointer
            for p in 0..<n {
                let weight = s * w[p]
                for β in 0..<d { combined[p * d + β] = weight * points[p * d + β] + ω * s * directions[p * d + β] }
            }
        }
        let shared = DisjointAccess(value: (r, out))
        let wθ = weights(θ)
        forEachBlock(of: h, work: n * h * d * (penalised ? 3 : 1)) { units in
            let (r, out) = shared.value
            let k0 = units.lowerBound
            let a = self.readout.pointer
            // a-part: s φ w (+ ω s Σ_p φ′∘ρ with ρ = W·R).
            BLAS.gemv(.none, rows: units.count, columns: n, alpha: s, r.φ0.pointer + k0, lda: h, w, beta: 1, out + k0)
            if penalised {
                BLAS.gemm(
                    .transposed, .none, m: units.count, n: n, k: d, alpha: 1, wθ + k0 * d, lda: d,
                    r.evaluated.gradients.pointer, ldb: d, beta: 0, r.projections.pointer + k0, ldc: h)
                for p in 0..<n {
                    let slopes = r.φ1.pointer + p * h
                    let ρ = r.projections.pointer + p * h
                    for k in units { out[k] += ω * s * slopes[k] * ρ[k] }
                }
            }
            guard let combined = r.combined else { return }
            // W-part into θ̇'s W block (column-major d × H): the parameter gradient and φ′R share one product.
            let weightBlock = out + self.mlp.weightIndex(k0, 0)
            BLAS.gemm(
                .none, .transposed, m: d, n: units.count, k: n, alpha: 1, combined.pointer, lda: d,
                r.scaledSlopes.pointer + k0, ldb: h, beta: 1, weightBlock, ldc: d)
            // b-part, and the curvature term a∘φ″∘ρ of the penalty.
            let biasBlock = out + self.mlp.biasIndex(0)
            for p in 0..<n {
                let scaled = r.scaledSlopes.pointer + p * h
                for k in units { biasBlock[k] += s * w[p] * scaled[k] }
            }
            guard curved, let φ2 = r.φ2 else { return }
            for p in 0..<n {
                let ρ = r.projections.pointer + p * h
                let second = φ2.pointer + p * h
                for k in units {
                    ρ[k] *= a[k] * second[k]
                    biasBlock[k] += ω * s * ρ[k]
                }
            }
            BLAS.gemm(
                .none, .transposed, m: d, n: units.count, k: n, alpha: ω * s, r.evaluated.points.pointer, lda: d,
                r.projections.pointer + k0, ldb: h, beta: 1, weightBlock, ldc: d)
        }
        if mlp.outputBias { for p in 0..<n { out[mlp.outputBiasIndex] += w[p] } }
    }

    // MARK: Blocks

    /// Block boundaries fall on multiples of this many points or units: BLAS kernels compute a product in tiles of
    /// up to 16 rows or columns and finish ragged edges with other micro-kernels, whose rounding differs. With aligned
    /// boundaries every element is computed by the same kernel however the work is split (tested bit for bit).
    static let blockAlignment = BLAS.columnAlignment

    /// Runs `body` over contiguous blocks of 0..<count: one block per core when `work` multiply–adds justify the
    /// hand-off, else one block on the calling thread.
    private func forEachBlock(of count: Int, work: Int, _ body: (Range<Int>) -> Void) {
        let tiles = (count + Self.blockAlignment - 1) / Self.blockAlignment
        let blocks = work >= Self.parallelWork ? min(tiles, maximumBlocks) : 1
        guard blocks > 1 else {
            body(0..<count)
            return
        }
        let alignment = Self.blockAlignment
        let boundary: @Sendable (Int) -> Int = { min(count, tiles * $0 / blocks * alignment) }
        withoutActuallyEscaping(body) { body in
            let shared = DisjointAccess(value: body)
            DispatchQueue.concurrentPerform(iterations: blocks) { block in
                shared.value(boundary(block)..<boundary(block + 1))
            }
        }
    }
}
