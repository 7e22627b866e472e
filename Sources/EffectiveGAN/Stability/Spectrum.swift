import Numerics

/// How one eigenvalue is classified (spec §6).
public enum ModeKind: String, Sendable, CaseIterable, Codable {
    /// A symmetry direction: counted by structure at the matched equilibrium (`NeutralBreakdown`), or |λ| ≤ 1e-8 ρ
    /// where no structure applies.
    case neutral
    /// Active with |Im λ| above the mode's rounding level: a ringing (underdamped) oscillator.
    case oscillatory
    /// Active with |Im λ| within the mode's rounding level: a purely decaying (overdamped) or growing mode.
    case real
}

/// The rule that decided which modes are neutral (reported in text and JSON).
public enum NeutralRule: String, Sendable, Codable {
    /// Ranks of the reduced blocks at the matched equilibrium (`OscillatorStructure`): independent of γ.
    case structure
    /// The fallback |λ| ≤ 1e-8 ρ of the whole matrix (states or methods without the structure).
    case tolerance
}

/// The whole system's regime at one regulariser strength (spec §6).
public enum Regime: String, Sendable, CaseIterable, Codable {
    /// The dominant mode grows beyond its rounding level.
    case unstable
    /// The dominant mode neither grows nor decays beyond its rounding level: undamped ringing (e.g. γ = 0).
    case marginal
    /// Converges, and the slowest (dominant) mode oscillates.
    case underdamped
    /// Converges, and the dominant mode is real.
    case overdamped
    /// No active modes at all: every direction is a symmetry.
    case neutral
}

/// One eigenvalue with the quantities reported for it.
public struct Mode: Sendable, Equatable, Codable {
    public let eigenvalue: Complex<Double>
    public let kind: ModeKind
    /// The absolute size below which Re λ is rounding (decides growth, decay and `marginal`): 1e-8 ρ under the
    /// tolerance rule; under the structure rule 1e-12 ν, ν the norm of the matrix λ came from in λ's units
    /// (backward error ε·ν with a condition allowance of ~10⁴), so a slow mode is judged on its own scale.
    public let roundingLevel: Double
    /// The size below which Im λ is rounding (decides oscillatory or real): 1e-8 ρ under the tolerance rule, else
    /// 1e-8 √(ν|λ|), the split that a perturbation ε·ν opens in a critically damped (defective) pair.
    public let splittingLevel: Double
    /// How many times λ occurs: 1 for a computed eigenvalue, the size of the group for a closed-form one (the
    /// particle directions at λ = 0, or every direction at −η_D(γ[l2] + μ)), which is never expanded — at d = 784
    /// there are hundreds of thousands.
    public let multiplicity: Int

    public init(
        eigenvalue: Complex<Double>, kind: ModeKind, roundingLevel: Double, splittingLevel: Double,
        multiplicity: Int = 1
    ) {
        self.eigenvalue = eigenvalue
        self.kind = kind
        self.roundingLevel = roundingLevel
        self.splittingLevel = splittingLevel
        self.multiplicity = multiplicity
    }

    /// An active mode, oscillatory when |Im λ| exceeds its splitting level.
    init(active eigenvalue: Complex<Double>, roundingLevel: Double, splittingLevel: Double) {
        self.init(
            eigenvalue: eigenvalue, kind: abs(eigenvalue.imaginary) > splittingLevel ? .oscillatory : .real,
            roundingLevel: roundingLevel, splittingLevel: splittingLevel)
    }

    /// λ with parts inside the rounding level set to exactly 0: what is printed, sorted and compared, so that
    /// rounding noise (the 1e-17 real part of an undamped mode) neither shows nor orders anything.
    public var resolvedEigenvalue: Complex<Double> {
        Complex(
            abs(eigenvalue.real) <= roundingLevel ? 0 : eigenvalue.real,
            abs(eigenvalue.imaginary) <= splittingLevel ? 0 : eigenvalue.imaginary)
    }

    /// Decay rate −Re λ (negative: growth), 0 within rounding.
    public var rate: Double { -resolvedEigenvalue.real }
    /// Angular frequency |Im λ|, 0 within rounding.
    public var frequency: Double { abs(resolvedEigenvalue.imaginary) }
    /// Damping ratio ζ = −Re λ / |λ| (1 for a decaying real mode, 0 for undamped ringing).
    public var dampingRatio: Double {
        let λ = resolvedEigenvalue
        return λ.length > 0 ? -λ.real / λ.length : 0
    }
    /// Whether the mode grows beyond rounding.
    public var grows: Bool { eigenvalue.real > roundingLevel }
}

/// The neutral directions of a matched equilibrium, by origin (`OscillatorStructure`).
public struct NeutralBreakdown: Sendable, Equatable, Codable {
    /// Particle directions no readout slope sees: N·d − rank Σ_i G_iᵀG_i (e.g. spread inside a mode).
    public let unseenParticleDirections: Int
    /// Particle directions the discriminator sees but the kernel cannot move: rank Σ GᵀG − rank S.
    public let immobileParticleDirections: Int
    /// Inner weights W, b at a = 0 without decay.
    public let innerWeights: Int
    /// Readout directions no point excites (unseen features), undamped without l2 or weight decay.
    public let unseenFeatures: Int
    /// WGAN's output bias c, undamped without l2 or weight decay.
    public let outputBias: Int
    /// Readout directions the particles cannot answer and nothing damps (the null space of the damping there).
    public let undampedReadout: Int

    /// Symmetries of the discriminator.
    public var discriminatorSymmetries: Int { innerWeights + unseenFeatures + outputBias + undampedReadout }
    /// Directions of the particles that the flow leaves alone.
    public var particleDirections: Int { unseenParticleDirections + immobileParticleDirections }
    public var total: Int { discriminatorSymmetries + particleDirections }
}

/// The classified spectrum of a Jacobian (spec §6).
public struct Spectrum: Sendable, Codable {
    /// All eigenvalues, classified.
    public let modes: [Mode]
    /// ρ = max(1, max|λ|).
    public let scale: Double
    public let neutralRule: NeutralRule
    /// Where the neutral modes come from (structure rule only).
    public let neutralBreakdown: NeutralBreakdown?
    /// Whether every active mode decays by structure (the damping block is definite): the regime is then
    /// underdamped or overdamped however small the rate.
    public let strictlyDamped: Bool

    /// Classifies eigenvalues with the fallback tolerances of spec §6: neutral when |λ| ≤ 1e-8 ρ, oscillatory
    /// when |Im λ| > 1e-8 ρ.
    public init(eigenvalues: [Complex<Double>]) {
        let scale = max(1, eigenvalues.map(\.length).max() ?? 0)
        let width = Tolerance.spectral * scale
        self.scale = scale
        neutralRule = .tolerance
        neutralBreakdown = nil
        strictlyDamped = false
        modes = eigenvalues.map { λ in
            λ.length <= width
                ? Mode(eigenvalue: λ, kind: .neutral, roundingLevel: width, splittingLevel: width)
                : Mode(active: λ, roundingLevel: width, splittingLevel: width)
        }
    }

    /// A spectrum whose modes were classified by structure.
    init(structuredModes: [Mode], breakdown: NeutralBreakdown, strictlyDamped: Bool) {
        modes = structuredModes
        scale = max(1, structuredModes.map(\.eigenvalue.length).max() ?? 0)
        neutralRule = .structure
        neutralBreakdown = breakdown
        self.strictlyDamped = strictlyDamped
    }

    /// Modes that are not neutral.
    public var activeModes: [Mode] { modes.filter { $0.kind != .neutral } }

    /// Every eigenvalue, closed-form groups expanded to their multiplicity (one per dimension of the state).
    public var eigenvalues: [Complex<Double>] {
        modes.flatMap { Array(repeating: $0.eigenvalue, count: $0.multiplicity) }
    }

    /// The state dimension the spectrum describes: Σ multiplicities.
    public var dimension: Int { modes.reduce(0) { $0 + $1.multiplicity } }

    /// Active modes sorted slowest first (ascending rate), then by descending frequency, then Im λ ≥ 0 first.
    public var activeModesByRate: [Mode] {
        activeModes.sorted {
            if $0.rate != $1.rate { return $0.rate < $1.rate }
            if $0.frequency != $1.frequency { return $0.frequency > $1.frequency }
            return $0.eigenvalue.imaginary > $1.eigenvalue.imaginary
        }
    }

    /// max Re λ over active modes, 0 within rounding (nil without active modes).
    public var maxActiveReal: Double? { activeModes.map(\.resolvedEigenvalue.real).max() }

    /// Convergence rate r = −max Re λ over active modes (0 without active modes).
    public var rate: Double { -(maxActiveReal ?? 0) }

    /// The dominant mode: the active λ with the largest real part; an exact tie (a conjugate pair, or a degenerate
    /// real part) goes to the larger |Im λ| (spec §6), and of a conjugate pair to the member with Im λ > 0.
    ///
    /// Ties are exact rather than within a tolerance so that a critical point (where the dominant kind switches) is
    /// exactly where the slowest oscillatory and real rates cross, independent of the spectrum's scale ρ.
    /// Compared on the resolved values: at γ = 0 every real part is rounding, and the tie goes to the frequency.
    public var dominantMode: Mode? {
        activeModes.max { a, b in
            let (λa, λb) = (a.resolvedEigenvalue, b.resolvedEigenvalue)
            if λa.real != λb.real { return λa.real < λb.real }
            if a.frequency != b.frequency { return a.frequency < b.frequency }
            return λa.imaginary < λb.imaginary
        }
    }

    /// The system regime (spec §6), judged on the dominant mode's own rounding level.
    public var regime: Regime {
        guard let dominant = dominantMode else { return .neutral }
        if !strictlyDamped {
            if dominant.grows { return .unstable }
            if abs(dominant.eigenvalue.real) <= dominant.roundingLevel { return .marginal }
        }
        return dominant.kind == .oscillatory ? .underdamped : .overdamped
    }

    /// How many eigenvalues of each kind (with multiplicity).
    public func count(of kind: ModeKind) -> Int {
        modes.lazy.filter { $0.kind == kind }.reduce(0) { $0 + $1.multiplicity }
    }

    /// Active eigenvalues that grow beyond rounding (with multiplicity).
    public var unstableCount: Int { activeModes.lazy.filter(\.grows).reduce(0) { $0 + $1.multiplicity } }
}
