import Foundation
import LinearAlgebra
import Numerics

/// Plain gradient steps of size h on the flow (spec §7).
public enum SteppingScheme: String, CaseIterable, Sendable {
    /// z ← z + h F(z): generator and discriminator step together.
    case simultaneous
    /// Discriminator first (k times), then the generator using the new θ.
    case alternating
}

/// The linearised one-round map T of discrete training at the equilibrium, and its stability (spec §7).
///
/// Stability means spectral radius < 1 on the active directions. Neutral directions of J (symmetries) are fixed by
/// every scheme (T v = v for J v = 0), so they are excluded: for simultaneous steps by mapping only J's active
/// eigenvalues μ = 1 + hλ; for alternating steps by dropping the neutral eigenvalues of T nearest to 1.
///
/// Where the oscillator structure applies, T is built on J's reduced invariant subspace
/// (`OscillatorStructure.reducedJacobian`, size 2s + n_q) instead of the dense J: digits100 (23 297 state
/// dimensions) needs a 506-dimensional map, not a 4 GB one. The closed-form discriminator complement contributes
/// |1 − hκ|^k. Tests compare both forms.
public struct DiscreteTraining: Sendable {
    public let scheme: SteppingScheme
    /// Discriminator steps per round n_d (alternating only).
    public let criticSteps: Int
    /// Generator steps per round n_g (alternating only).
    public let generatorSteps: Int
    /// J itself, or J on the structure's reduced invariant subspace.
    let jacobian: Matrix
    /// How many leading coordinates of `jacobian` belong to the generator.
    let particleBlockLength: Int
    /// Eigenvalues 0 of `jacobian` (symmetries), whose multipliers 1 are dropped.
    let neutralCount: Int
    /// −κ for the closed-form discriminator directions outside a reduced `jacobian` (nil when there are none, or
    /// when `jacobian` is the dense J).
    let complementEigenvalue: Double?
    let spectrum: Spectrum

    /// A map is called stable when its restricted spectral radius is below 1 − 1e-12 (so that exactly
    /// marginal maps, |μ| = 1 up to rounding, are not called stable).
    public static let stabilityMargin = 1e-12

    /// - Parameters:
    ///   - reduced: build T on the structure's reduced subspace where it applies (false: always the dense J; the
    ///     tests compare the two).
    ///   - structure: the model's oscillator structure when the caller has it (γ-independent); nil builds it here.
    public init(
        model: EffectiveModel, scheme: SteppingScheme, criticSteps: Int = 1, generatorSteps: Int = 1,
        reduced: Bool = true, structure: OscillatorStructure? = nil
    ) throws {
        guard criticSteps >= 1 else { throw InvalidSetting(.criticSteps, "must be at least 1 (got \(criticSteps))") }
        guard generatorSteps >= 1 else {
            throw InvalidSetting(.generatorSteps, "must be at least 1 (got \(generatorSteps))")
        }
        if scheme == .simultaneous, criticSteps != 1 || generatorSteps != 1 {
            throw InvalidSetting(
                criticSteps != 1 ? .criticSteps : .generatorSteps,
                "applies to {0} alternating only (simultaneous steps move both players at once)", mentioning: [.scheme])
        }
        self.scheme = scheme
        self.criticSteps = criticSteps
        self.generatorSteps = generatorSteps
        let structure = try structure ?? OscillatorStructure(model)
        spectrum = try StabilityAnalysis(model: model, structure: structure).spectrum
        if reduced, let structure {
            jacobian = structure.reducedJacobian(gamma: model.gamma)
            particleBlockLength = structure.reducedGeneratorLength
            neutralCount = structure.reducedNeutralCount(gamma: model.gamma)
            complementEigenvalue =
                structure.complementCount > 0 ? structure.complementEigenvalue(gamma: model.gamma) : nil
        } else {
            try model.checkDenseBudget()
            jacobian = model.jacobian(at: model.equilibriumState)
            particleBlockLength = model.particleBlockLength
            neutralCount = spectrum.count(of: .neutral)
            complementEigenvalue = nil
        }
    }

    /// T(h): I + hJ (simultaneous), or S_G^{n_g} S_D^{n_d} with S_D = I + h E_θ J and S_G = I + h E_x J
    /// (alternating; n_d = n_g = 1 gives the block formula of spec §7), on the reduced subspace where the
    /// structure applies.
    public func transitionMatrix(step h: Double) -> Matrix {
        let n = jacobian.rows
        switch scheme {
        case .simultaneous:
            var t = Matrix.identity(n)
            for i in t.storage.indices { t.storage[i] += h * jacobian.storage[i] }
            return t
        case .alternating:
            var discriminatorStep = Matrix.identity(n)
            var generatorStep = Matrix.identity(n)
            for column in 0..<n {
                for row in 0..<n {
                    if row < particleBlockLength {
                        generatorStep[row, column] += h * jacobian[row, column]
                    } else {
                        discriminatorStep[row, column] += h * jacobian[row, column]
                    }
                }
            }
            var round = Matrix.identity(n)
            for _ in 0..<criticSteps { round = Matrix.product(discriminatorStep, round) }
            for _ in 0..<generatorSteps { round = Matrix.product(generatorStep, round) }
            return round
        }
    }

    /// Spectral radius of T(h) on the active directions: the per-round contraction factor.
    public func contraction(step h: Double) throws -> Double {
        switch scheme {
        case .simultaneous:
            return spectrum.activeModes.map { (Complex(1, 0) + Complex(h, 0) * $0.eigenvalue).length }.max() ?? 0
        case .alternating:
            var multipliers = try transitionMatrix(step: h).eigenvalues()
            if let κ = complementEigenvalue, κ != 0 {
                multipliers.append(Complex(pow(abs(1 + h * κ), Double(criticSteps)), 0))
            }
            for _ in 0..<neutralCount {
                if let nearest = multipliers.indices.min(by: {
                    (multipliers[$0] - Complex(1, 0)).length < (multipliers[$1] - Complex(1, 0)).length
                }) {
                    multipliers.remove(at: nearest)
                }
            }
            return multipliers.map(\.length).max() ?? 0
        }
    }

    public func isStable(step h: Double) throws -> Bool {
        try contraction(step: h) < 1 - DiscreteTraining.stabilityMargin
    }

    /// The closed form for simultaneous steps: min over active λ of −2 Re λ / |λ|² (0 if any Re λ ≥ 0).
    public var simultaneousStepLimit: Double {
        let limits = spectrum.activeModes.map { -2 * $0.eigenvalue.real / $0.eigenvalue.lengthSquared }
        return max(0, limits.min() ?? 0)
    }

    /// The largest h such that every step in (0, h) is stable, by bisection to relative 1e-6.
    ///
    /// A log scan from 10⁻⁴ to 10² times the simultaneous limit (or 1/max|λ|) finds the first unstable step; the
    /// bracket between it and the last stable step is then bisected. Returns 0 when no step is stable (the
    /// continuous flow is not asymptotically stable, e.g. γ = 0).
    public func largestStableStep() throws -> Double {
        guard spectrum.regime == .underdamped || spectrum.regime == .overdamped else { return 0 }
        let scale = simultaneousStepLimit > 0 ? simultaneousStepLimit : 1 / spectrum.scale
        let trial = (0...120).map { scale * pow(10, -4 + Double($0) / 20) }
        var lastStable = 0.0
        var firstUnstable: Double?
        for h in trial {
            if try isStable(step: h) { lastStable = h } else { firstUnstable = h; break }
        }
        guard var upper = firstUnstable else { return .infinity }
        var lower = lastStable
        if lower == 0 { return 0 }
        while upper - lower > Tolerance.refinement * lower {
            let middle = (lower + upper) / 2
            if try isStable(step: middle) { lower = middle } else { upper = middle }
        }
        return (lower + upper) / 2
    }
}
