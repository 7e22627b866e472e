import Numerics

/// How one eigenvalue is classified (spec §6).
public enum ModeKind: String, Sendable, CaseIterable {
    /// |λ| ≤ 1e-8 ρ: a symmetry direction (frozen features a cannot see, WGAN's bias c, inner weights at a = 0).
    case neutral
    /// Active with |Im λ| > 1e-8 ρ: a ringing (underdamped) oscillator.
    case oscillatory
    /// Active with |Im λ| ≤ 1e-8 ρ: a purely decaying (overdamped) or growing mode.
    case real
}

/// The whole system's regime at one regulariser strength (spec §6).
public enum Regime: String, Sendable, CaseIterable {
    /// max Re λ > 1e-8 ρ over active modes: perturbations grow.
    case unstable
    /// |max Re λ| ≤ 1e-8 ρ: undamped ringing (e.g. γ = 0), no convergence.
    case marginal
    /// Converges, and the slowest (dominant) mode oscillates.
    case underdamped
    /// Converges, and the dominant mode is real.
    case overdamped
    /// No active modes at all: every direction is a symmetry.
    case neutral
}

/// One eigenvalue with the quantities reported for it.
public struct Mode: Sendable, Equatable {
    public let eigenvalue: Complex<Double>
    public let kind: ModeKind

    /// Decay rate −Re λ (negative: growth).
    public var rate: Double { -eigenvalue.real }
    /// Angular frequency |Im λ|.
    public var frequency: Double { abs(eigenvalue.imaginary) }
    /// Damping ratio ζ = −Re λ / |λ| (1 for a decaying real mode, 0 for undamped ringing).
    public var dampingRatio: Double {
        let magnitude = eigenvalue.length
        return magnitude > 0 ? -eigenvalue.real / magnitude : 0
    }
}

/// The classified spectrum of a Jacobian (spec §6).
public struct Spectrum: Sendable {
    /// All eigenvalues, classified, in LAPACK's order.
    public let modes: [Mode]
    /// ρ = max(1, max|λ|): the scale the relative tolerances refer to.
    public let scale: Double

    /// Classifies eigenvalues with the tolerances of spec §6.
    public init(eigenvalues: [Complex<Double>]) {
        let scale = max(1, eigenvalues.map(\.length).max() ?? 0)
        let width = Tolerance.spectral * scale
        self.scale = scale
        modes = eigenvalues.map { λ in
            let kind: ModeKind =
                λ.length <= width ? .neutral : (abs(λ.imaginary) > width ? .oscillatory : .real)
            return Mode(eigenvalue: λ, kind: kind)
        }
    }

    /// The absolute tolerance 1e-8·ρ.
    public var width: Double { Tolerance.spectral * scale }

    /// Modes that are not neutral.
    public var activeModes: [Mode] { modes.filter { $0.kind != .neutral } }

    /// Active modes sorted slowest first (ascending rate), then by descending frequency, then Im λ ≥ 0 first.
    public var activeModesByRate: [Mode] {
        activeModes.sorted {
            if $0.rate != $1.rate { return $0.rate < $1.rate }
            if $0.frequency != $1.frequency { return $0.frequency > $1.frequency }
            return $0.eigenvalue.imaginary > $1.eigenvalue.imaginary
        }
    }

    /// max Re λ over active modes (nil without active modes).
    public var maxActiveReal: Double? { activeModes.map(\.eigenvalue.real).max() }

    /// Convergence rate r = −max Re λ over active modes (0 without active modes).
    public var rate: Double { -(maxActiveReal ?? 0) }

    /// The dominant mode: the active λ with the largest real part; an exact tie (a conjugate pair, or a degenerate
    /// real part) goes to the larger |Im λ| (spec §6), and of a conjugate pair to the member with Im λ > 0.
    ///
    /// Ties are exact rather than within 1e-8 ρ so that a critical point (where the dominant kind switches) is
    /// exactly where the slowest oscillatory and real rates cross, independent of the spectrum's scale ρ.
    public var dominantMode: Mode? {
        activeModes.max { a, b in
            if a.eigenvalue.real != b.eigenvalue.real { return a.eigenvalue.real < b.eigenvalue.real }
            if a.frequency != b.frequency { return a.frequency < b.frequency }
            return a.eigenvalue.imaginary < b.eigenvalue.imaginary
        }
    }

    /// The system regime (spec §6).
    public var regime: Regime {
        guard let top = maxActiveReal, let dominant = dominantMode else { return .neutral }
        if top > width { return .unstable }
        if abs(top) <= width { return .marginal }
        return dominant.kind == .oscillatory ? .underdamped : .overdamped
    }

    /// How many modes of each kind.
    public func count(of kind: ModeKind) -> Int { modes.lazy.filter { $0.kind == kind }.count }

    /// Active modes with Re λ > 1e-8 ρ.
    public var unstableCount: Int { activeModes.lazy.filter { $0.eigenvalue.real > self.width }.count }
}
