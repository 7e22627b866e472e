import Foundation
import GSLBridge

/// γ* = argmax r(γ) on an interval (spec §6), with what the optimum is made of.
public struct OptimalStrength: Sendable {
    /// How γ* relates to the structure of the spectrum: the honest name of the optimum.
    public enum Relation: Sendable, Equatable {
        /// γ* is the exceptional point of the dominant mode (to 1e-5 relative): its pair merges on the real axis
        /// there, so the optimum is that oscillator's critical damping (ζ = 1). The one-mode case (Dirac GAN).
        case exceptionalPoint(Double)
        /// Two branches exchange the lead at γ*: an oscillatory branch whose rate rises with γ meets a real one
        /// whose rate falls. The dominant oscillator is then *not* critically damped (ζ < 1): the many-mode case.
        case branchCrossing
        /// The rate is largest at an end of the interval: widen it.
        case intervalEnd
        /// A smooth interior maximum of one branch's rate.
        case smoothMaximum
        /// The rate is flat at its maximum (to 1e-9 relative): a mode γ cannot move caps it, e.g. weight decay's
        /// −η_D μ. γ* is the first scan point on the plateau.
        case plateau
    }

    public let gamma: Double
    public let rate: Double
    public let dominant: Mode?
    /// Regimes at γ*(1 − 10⁻³) and γ*(1 + 10⁻³).
    public let regimeBelow: Regime
    public let regimeAbove: Regime
    public let criticalPoints: [CriticalPoint]
    public let relation: Relation
    /// ζ of the slowest oscillatory mode at γ* (nil when no mode oscillates there): 1 at an exceptional point,
    /// below 1 at a branch crossing.
    public let oscillatorDampingRatio: Double?
    /// The log scan the refinement started from.
    public let scan: Sweep

    /// Scans `steps` log-spaced γ in [from, to], then refines the best bracket with GSL's Brent minimiser on −r(γ)
    /// to relative 1e-6.
    public static func find(
        _ source: ModelSource, from: Double, to: Double, steps: Int = 61, progress: ProgressHandler? = nil
    ) throws -> OptimalStrength {
        let grid = try SweepGrid(from: from, to: to, steps: steps, scale: .log)
        let scan = try Sweep.run(source, values: grid.values, progress: progress)
        let rates = scan.points.map(\.spectrum.rate)
        // Ties within rounding (the scan and the refinement may run BLAS with different threading, and a change of
        // summation order moves a plateau's rates by ~1e-17) are a plateau, whose first point is γ*: taking the
        // largest of equal rates would let rounding pick any point of it.
        let top = rates.max()!
        let margin = 1e-9 * abs(top)
        let best = rates.firstIndex { $0 >= top - margin }!
        let rateAt: (Double) throws -> Double = { try Sweep.spectrum(source, parameter: .strength, value: $0).rate }

        var gamma = scan.points[best].value
        let onBoundary = best == 0 || best == rates.count - 1
        let flat = !onBoundary && (rates[best] - rates[best - 1] <= margin || rates[best] - rates[best + 1] <= margin)
        if !onBoundary, !flat {
            var failure: (any Error)?
            gamma = try GSLMinimizer.minimize(
                { γ in
                    do { return -(try rateAt(γ)) } catch {
                        failure = failure ?? error
                        return .infinity
                    }
                }, lower: scan.points[best - 1].value, guess: gamma, upper: scan.points[best + 1].value,
                relativeTolerance: Tolerance.refinement)
            if let failure { throw failure }
        }
        let spectrum = try Sweep.spectrum(source, parameter: .strength, value: gamma)
        let critical = try scan.criticalPoints(source)
        let relation: Relation
        if onBoundary {
            relation = .intervalEnd
        } else if flat {
            relation = .plateau
        } else if let point = critical.first(where: { abs($0.value - gamma) <= 1e-5 * gamma }) {
            relation = point.mechanism == .merge ? .exceptionalPoint(point.value) : .branchCrossing
        } else if spectrum.hasRateCrossing {
            relation = .branchCrossing
        } else {
            relation = .smoothMaximum
        }
        let oscillator = spectrum.activeModesByRate.first { $0.kind == .oscillatory }
        return OptimalStrength(
            gamma: gamma, rate: spectrum.rate, dominant: spectrum.dominantMode,
            regimeBelow: try Sweep.spectrum(source, parameter: .strength, value: gamma * (1 - 1e-3)).regime,
            regimeAbove: try Sweep.spectrum(source, parameter: .strength, value: gamma * (1 + 1e-3)).regime,
            criticalPoints: critical, relation: relation, oscillatorDampingRatio: oscillator?.dampingRatio, scan: scan)
    }
}

extension OptimalStrength.Relation {
    /// A sentence completing "γ* is …".
    public var sentence: String {
        switch self {
        case let .exceptionalPoint(value):
            return "the exceptional point of the dominant mode, γ_c = \(Format.refined(value)): its critical damping"
        case .branchCrossing:
            return
                "a crossing of two branches: a rising oscillatory rate meets a falling real one (not critical damping)"
        case .intervalEnd: return "at an end of the searched interval; widen the interval"
        case .smoothMaximum: return "a smooth maximum of the dominant branch's rate"
        case .plateau: return "on a plateau of r(γ): a mode γ cannot move (e.g. weight decay's −η_D μ) caps the rate"
        }
    }

    /// The JSON key.
    public var key: String {
        switch self {
        case .exceptionalPoint: return "exceptionalPoint"
        case .branchCrossing: return "branchCrossing"
        case .intervalEnd: return "intervalEnd"
        case .smoothMaximum: return "smoothMaximum"
        case .plateau: return "plateau"
        }
    }
}

extension Spectrum {
    /// Whether the two slowest distinct branches (one member per conjugate pair) decay at rates equal to 1e-4
    /// relative: the signature of an optimum where two modes exchange the lead.
    var hasRateCrossing: Bool {
        let distinct = activeModesByRate.filter { $0.eigenvalue.imaginary >= 0 }
        guard distinct.count >= 2 else { return false }
        return abs(distinct[1].rate - distinct[0].rate) <= 1e-4 * max(abs(distinct[0].rate), 1e-300)
    }
}
