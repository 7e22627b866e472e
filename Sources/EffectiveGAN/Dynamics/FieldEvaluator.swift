import LinearAlgebra

/// The two point sets a discriminator is evaluated on.
enum PointSet {
    /// The M target points y_m (fixed).
    case targets
    /// The N particles x_i (moving).
    case particles
    /// The N memory points m_i of fictitious play (`FictitiousPlay`).
    case memory
}

/// First-order evaluation of a discriminator, into buffers it owns and reuses: exactly what the vector field
/// needs (D, ∇_x D, and two weighted parameter gradients) and nothing the Jacobian alone needs.
///
/// The vector field is called hundreds of thousands of times by ODE integrators; an evaluator allocates its
/// buffers once (for the model's N and M), so a right-hand side call allocates nothing. Not thread-safe: each
/// integration owns one (`EffectiveModel.makeFieldWorkspace()`).
protocol DiscriminatorFieldEvaluator: AnyObject {
    /// Evaluates D and ∇_x D at the particles `x` (N × d row-major) and at the targets, for parameters `θ`.
    func load(particles x: UnsafePointer<Double>, parameters θ: UnsafePointer<Double>)
    /// Evaluates D and ∇_x D at the memory points `m` (N × d row-major) for parameters `θ` (those of the last
    /// `load`).
    func loadMemory(_ m: UnsafePointer<Double>, parameters θ: UnsafePointer<Double>)
    /// D(x_p) for the points of `set` (after `load`).
    func values(_ set: PointSet) -> UnsafePointer<Double>
    /// ∇_x D(x_p), row-major count × d (after `load`).
    func gradients(_ set: PointSet) -> UnsafePointer<Double>
    /// out += Σ_p w_p ∂_θ D(x_p) + ω Σ_p G_pᵀ ∇_x D(x_p) over the points of `set`, at the θ of the last `load`
    /// (passed again: evaluators keep no pointer into the caller's state). The second sum is
    /// ω ∇_θ ½ Σ_p ‖∇_x D(x_p)‖², the R1/R2 gradient; one call serves both so that products sharing a factor are
    /// formed once.
    func addAscent(
        _ set: PointSet, weights: UnsafePointer<Double>, penalty ω: Double, parameters θ: UnsafePointer<Double>,
        into out: UnsafeMutablePointer<Double>)
}

/// Which MLP evaluator a workspace uses: chosen by the input dimension, or pinned (the tests compare the two).
enum FieldLayout: Sendable {
    case automatic
    case pointwise
    /// The BLAS-3 evaluator, its products split into at most this many blocks.
    case batched(maximumBlocks: Int)
}

/// Makes the field evaluator of one discriminator, sized for `particleCount` particles (and as many memory points
/// when `memory`) and the given targets.
///
/// Built where the discriminator's concrete type is known — the one switch over the closed
/// `ResolvedModel.Discriminator` (`makeImplementation`) — so no evaluator is reached by a downcast.
struct FieldEvaluatorFactory: Sendable {
    let make:
        @Sendable (_ particleCount: Int, _ targets: Matrix, _ memory: Bool, _ layout: FieldLayout) ->
            any DiscriminatorFieldEvaluator

    static func linear(_ linear: LinearDiscriminator) -> Self {
        Self { count, targets, memory, _ in LinearFieldEvaluator(linear, particleCount: count, targets: targets, memory: memory) }
    }

    static func deep(_ deep: DeepMLPDiscriminator) -> Self {
        Self { count, targets, memory, _ in DeepMLPFieldEvaluator(deep, particleCount: count, targets: targets, memory: memory) }
    }

    /// One hidden layer: the BLAS-3 evaluator from `MLPBatchedFieldEvaluator.minimumDimension` on (measured
    /// crossover), the pointwise one below it.
    static func mlp(_ mlp: MLPDiscriminator) -> Self {
        Self { particleCount, targets, memory, layout in
            switch layout {
            case .automatic where mlp.dimension >= MLPBatchedFieldEvaluator.minimumDimension:
                return MLPBatchedFieldEvaluator(mlp, particleCount: particleCount, targets: targets, memory: memory)
            case let .batched(blocks):
                return MLPBatchedFieldEvaluator(
                    mlp, particleCount: particleCount, targets: targets, memory: memory, maximumBlocks: blocks)
            case .automatic, .pointwise:
                return MLPPointwiseFieldEvaluator(mlp, particleCount: particleCount, targets: targets, memory: memory)
            }
        }
    }
}

/// One value per point set; the memory's exists only with fictitious play.
struct PointSets<Value> {
    let targets: Value
    let particles: Value
    let memory: Value?

    subscript(set: PointSet) -> Value {
        switch set {
        case .targets: return targets
        case .particles: return particles
        case .memory: return memory!
        }
    }
}

/// A fixed-size array of doubles allocated once and freed with its owner: the scratch space of the hot loops.
final class ScratchBuffer {
    let count: Int
    let pointer: UnsafeMutablePointer<Double>

    init(_ count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
    }

    deinit { pointer.deallocate() }

    subscript(i: Int) -> Double {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    func fill(_ value: Double) { pointer.update(repeating: value, count: count) }
}

/// A point set with D and ∇_x D evaluated on it: the part every field evaluator keeps per set.
final class EvaluatedPoints {
    let count: Int
    let dimension: Int
    /// The points, row-major count × d.
    let points: ScratchBuffer
    let values: ScratchBuffer
    /// ∇_x D, row-major count × d.
    let gradients: ScratchBuffer

    init(count: Int, dimension: Int) {
        self.count = count
        self.dimension = dimension
        points = ScratchBuffer(count * dimension)
        values = ScratchBuffer(count)
        gradients = ScratchBuffer(count * dimension)
    }

    convenience init(_ matrix: Matrix) {
        self.init(count: matrix.rows, dimension: matrix.columns)
        for p in 0..<count { for α in 0..<dimension { points[p * dimension + α] = matrix[p, α] } }
    }

    func setPoints(_ x: UnsafePointer<Double>) { points.pointer.update(from: x, count: count * dimension) }
}
