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
        /// Some modes hold no particle at the end.
        case collapsed
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
            kind = .collapsed
        } else {
            kind = settled ? .converged : .oscillating
        }
    }

    /// One line for the summary.
    public var sentence: String {
        "\(coveredModes) of \(modeCount) modes covered, \(kind.rawValue), final W₂ = \(Format.number(finalW2)) at t = \(Format.number(time))"
    }
}

extension ReportAnalysis {
    /// The run from `generator.init` at γ*, judged globally.
    public var globalOutcome: GlobalOutcome { GlobalOutcome(fromInit, model: model) }

    /// When the matched equilibrium is linearly stable at γ* but the run from the initial cloud did not reach it:
    /// a finding about the basin of attraction, not a failure of the linear analysis. Nil when they agree.
    var disagreement: String? {
        let outcome = globalOutcome
        guard outcome.kind != .converged else { return nil }
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
