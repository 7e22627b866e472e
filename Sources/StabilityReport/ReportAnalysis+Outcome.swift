import EffectiveGAN
import Foundation

/// What happened to the run from the initial cloud at γ*: the global outcome, which linear analysis alone does
/// not decide.
public struct GlobalOutcome: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Every mode holds particles and W₂ settled (varied < 10⁻³ relative over the last 10 % of the run).
        case converged
        /// Every mode holds particles, but the cloud is still moving at the end.
        case oscillating
        /// Some modes hold no particle, and the cloud settled there.
        case collapsed
        /// Some modes hold no particle yet, and the cloud is still moving at the end: the run says nothing yet
        /// about where it will settle.
        case unsettled
        /// The run stopped early (NaN or the divergence bound).
        case diverged
    }

    public let kind: Kind
    public let coveredModes: Int
    public let modeCount: Int
    public let finalW2: Double
    public let time: Double

    /// The outcome of `run` for `model` (the collapse studies' criterion for settling).
    init(_ run: SimulationResult, model: EffectiveModel) {
        let last = run.observables.last
        modeCount = model.modes.rows
        coveredModes = last?.coveredModes ?? 0
        finalW2 = last?.wasserstein2 ?? .nan
        time = run.times.last ?? 0
        let tail = run.observables.suffix(max(2, run.observables.count / 10)).map(\.wasserstein2)
        let settled = ((tail.max() ?? 0) - (tail.min() ?? 0)) <= 1e-3 * (1 + (tail.last ?? 0))
        if run.status != .completed {
            kind = .diverged
        } else if coveredModes < modeCount {
            kind = settled ? .collapsed : .unsettled
        } else {
            kind = settled ? .converged : .oscillating
        }
    }

    /// One line for the summary.
    public var sentence: String {
        let state = kind == .unsettled ? "still moving (not settled)" : kind.rawValue
        return
            "\(coveredModes) of \(modeCount) modes covered, \(state), final W₂ = \(Format.number(finalW2)) at t = \(Format.number(time))"
    }
}

extension ReportAnalysis {
    /// How the run from the initial cloud was cut short by the step budget, in words, or nil when it ran to its
    /// planned end (10/r(γ*), at most 10⁵).
    var shortenedRun: String? {
        let planned = plannedGlobalEnd
        let reached = fromInit.times.last ?? 0
        guard case .gradientSteps = integrator.integrator, reached < planned * (1 - 1e-9),
            fromInit.status == .completed
        else { return nil }
        return
            "shortened to \(Format.number(DefaultIntegrator.roundBudget, digits: 3)) gradient steps from the planned 10/r(γ*) = \(Format.number(planned))"
    }

    /// The run from `generator.init` at γ*, judged globally.
    public var globalOutcome: GlobalOutcome { GlobalOutcome(fromInit, model: model) }

    /// When the matched equilibrium is linearly stable at γ* but the run from the initial cloud did not reach it:
    /// a finding about the basin of attraction, not a failure of the linear analysis. Nil when they agree.
    var disagreement: String? {
        let outcome = globalOutcome
        guard outcome.kind != .converged else { return nil }
        if outcome.kind == .unsettled {
            return """
                **The run from the initial cloud had not settled by its end** (t = \(Format.number(outcome.time))\
                \(shortenedRun.map { ", \($0)" } ?? "")): \(outcome.coveredModes) of \(outcome.modeCount) modes held \
                particles then, and the cloud was still moving. It neither confirms nor contradicts the local \
                stability of the equilibrium at γ\\*; run longer (`egan simulate CONFIG --gamma γ* --t-end T`) to \
                see where it settles.
                """
        }
        return """
            **Local stability and the global outcome disagree.** At γ\\* every mode of the matched equilibrium \
            decays (rate ≥ r(γ\\*)), yet the run from the initial cloud ended \(outcome.kind.rawValue) with \
            \(outcome.coveredModes) of \(outcome.modeCount) modes covered. Linear analysis speaks of a neighbourhood \
            of the equilibrium only: this start lies outside its basin (the cloud settled on another attractor, \
            such as particles collapsed onto fewer modes, or is still on its way). The cross-check below tests the \
            linear prediction near the equilibrium, not this run.
            """
    }
}
