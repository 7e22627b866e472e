import LinearAlgebra

/// The effective GAN model (spec §1–5) ready for computation: N particles coupled by K, a discriminator, a loss
/// and a regulariser of strength γ.
///
/// State vector z = (vec X, θ): particles row-major (x_1 first), then the discriminator's trained parameters in
/// the order of spec §1. Always built from a `ResolvedModel`.
public struct EffectiveModel: Sendable {
    public let resolved: ResolvedModel
    /// Output dimension d.
    public let dimension: Int
    /// Number of particles N.
    public let particleCount: Int
    /// Target points, one per row (M × d).
    public let targets: Matrix
    public let kernel: KernelOperator
    public let discriminator: any Discriminator
    public let loss: Loss
    public let regularizer: RegularizerKind
    /// Regulariser strength γ.
    public let gamma: Double
    /// How the discriminator learns (gradient ascent, optimal, fictitious play).
    public let learning: CriticLearning
    /// Fixed weight decay μ.
    public let weightDecay: Double
    /// Likelihood guidance with β > 0 (`LikelihoodGuidance`); nil otherwise, so β = 0 is the plain model.
    public let likelihood: LikelihoodGuidance?
    /// With likelihood guidance: the moved equilibrium found by Newton's method from the matched state.
    public private(set) var movedEquilibrium: Result<MovedEquilibrium, ModelError>?
    /// Packing (`Packing`), nil for m = 1.
    public let packing: Packing?
    /// What D sees as real data: the targets, or the real packs.
    public let realPoints: Matrix
    /// The discriminator at the real points for a given θ (cached parts shared across calls).
    let targetBatch: @Sendable ([Double]) -> any DiscriminatorBatch
    /// Makes the discriminator's field evaluator (`VectorField`), chosen with its concrete type.
    let fieldEvaluator: FieldEvaluatorFactory

    /// Builds the model; `gamma` overrides the resolved model's strength (in `resolved` too, so the resolved model
    /// this one carries — and its hash in every JSON output — is the one analysed).
    public init(_ resolved: ResolvedModel, gamma: Double? = nil) {
        var described = resolved
        if let gamma { described.gamma = gamma }
        self.resolved = described
        dimension = resolved.dimension
        particleCount = resolved.particles.count
        targets = Matrix(resolved.targets)
        kernel = KernelOperator(resolved.kernel, particles: resolved.particles.count)
        (discriminator, fieldEvaluator) = resolved.discriminator.makeImplementation(
            dimension: resolved.dimension * resolved.pack)
        packing =
            resolved.pack > 1
            ? Packing(size: resolved.pack, particleCount: resolved.particles.count, targets: targets) : nil
        realPoints = packing?.realPacks ?? targets
        loss = resolved.loss
        regularizer = resolved.regularizer
        self.gamma = gamma ?? resolved.gamma
        learning = resolved.learning
        weightDecay = resolved.discriminator.weightDecay
        likelihood = resolved.likelihood.flatMap { $0.weight > 0 ? $0 : nil }
        targetBatch = discriminator.batchFactory(for: realPoints)
        if likelihood != nil { movedEquilibrium = findMovedEquilibrium() }
    }

    /// The factor of the discriminator's ascent field η_D ∇_θ V_D: η_D, and 1 for an optimal discriminator. An
    /// optimal θ* follows no flow, but it is found where that field vanishes (Newton's method on ∇_θ V_D, and
    /// its Jacobian J_θθ in the Schur complement); any positive factor gives the same θ*, and 1 keeps those
    /// solves at the scale of V_D itself.
    public var etaD: Double { learning.rate ?? 1 }
    /// θ slaved to θ*(X) = argmax_θ V_D (Li et al. 2017): the state is vec X alone (`OptimalDiscriminator`).
    public var optimalDiscriminator: Bool { learning.isOptimal }
    /// Fictitious play: memory states m_i after θ in the state (`FictitiousPlay`).
    public var memory: FictitiousPlay? { learning.memory }

    /// The same model at another regulariser strength γ.
    public func with(gamma: Double) -> EffectiveModel { EffectiveModel(resolved, gamma: gamma) }

    /// Number of targets M.
    public var targetCount: Int { targets.rows }
    /// Number of real points D is trained on: M, or M^m packs.
    var realCount: Int { realPoints.rows }
    /// Number of fake points D is trained on: N, or N^m packs.
    var fakeCount: Int { packing?.tuples.count ?? particleCount }
    /// The particle coordinate that coordinate r of fake point q reads (identity without packing).
    @inline(__always) func particleCoordinate(fakePoint q: Int, _ r: Int) -> Int {
        guard let packing else { return q * dimension + r }
        return packing.tuples[q][r / dimension] * dimension + r % dimension
    }
    /// The fake points D is evaluated on, one per row: the particles, or the fake packs.
    func fakePoints(in z: [Double]) -> Matrix {
        guard let packing else { return particles(in: z) }
        var packs = Matrix(rows: fakeCount, columns: packing.size * dimension)
        for q in 0..<fakeCount { for r in 0..<packs.columns { packs[q, r] = z[particleCoordinate(fakePoint: q, r)] } }
        return packs
    }
    /// Number of trained discriminator parameters P.
    public var parameterCount: Int { discriminator.parameterCount }
    /// Length of the particle block N·d.
    public var particleBlockLength: Int { particleCount * dimension }
    /// Length of the discriminator block of the state: P, or 0 when θ is slaved to its optimum.
    public var parameterBlockLength: Int { optimalDiscriminator ? 0 : parameterCount }
    /// Length of the memory block: N·d with fictitious play, else 0.
    public var memoryBlockLength: Int { memory == nil ? 0 : particleBlockLength }
    /// Where the memory block starts in the state.
    public var memoryOffset: Int { particleBlockLength + parameterBlockLength }
    /// Dimension of the state vector N·d + P (+ N·d memory; N·d alone with an optimal discriminator).
    public var stateDimension: Int { particleBlockLength + parameterBlockLength + memoryBlockLength }
    /// Dimension of the full state (X, θ, memory) that the flow's core formulas work on.
    var fullStateDimension: Int { particleBlockLength + parameterCount + memoryBlockLength }
    /// The fake data's shares: particles 1 − ω and memory ω with fictitious play, else 1 and 0.
    var fakeShares: (particles: Double, memory: Double) {
        memory.map { (1 - $0.weight, $0.weight) } ?? (1, 0)
    }

    /// z* of spec §5: particles matched to targets, readout and output bias zero — or, with likelihood
    /// guidance, the moved equilibrium Newton found from there.
    public var equilibriumState: [Double] {
        if case let .success(moved) = movedEquilibrium { return moved.state }
        return matchedState
    }

    /// The matched state of spec §5 (memory at the particles).
    public var matchedState: [Double] {
        let x = resolved.particles.flatMap { $0 }
        return x + (optimalDiscriminator ? [] : discriminator.equilibriumParameters) + (memory == nil ? [] : x)
    }

    /// Where simulations start: `generator.init` with the discriminator at its equilibrium parameters.
    /// Memory starts at the initial particles.
    public var initialState: [Double] {
        let x = resolved.initialParticles.flatMap { $0 }
        return x + (optimalDiscriminator ? [] : discriminator.equilibriumParameters) + (memory == nil ? [] : x)
    }

    /// The particles of a state, one per row (N × d).
    public func particles(in z: [Double]) -> Matrix { points(in: z, from: 0) }

    /// N points of dimension d stored row-major in z from `offset` (the particles, or the memory points).
    func points(in z: [Double], from offset: Int) -> Matrix {
        var x = Matrix(rows: particleCount, columns: dimension)
        for i in 0..<particleCount { for α in 0..<dimension { x[i, α] = z[offset + i * dimension + α] } }
        return x
    }

    /// The discriminator parameters θ of a state (θ*(X) for an optimal discriminator).
    public func parameters(in z: [Double]) -> [Double] {
        optimalDiscriminator
            ? optimalParameters(forParticles: Array(z[..<particleBlockLength]))
            : Array(z[particleBlockLength..<(particleBlockLength + parameterCount)])
    }
}
