import Dispatch
import GSLBridge

/// The integrator a run uses when none is named, chosen so the run finishes: rk8pd for a smooth flow; for a flow
/// that jumps (relu's φ′ is a step, so ∇_x D jumps at every kink, where an adaptive stepper rejects step after
/// step: digits100 took 7 399 rejections for 2 720 steps over t = 10, a 25-mode grid ran for more than ten
/// minutes) plain simultaneous gradient steps at half the largest stable step h_max of spec §7.
///
/// Every number here is derived from another one and checked against it before use: the step against h_max (it
/// must be below), the end time against the step budget (a run is shortened to `roundBudget` steps, never given a
/// larger step than h_max/2 to fit — that was the report's old bug, h = 1 against h_max = 0.0078).
public struct DefaultIntegrator: Sendable {
    public let integrator: Integrator
    /// The largest stable simultaneous step it was derived from (gradient steps only).
    public let stepLimit: Double?
    /// Words for reports and notes: "rk8pd", or the step and why.
    public let description: String

    /// The most gradient-step rounds a default run plans; a longer run is shortened to this many steps.
    public static let roundBudget = 1e5

    /// The choice for `model` at its γ, with h_max from `DiscreteTraining` when the flow is discontinuous.
    ///
    /// - Parameter discontinuous: whether the flow jumps; by default the critic's activation says. A relu
    ///   generator network (`ModelSource.hasDiscontinuousField`) jumps too, and its h_max near w* is the
    ///   particle model's with Θ(w*).
    public init(model: EffectiveModel, structure: OscillatorStructure?, discontinuous: Bool? = nil) throws {
        let discontinuous = discontinuous ?? model.resolved.hasDiscontinuousField
        guard discontinuous else {
            self.init(model: model, simultaneousLimit: nil)
            return
        }
        let training = try DiscreteTraining(
            model: model, scheme: .simultaneous, criticSteps: 1, structure: structure)
        self.init(model: model, simultaneousLimit: try training.largestStableStep(), discontinuous: true)
    }

    /// The choice given h_max for simultaneous steps (nil or not a positive finite number: rk8pd).
    public init(model: EffectiveModel, simultaneousLimit: Double?, discontinuous: Bool? = nil) {
        let discontinuous = discontinuous ?? model.resolved.hasDiscontinuousField
        guard discontinuous, let limit = simultaneousLimit, limit > 0, limit.isFinite else {
            integrator = .ode(.rk8pd)
            stepLimit = nil
            description = "rk8pd"
            return
        }
        let step = limit / 2
        integrator = .gradientSteps(step: step, scheme: .simultaneous, criticSteps: 1)
        stepLimit = limit
        description =
            "simultaneous gradient steps h = \(Format.number(step, digits: 4)) (half the largest stable step h_max = \(Format.number(limit, digits: 4)): relu's φ′ jumps make the flow discontinuous, where an adaptive stepper rejects a step at every kink)"
    }

    /// The most gradient steps a default `simulate` run plans: a fixed amount of field work, so that the same
    /// resolved model gets the same end time on every machine (spec §8's "same numbers everywhere"; a budget in
    /// measured seconds made the run length depend on how busy the machine was). One evaluation costs about
    /// (N + M)·P multiply-adds for the critic at particles and targets plus N²·d for a dense kernel; 10¹¹ of them is
    /// about half a minute on one core of this project's machines. At least 1000 and at most 10⁶ steps.
    public static func plannedRounds(for model: EffectiveModel, workBudget: Double = 1e11) -> Double {
        let particles = Double(model.particleCount)
        let work =
            (particles + Double(model.targetCount)) * Double(max(model.parameterCount, 1))
            + particles * particles * Double(model.dimension)
        return max(1000, min(1e6, (workBudget / work).rounded(.down)))
    }

    /// Measured wall time of one field evaluation of `model` at its initial state (the median of 7, after one
    /// warm-up): what a run's note multiplies by the number of steps to say how long it will take (wording only:
    /// no length is derived from it).
    public static func secondsPerEvaluation(_ model: EffectiveModel) -> Double {
        let z = model.initialState
        _ = model.field(at: z)
        let times = (0..<7).map { _ -> Double in
            let start = DispatchTime.now().uptimeNanoseconds
            _ = model.field(at: z)
            return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        }
        return times.sorted()[3]
    }

    /// The end time a run of `desired` length gets: itself for rk8pd, else at most `rounds` steps and at least one.
    public func endTime(_ desired: Double, rounds: Double = roundBudget) -> Double {
        guard case let .gradientSteps(step, _, _) = integrator else { return desired }
        return max(step, min(desired, rounds * step))
    }
}
