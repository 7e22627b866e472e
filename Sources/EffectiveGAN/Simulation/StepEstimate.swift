import GSLBridge

/// A cost estimate made before an explicit ODE run starts, so that a run which cannot finish within the step
/// budget is refused at once instead of grinding for minutes until GSL gives up ("too many steps").
///
/// Near the equilibrium an explicit stepper's step is bounded by stability, h ≤ c/ρ(J) with ρ the spectral radius
/// of the linearised flow and c the length of the stepper's stability interval on the negative real axis (about 2
/// for rk2, 2.8 for rk4, 6 for rk8pd). So a run to t_end needs at least t_end·ρ/c steps; with c = 8, larger
/// than any of GSL's explicit steppers, the estimate is a lower bound and a run it refuses could not have finished.
extension EffectiveModel {
    /// The stability interval used for every explicit stepper (an upper bound on theirs, so the estimate errs low).
    public static let explicitStabilityInterval = 8.0

    /// The fewest steps an explicit stepper needs to reach `tEnd` near z*, or nil where no spectrum is at hand
    /// (no equilibrium, or a dense Jacobian too large to diagonalise for an estimate).
    public func explicitStepsNeeded(tEnd: Double, structure: OscillatorStructure?) -> Double? {
        guard structure != nil || stateDimension <= 2000,
            let spectrum = try? StabilityAnalysis(model: self, structure: structure).spectrum
        else { return nil }
        let radius = spectrum.eigenvalues.map(\.length).max() ?? 0
        return tEnd * radius / Self.explicitStabilityInterval
    }
}

extension SimulationSettings {
    /// Refuses an explicit ODE run whose step estimate (`explicitStepsNeeded`) is above the integrator's budget of
    /// `ODEIntegrator` steps, naming the estimate and the ways out.
    public func checkExplicitSteps(for model: EffectiveModel, structure: OscillatorStructure?) throws {
        guard case let .ode(stepper) = integrator, !stepper.usesJacobian,
            let steps = model.explicitStepsNeeded(tEnd: tEnd, structure: structure),
            steps > Double(Self.odeStepBudget)
        else { return }
        throw InvalidSetting(
            .endTime,
            "is \(Format.number(tEnd)): \(stepper.rawValue) needs at least \(Format.number(steps, digits: 3)) steps to get there (the flow's stiffest mode has |λ| = \(Format.number(steps * EffectiveModel.explicitStabilityInterval / tEnd, digits: 3))), above the budget of 10⁶; shorten the run, or use an implicit stepper (msbdf) or gradient steps")
    }
}
