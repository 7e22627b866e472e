import GSLBridge

/// How a simulation advances the state.
public enum Integrator: Sendable, Equatable {
    /// The continuous flow ż = F(z) with a GSL `gsl_odeiv2` stepper and adaptive error control.
    case ode(ODEStepper)
    /// Plain gradient steps of size h (spec §7); time t = (number of rounds)·h.
    case gradientSteps(step: Double, scheme: SteppingScheme, criticSteps: Int)
}

/// Where a simulation starts.
public enum StartingPoint: Sendable, Equatable {
    /// `generator.init`, with the discriminator at its equilibrium parameters.
    case initial
    /// z* plus a seeded Gaussian direction scaled to Euclidean norm ε.
    case perturbedEquilibrium(epsilon: Double, seed: Int)
}

/// Everything a simulation run needs besides the model.
public struct SimulationSettings: Sendable {
    public var integrator: Integrator
    public var start: StartingPoint
    public var tEnd: Double
    /// Number of sample times, evenly spaced on [0, tEnd] (both included).
    public var samples: Int
    public var relativeTolerance: Double
    public var absoluteTolerance: Double
    /// The run stops as diverged when the particle distance exceeds this.
    public var divergenceBound: Double
    /// Keep every sampled state (for `--trajectories`).
    public var keepStates: Bool

    public init(
        integrator: Integrator = .ode(.rk8pd), start: StartingPoint = .initial, tEnd: Double, samples: Int = 101,
        relativeTolerance: Double = 1e-8, absoluteTolerance: Double = 1e-10, divergenceBound: Double = 1e6,
        keepStates: Bool = false
    ) {
        self.integrator = integrator
        self.start = start
        self.tEnd = tEnd
        self.samples = samples
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.divergenceBound = divergenceBound
        self.keepStates = keepStates
    }

    /// The most field evaluations a gradient-step run may plan ((t_end/h)·(critic steps + 1)): a run that would
    /// take hours is refused before it starts, with the count in the message.
    public static let gradientStepBudget = 10_000_000

    /// The most steps an ODE run may take (GSL's `GSL_EMAXITER` after that): explicit runs whose estimate is
    /// above it are refused before they start (`checkExplicitSteps(for:structure:)`).
    public static let odeStepBudget = 1_000_000

    /// The shortest time between samples a run accepts (far below any physical time scale the config's 1e-15 …
    /// 1e15 bounds allow, far above the denormals where GSL's step control breaks down).
    public static let smallestSpacing = 1e-200

    /// - Throws: `InvalidSetting` naming the setting.
    func validate() throws {
        guard tEnd > 0, tEnd.isFinite else {
            throw InvalidSetting(.endTime, "must be a positive finite time (got \(tEnd))")
        }
        guard samples >= 2 else {
            throw InvalidSetting(.samples, "must be at least 2 (got \(samples))")
        }
        // The sample spacing is the integrator's first step: it must be a normal number, or GSL cannot start.
        guard tEnd / Double(samples - 1) >= Self.smallestSpacing else {
            throw InvalidSetting(
                .endTime, "is \(tEnd), too short to sample \(samples) times; give at least 1e-200 per sample")
        }
        guard relativeTolerance > 0, absoluteTolerance > 0 else {
            throw InvalidSetting(relativeTolerance > 0 ? .absoluteTolerance : .relativeTolerance, "must be positive")
        }
        if case let .gradientSteps(step, _, criticSteps) = integrator {
            guard step > 0, step.isFinite else {
                throw InvalidSetting(.stepSize, "must be a positive step size (got \(step))")
            }
            guard criticSteps >= 1 else { throw InvalidSetting(.criticSteps, "must be at least 1") }
            // A step longer than the run would take no step at all and report the start as the result.
            guard step <= tEnd else {
                throw InvalidSetting(
                    .stepSize, "is \(Format.number(step)), longer than {0} = \(Format.number(tEnd)): no step would be taken; take a smaller step or a longer run",
                    mentioning: [.endTime])
            }
            let rounds = tEnd / step * Double(criticSteps + 1)
            guard rounds <= Double(Self.gradientStepBudget) else {
                throw InvalidSetting(
                    .stepSize,
                    "with {0} asks for \(Format.number(rounds, digits: 3)) field evaluations, above the budget of 10⁷; take a larger step or a shorter run",
                    mentioning: [.endTime])
            }
        }
        if case let .perturbedEquilibrium(epsilon, _) = start, !(epsilon > 0 && epsilon <= 1e15) {
            throw InvalidSetting(
                .perturbation, "must be a positive size up to 1e15, the model's largest scale (got \(epsilon))")
        }
    }
}

/// A simulation that cannot run as asked.
public enum SimulationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The regime at γ does not converge, so there is nothing to cross-check.
    case notConverging(gamma: Double, regime: Regime)
    /// The dominant mode decays too slowly to be followed for two e-foldings.
    case tooSlowToCheck(rate: Double, tEnd: Double)
    /// Stiff over the window (max|λ|·t_end large) and too big for an implicit stepper's dense Jacobians.
    case tooStiffToCheck(stiffness: Double, implicitBytes: Double)

    public var description: String {
        switch self {
        case let .notConverging(gamma, regime):
            return "a cross-check needs a converging regime at γ = \(gamma) (it is \(regime.rawValue)); choose γ > 0"
        case let .tooSlowToCheck(rate, tEnd):
            return
                "the dominant mode decays at rate \(Format.number(max(rate, 0))), too slowly to follow for two e-foldings (t = \(Format.number(abs(tEnd)))); choose a larger γ"
        case let .tooStiffToCheck(stiffness, bytes):
            return
                "the flow is stiff over the check's window (max|λ|·t = \(Format.number(stiffness, digits: 3)): tens of thousands of explicit steps) and an implicit stepper would need \(MemoryBudget.describe(bytes)) of dense Jacobians, above the memory budget; check a γ nearer γ*, or raise EGAN_MEMORY_BUDGET"
        }
    }
}
