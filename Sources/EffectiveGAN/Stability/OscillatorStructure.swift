import LinearAlgebra

/// The exact oscillator structure of J at the matched equilibrium (derivation: `docs/oscillator-structure.md`).
///
/// At z* the readout is a = 0, so ∇_x D ≡ 0, ∇²_x D ≡ 0 and D ≡ c = 0. The particles then feel the discriminator
/// only through the readout, via G_i = ∂(∇_x D(x_i))/∂a (d × n_a; n_a = H for an MLP, d for a linear D), and the
/// readout feels them only through −(η_D f′(0)/N) G_iᵀ. Eliminating δx from the eigen-equations leaves a quadratic
/// eigenproblem in readout space,
///   λ² v − λ A v + q S v = 0,  q = η_D f′(0) g′(0) / N,  S = Σ_ij K_ij G_iᵀ G_j,
///   A = η_D [ f″(0) (B_X + B_Y) − γ C_reg − μ I ]   (B = mean ψψᵀ, ψ = ∂_a D; C_reg = mean GᵀG for r1/r2, I for l2),
/// with the output bias c joining the readout for the σ-losses. For an MLP, S = (W Wᵀ) ∘ (Φ′ᵀ K Φ′) / H and
/// C = (W Wᵀ) ∘ (Φ′ᵀ Φ′) / (H·count): no G and no J is ever formed.
///
/// Everything here is independent of γ: a sweep builds it once and per γ only assembles A (`spectrum(gamma:)`).
/// The structural counts — particle directions the discriminator cannot see, readout directions no point excites,
/// the inner weights — come from ranks of these blocks, each judged relative to its own norm
/// (`Tolerance.structuralRank`), so they are the same at every γ.
public struct OscillatorStructure: Sendable {
    /// N·d.
    public let particleDimension: Int
    /// n_a: the readout's length (H, or d for a linear discriminator).
    public let readoutDimension: Int
    /// rank Σ_i G_iᵀ G_i: how many particle directions the discriminator sees at all.
    public let seenRank: Int
    /// v = dim V, the readout directions any block of J reads or writes (the rest decay at −η_D(γ[l2] + μ)).
    public let visibleRank: Int
    /// s = rank S: the readout directions the particles can answer (through K).
    public let coupledRank: Int
    /// Inner weights W, b in the state (H·(d + 1) with `train: all`, else 0): their columns of J are −κ e.
    public let innerWeightCount: Int
    /// Whether c is in the state.
    public let hasOutputBias: Bool
    /// Whether c couples to the readout (σ-losses: f″(0) ≠ 0); for WGAN it decays alone at −η_D(γ[l2] + μ).
    public let biasCoupled: Bool
    /// q·σ_k for the s non-zero eigenvalues σ_k of S restricted to V: the oscillators' stiffnesses.
    public let stiffness: [Double]
    /// The reduced basis of V in readout coordinates (n_a × v; range of S first): maps a reduced eigenvector back.
    let basis: Matrix
    /// The γ-independent part of A in the reduced basis (range of S first, then its null space in V, then c).
    let fixedDamping: Matrix
    /// ∂A/∂γ in the same basis.
    let strengthDamping: Matrix
    /// dim null A_qq (readout directions the particles cannot answer and nothing damps), at γ = 0 and at γ > 0.
    /// Both parts of A are negative semi-definite, so for γ > 0 null A = null F ∩ null ∂A/∂γ: judged once, each
    /// part relative to its own norm, the count cannot drift with γ (as a rank relative to ‖A(γ)‖ would).
    let undampedReadout: (atZero: Int, positive: Int)
    /// dim null A, the same way: 0 means every mode decays (`Spectrum.strictlyDamped`).
    let undampedDirections: (atZero: Int, positive: Int)
    /// η_D, μ and the regulariser, for the closed-form eigenvalue of the complement.
    let etaD: Double
    let weightDecay: Double
    let regularizer: RegularizerKind

    /// The size of the reduced quadratic problem in first-order form: s + (v − s) + [c coupled].
    public var reducedDimension: Int { coupledRank + fixedDamping.rows }

    /// The structure of `model`'s Jacobian at its matched equilibrium, or nil where it does not apply: an optimal
    /// discriminator, methods that add a particle–particle block (likelihood guidance, fictitious play, packing),
    /// or particles that are not exactly the targets repeated (N a multiple of M).
    public init?(_ model: EffectiveModel) throws {
        guard !model.optimalDiscriminator, model.likelihood == nil, model.memory == nil, model.packing == nil else {
            return nil
        }
        let n = model.particleCount
        let m = model.targetCount
        guard m > 0, n % m == 0,
            (0..<n).allSatisfy({ i in model.resolved.particles[i] == model.resolved.targets[i % m] })
        else { return nil }
        let particles = model.particles(in: model.matchedState)
        let geometry = ReadoutGeometry(model.resolved.discriminator, dimension: model.dimension)
        let fake = geometry.responses(at: particles)
        let real = geometry.responses(at: model.targets)

        let fPrime = model.loss.fPrime(0)
        let fSecond = model.loss.fSecond(0)
        let coupling = model.etaD * fPrime * model.loss.gPrime(0) / Double(n)
        let seen = geometry.slopeGram(fake, fake, weights: nil, count: n)
        let slopeReal = geometry.slopeGram(real, real, weights: nil, count: m)
        let kernelSlopes = geometry.slopeGram(fake, fake, weights: model.kernel, count: 1)
        let featureGram =
            fSecond == 0 ? nil : geometry.featureGram(fake, count: n) + geometry.featureGram(real, count: m)

        // V: the readout directions J touches. Each generator is normalised by its own norm before the union.
        var generators = [seen]
        if model.regularizer == .r1 { generators.append(slopeReal) }
        if let featureGram { generators.append(featureGram) }
        let union = generators.map { $0.scaled(by: 1 / max($0.frobeniusNorm, .leastNormalMagnitude)) }
            .reduce(Matrix(rows: geometry.readoutDimension, columns: geometry.readoutDimension), +)
        let visible = try union.symmetricEigenDecomposition().range(relativeTolerance: Tolerance.structuralRank).basis

        // Inside V, split off the range of S (the coupled oscillators) from its null space. dsyevd sorts ascending
        // and S is positive semi-definite, so the range is the last s eigenvectors: they go first in the basis.
        let restricted = try kernelSlopes.congruence(visible).symmetricEigenDecomposition()
        let coupled = restricted.range(relativeTolerance: Tolerance.structuralRank)
        let rotation = Matrix.product(visible, restricted.vectors)
        let v = visible.columns
        let order = Array((v - coupled.values.count)..<v) + Array(0..<(v - coupled.values.count))
        var basis = Matrix(rows: geometry.readoutDimension, columns: v)
        for (j, k) in order.enumerated() {
            for i in 0..<basis.rows { basis[i, j] = rotation[i, k] }
        }

        self.basis = basis
        particleDimension = model.particleBlockLength
        readoutDimension = geometry.readoutDimension
        let seenValues = try seen.symmetricEigenvalues()
        seenRank = seenValues.filter { $0 > Tolerance.structuralRank * (seenValues.last ?? 0) }.count
        visibleRank = visible.columns
        coupledRank = coupled.values.count
        innerWeightCount = geometry.innerWeightCount
        hasOutputBias = geometry.outputBias
        biasCoupled = geometry.outputBias && fSecond != 0
        stiffness = coupled.values.map { coupling * $0 }
        etaD = model.etaD
        weightDecay = model.weightDecay
        regularizer = model.regularizer

        // A = η_D [f″ (B_X + B_Y) − γ C_reg − μ I] on V, with c appended for the σ-losses.
        let size = visibleRank + (biasCoupled ? 1 : 0)
        var fixed = Matrix(rows: size, columns: size)
        var strength = Matrix(rows: size, columns: size)
        if let featureGram {
            let projected = featureGram.congruence(basis)
            for j in 0..<visibleRank {
                for i in 0..<visibleRank { fixed[i, j] = model.etaD * fSecond * projected[i, j] }
            }
        }
        if biasCoupled {
            let mean = zip(geometry.featureMean(fake), geometry.featureMean(real)).map { $0 + $1 }
            let projected = basis.transposed.apply(mean)
            for i in 0..<visibleRank {
                fixed[i, visibleRank] = model.etaD * fSecond * projected[i]
                fixed[visibleRank, i] = fixed[i, visibleRank]
            }
            fixed[visibleRank, visibleRank] = 2 * model.etaD * fSecond
        }
        for i in 0..<size { fixed[i, i] -= model.etaD * model.weightDecay }
        switch model.regularizer {
        case .none: break
        case .l2: for i in 0..<size { strength[i, i] = -model.etaD }
        case .r1, .r2:
            let penalty = (model.regularizer == .r1 ? slopeReal : seen).congruence(basis)
            for j in 0..<visibleRank { for i in 0..<visibleRank { strength[i, j] = -model.etaD * penalty[i, j] } }
        }
        fixedDamping = fixed
        strengthDamping = strength
        let q = coupledRank..<size
        let (fixedQQ, strengthQQ) = (fixed.submatrix(rows: q, columns: q), strength.submatrix(rows: q, columns: q))
        let (fixedNorm, strengthNorm) = (fixed.frobeniusNorm, strength.frobeniusNorm)
        undampedReadout = (
            try Self.commonNullity([(fixedQQ, fixedNorm)]),
            try Self.commonNullity([(fixedQQ, fixedNorm), (strengthQQ, strengthNorm)])
        )
        undampedDirections = (
            try Self.commonNullity([(fixed, fixedNorm)]),
            try Self.commonNullity([(fixed, fixedNorm), (strength, strengthNorm)])
        )
    }

    /// dim ∩ null(Pᵢ) for negative semi-definite blocks Pᵢ, each cut from a whole matrix of norm nᵢ: the null space
    /// of Σ Pᵢ/nᵢ, its rank judged relative to 1 (the scale of a whole matrix), `Tolerance.structuralRank`. Each
    /// part is scaled by its *whole* matrix's norm, never its own: a block that is zero up to rounding (the
    /// γ-part on directions no slope sees, ~1e-17) must stay negligible, not be blown up to O(1).
    static func commonNullity(_ parts: [(block: Matrix, wholeNorm: Double)]) throws -> Int {
        guard let size = parts.first?.block.rows, size > 0 else { return 0 }
        let scaled = parts.filter { $0.wholeNorm > 0 }.map { $0.block.scaled(by: 1 / $0.wholeNorm) }
        let sum = scaled.reduce(Matrix(rows: size, columns: size), +)
        return try sum.symmetricEigenvalues().filter { abs($0) <= Tolerance.structuralRank }.count
    }

    /// −κ(γ) = −η_D(γ·[l2] + μ): the closed-form eigenvalue of every direction outside the reduced problem that
    /// the flow damps at all (inner weights, readout directions no point excites, WGAN's c).
    public func complementEigenvalue(gamma: Double) -> Double {
        -etaD * ((regularizer == .l2 ? gamma : 0) + weightDecay)
    }

    /// The damping matrix A(γ) in the reduced basis.
    func damping(gamma: Double) -> Matrix {
        var a = fixedDamping
        for i in a.storage.indices { a.storage[i] += gamma * strengthDamping.storage[i] }
        return a
    }
}
