import Foundation
import GSLBridge
import LinearAlgebra
import Numerics

/// A linear prediction checked against the full nonlinear simulation at one γ.
public struct CrossCheck: Sendable, Codable {
    public let gamma: Double
    public let regime: Regime
    /// r(γ) and |Im λ| of the dominant mode, from the Jacobian.
    public let predictedRate: Double
    public let predictedFrequency: Double
    /// The same, fitted to the simulated signal.
    public let measuredRate: Double
    public let measuredFrequency: Double
    /// The tolerance the comparison used (relative).
    public let tolerance: Double
    /// How far the simulation ran.
    public let tEnd: Double
    /// What the nonlinear run cost.
    public var statistics = IntegratorStatistics()

    /// |measured − predicted| / predicted for the rate.
    public var rateError: Double { abs(measuredRate - predictedRate) / predictedRate }
    /// The same for the frequency, relative to the mode's |λ| (so a real mode's frequency 0 compares sensibly).
    public var frequencyError: Double {
        abs(measuredFrequency - predictedFrequency)
            / (predictedRate * predictedRate + predictedFrequency * predictedFrequency).squareRoot()
    }
    public var passed: Bool { rateError <= tolerance && frequencyError <= tolerance }
}

extension EffectiveModel {
    /// Perturbs z* along the dominant eigenmode, integrates the nonlinear flow, and fits the decay rate and
    /// frequency of the response.
    ///
    /// The perturbation is ε·Re(e^{iφ} v)/‖Re(e^{iφ} v)‖ for the dominant right eigenvector v with a seeded phase φ,
    /// so the late response is that mode alone and the fit measures its λ without contamination from modes of
    /// similar rate. The displacement from z* is integrated with `rk8pd` (rtol 1e-10, atol 1e-7·ε: tight relative to the signal, yet above the ~1e-16 rounding noise of F(z* + δ) in
    /// directions the mode does not move), or with the
    /// implicit `msbdf` when the spectrum is stiff over the run (max|λ|·t_end > 10⁴) and its dense Jacobians fit the
    /// memory budget (digits100's would need 22 GB: it stays explicit). The signal
    /// is the projection of the particle displacement on the initial one (the whole state's when the mode barely
    /// moves the particles). Fit, on the last two thirds of the run: a real mode by log-linear regression of |s|; an
    /// oscillatory mode by Prony's method of order 2 (s_{k+1} = a₁ s_k + a₂ s_{k−1} by least squares; the roots of
    /// z² − a₁z − a₂ are e^{λΔ}).
    ///
    /// - Parameter structure: the model's oscillator structure when the caller has it (it does not depend on γ:
    ///   `ModelSource.oscillatorStructure()`); nil builds it here.
    public func crossCheck(
        epsilon: Double = 1e-5, seed: Int = 1, tolerance: Double = 0.02, structure: OscillatorStructure? = nil
    ) throws -> CrossCheck {
        // Below 1e-12 the response drowns in the field's rounding (1e-16 relative to O(1) states) and the decay fit
        // is meaningless (at 1e-308 it is subnormal); above 0.1 the response is no longer linear.
        guard epsilon >= 1e-12, epsilon <= 0.1 else {
            throw InvalidSetting(
                .perturbation, "must lie in [1e-12, 0.1] for a linear, measurable response (got \(epsilon))")
        }
        let structure = try structure ?? OscillatorStructure(self)
        // The prediction is the analysis's (oscillator structure, neutral modes by structure); the mode's
        // eigenvector comes from the structure too, or from a dense decomposition where there is none.
        let spectrum = try StabilityAnalysis(model: self, structure: structure).spectrum
        guard let dominant = spectrum.dominantMode, spectrum.regime == .underdamped || spectrum.regime == .overdamped
        else {
            throw SimulationError.notConverging(gamma: gamma, regime: spectrum.regime)
        }
        let vector = try dominantEigenvector(near: dominant.eigenvalue, structure: structure)
        let phase = 2 * Double.pi * MersenneTwister(seed: UInt(bitPattern: seed)).uniform()
        let rotated = vector.map { ($0 * Complex(cos(phase), sin(phase))).real }
        let norm = euclideanNorm(rotated)
        let displacement = rotated.map { epsilon * $0 / norm }

        let particleShare = euclideanNorm(displacement[..<particleBlockLength]) / epsilon
        let probe = particleShare >= 1e-3 ? particleBlockLength : stateDimension
        let direction = Array(displacement[..<probe])

        let r = dominant.rate
        let ω = dominant.frequency
        let oscillatory = dominant.kind == .oscillatory
        let (tEnd, spacing, count) = try Self.crossCheckSchedule(dominant, scale: spectrum.scale)
        // Explicit steps are bounded by stability at ~ 4/max|λ|: past ~2.5·10⁴ of them, only an implicit stepper is
        // practical, and it needs dense Jacobians.
        let stiffness = spectrum.scale * tEnd
        if stiffness > 1e5, !implicitStepperFits {
            throw SimulationError.tooStiffToCheck(stiffness: stiffness, implicitBytes: implicitStepperBytes)
        }

        let integrator = ODEIntegrator(
            system: odeSystem(offset: equilibriumState),
            stepper: spectrum.scale * tEnd > 1e4 && implicitStepperFits ? .msbdf : .rk8pd,
            relativeTolerance: 1e-10,
            absoluteTolerance: 1e-7 * epsilon, initialStep: spacing / 10)
        var y = displacement
        var time = 0.0
        var signal: [Double] = []
        for k in 0...count {
            try integrator.advance(&y, time: &time, to: Double(k) * spacing)
            signal.append(zip(direction, y[..<probe]).reduce(0) { $0 + $1.0 * $1.1 } / epsilon)
        }
        let late = Array(signal[(signal.count / 3)...])
        let (measuredRate, measuredFrequency) =
            oscillatory ? Self.pronyFit(late, spacing: spacing) : (Self.logLinearRate(late, spacing: spacing), 0)
        var check = CrossCheck(
            gamma: gamma, regime: spectrum.regime, predictedRate: r, predictedFrequency: ω, measuredRate: measuredRate,
            measuredFrequency: measuredFrequency, tolerance: tolerance, tEnd: tEnd)
        check.statistics = integrator.statistics
        return check
    }

    /// When and how long a cross-check samples the response of its dominant mode. Only that mode is excited, so
    /// there is no transient to wait out: two e-foldings pin the rate. An oscillation is followed for up to 20
    /// periods (at least 4, unless it has decayed by e⁻⁶ before), sampled at least 16 times per period and 300
    /// times per run.
    static func crossCheckSchedule(_ dominant: Mode, scale: Double) throws -> (tEnd: Double, spacing: Double, count: Int) {
        let r = dominant.rate
        let oscillatory = dominant.kind == .oscillatory
        let period = oscillatory ? 2 * Double.pi / dominant.frequency : .infinity
        let tEnd = oscillatory ? min(max(2 / r, min(4 * period, 6 / r)), max(20 * period, 2 / r)) : 2 / r
        let spacing = min(oscillatory ? period / 16 : .infinity, tEnd / 300)
        // A mode decaying at a denormal rate (γ ~ 1e-308) would need an endless run: refused, not a trap.
        guard (tEnd / spacing).isFinite, tEnd / spacing <= 1e6, (tEnd * scale).isFinite else {
            throw SimulationError.tooSlowToCheck(rate: r, tEnd: tEnd)
        }
        return (tEnd, spacing, Int((tEnd / spacing).rounded()))
    }

    /// The right eigenvector of J at z* nearest `eigenvalue`: from the oscillator structure where it applies (no
    /// dense J: digits100 has 23 297 state dimensions), else from a dense decomposition within the memory budget.
    func dominantEigenvector(near eigenvalue: Complex<Double>, structure: OscillatorStructure?) throws
        -> [Complex<Double>]
    {
        if let structure {
            return try structure.eigenvector(nearest: eigenvalue, model: self)
        }
        try checkDenseBudget()
        let decomposition = try jacobian(at: equilibriumState).eigenDecomposition()
        let index = decomposition.values.indices.min {
            (decomposition.values[$0] - eigenvalue).length < (decomposition.values[$1] - eigenvalue).length
        }!
        return decomposition.vectors[index]
    }

    /// −slope of ln|s| against time, by least squares.
    static func logLinearRate(_ signal: [Double], spacing: Double) -> Double {
        let points = signal.enumerated().filter { $0.element != 0 }.map {
            (Double($0.offset) * spacing, log(abs($0.element)))
        }
        let n = Double(points.count)
        let meanT = points.reduce(0) { $0 + $1.0 } / n
        let meanY = points.reduce(0) { $0 + $1.1 } / n
        let covariance = points.reduce(0) { $0 + ($1.0 - meanT) * ($1.1 - meanY) }
        let variance = points.reduce(0) { $0 + ($1.0 - meanT) * ($1.0 - meanT) }
        return -covariance / variance
    }

    /// (rate, frequency) of a damped oscillation by Prony's method of order 2.
    static func pronyFit(_ s: [Double], spacing: Double) -> (Double, Double) {
        var a11 = 0.0, a12 = 0.0, a22 = 0.0, b1 = 0.0, b2 = 0.0
        for k in 1..<(s.count - 1) {
            a11 += s[k] * s[k]
            a12 += s[k] * s[k - 1]
            a22 += s[k - 1] * s[k - 1]
            b1 += s[k + 1] * s[k]
            b2 += s[k + 1] * s[k - 1]
        }
        let determinant = a11 * a22 - a12 * a12
        let c1 = (b1 * a22 - b2 * a12) / determinant
        let c2 = (a11 * b2 - a12 * b1) / determinant
        let discriminant = c1 * c1 + 4 * c2
        if discriminant >= 0 {
            let largest = max(abs((c1 + discriminant.squareRoot()) / 2), abs((c1 - discriminant.squareRoot()) / 2))
            return (-log(largest) / spacing, 0)
        }
        let root = Complex(c1 / 2, (-discriminant).squareRoot() / 2)
        return (-log(root.length) / spacing, abs(atan2(root.imaginary, root.real)) / spacing)
    }
}
