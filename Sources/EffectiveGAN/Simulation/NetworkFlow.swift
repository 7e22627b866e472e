import Foundation
import GSLBridge
import LinearAlgebra
import Numerics

/// The generator network's own training flow (model §4, `network`): the state is (w, θ), and
///   ẇ = η_G ∇_w (1/N) Σ_i g(D(G(z_i; w))) = J(w)ᵀ (η_G/N) u,   u_i = g′(D(x_i)) ∇_x D(x_i),
///   θ̇ = the discriminator's flow at the particles X = G(Z; w),
/// so its outputs move with K = (η_G/N)·J Jᵀ at every instant. The pushes (η_G/N)u and θ̇ come from the particle
/// model itself with the identity in place of Θ — one field for both, so the network and the effective model
/// cannot drift apart in their losses, regularisers or critics.
public struct NetworkFlow {
    public let network: NetworkGenerator
    public let equilibrium: NetworkEquilibrium
    let latents: Matrix
    /// The particle model with K = (η_G/N)·I: its ẋ is (η_G/N)u, its θ̇ the discriminator's flow.
    let pushModel: EffectiveModel
    /// The particle model with K = (η_G/N)·Θ(w*): the prediction.
    public let effectiveModel: EffectiveModel

    /// The flow of `source`'s `generator.network` at strength γ (the config's when nil).
    public init(_ source: ModelSource, gamma: Double? = nil) throws {
        guard let config = source.config else {
            throw ConfigError.invalidValue(
                path: "generator.network", reason: "is absent: only a generator network has weights to train")
        }
        try self.init(config, resolved: source.resolved, gamma: gamma)
    }

    /// The flow of a config's `generator.network` (`resolved` is `config.resolve()`: a study that built it
    /// already passes it in).
    public init(_ config: ModelConfig, resolved: ResolvedModel, gamma: Double? = nil) throws {
        guard let network = config.generator.network, let equilibrium = config.generator.networkEquilibrium else {
            throw ConfigError.invalidValue(
                path: "generator.network", reason: "is absent: only a generator network has weights to train")
        }
        self.network = network
        self.equilibrium = equilibrium
        latents = try network.latents(count: config.generator.particles)
        effectiveModel = EffectiveModel(resolved, gamma: gamma)
        var identity = resolved
        let side = resolved.particles.count * network.outputDimension
        identity.kernel = Matrix.identity(side).scaled(by: config.generator.learningRate / Double(config.generator.particles))
            .rowArrays
        pushModel = EffectiveModel(identity, gamma: gamma)
    }

    /// Length of the state (w, θ).
    public var stateDimension: Int { network.parameterCount + pushModel.parameterBlockLength }

    /// (w*, θ*).
    public var equilibriumState: [Double] {
        equilibrium.parameters + Array(pushModel.equilibriumState[pushModel.particleBlockLength...])
    }

    /// The particles X = G(Z; w) and θ of a network state, as a particle-model state (X, θ).
    public func particleState(_ state: [Double]) -> [Double] {
        particleState(state, outputs: network.outputs(latents: latents, parameters: Array(state[..<network.parameterCount])))
    }

    private func particleState(_ state: [Double], outputs x: Matrix) -> [Double] {
        x.rowArrays.flatMap { $0 } + state[network.parameterCount...]
    }

    /// (ẇ, θ̇) at a network state: one batched forward pass, the particle model's pushes at its outputs, and one
    /// batched backward pass for ẇ = Jᵀ (η_G/N)u (the Jacobian is never formed).
    public func field(at state: [Double]) -> [Double] {
        let p = network.parameterCount
        let w = Array(state[..<p])
        let pass = network.forwardPass(latents: latents, parameters: w)
        let push = pushModel.field(at: particleState(state, outputs: pass.outputs))
        let nd = pushModel.particleBlockLength
        let d = network.outputDimension
        // push[..<nd] is the N × d cotangent row-major, i.e. its transpose column-major.
        let cotangent = Matrix(rows: d, columns: nd / d, columnMajor: Array(push[..<nd])).transposed
        return network.vectorJacobianProduct(pass, parameters: w, cotangent: cotangent) + push[nd...]
    }

    /// The network trained from a perturbation of (w*, θ*) along the effective model's dominant mode, against
    /// the effective model's prediction: the cross-check of `EffectiveModel.crossCheck`, with the network's
    /// weights in place of the particles. The particle part δX of the mode becomes the minimum-norm weight change
    /// δw = Jᵀ(J Jᵀ)⁻¹ δX (so G moves by δX to first order); the signal is G(Z; w) − X* and θ − θ* projected on
    /// the initial displacement; rk8pd (rtol 1e-10), the same schedule and fits.
    public func crossCheck(epsilon: Double = 1e-5, seed: Int = 1, tolerance: Double = 0.02) throws -> CrossCheck {
        guard epsilon >= 1e-12, epsilon <= 0.1 else {
            throw InvalidSetting(
                .perturbation, "must lie in [1e-12, 0.1] for a linear, measurable response (got \(epsilon))")
        }
        let model = effectiveModel
        let structure = try OscillatorStructure(model)
        let spectrum = try StabilityAnalysis(model: model, structure: structure).spectrum
        guard let dominant = spectrum.dominantMode, spectrum.regime == .underdamped || spectrum.regime == .overdamped
        else {
            throw SimulationError.notConverging(gamma: model.gamma, regime: spectrum.regime)
        }
        let vector = try model.dominantEigenvector(near: dominant.eigenvalue, structure: structure)
        let phase = 2 * Double.pi * MersenneTwister(seed: UInt(bitPattern: seed)).uniform()
        let rotated = vector.map { ($0 * Complex(cos(phase), sin(phase))).real }
        let norm = euclideanNorm(rotated)
        let displacement = rotated.map { epsilon * $0 / norm }
        let nd = model.particleBlockLength
        let p = network.parameterCount

        // δw = Jᵀ Θ⁻¹ δX at w*.
        let jacobian = network.jacobian(latents: latents, parameters: equilibrium.parameters)
        let theta = Matrix.product(jacobian, jacobian, transB: .transposed)
        let coefficients = try theta.solve(Matrix(rows: nd, columns: 1, columnMajor: Array(displacement[..<nd])))
        let δw = Matrix.product(jacobian, coefficients, transA: .transposed).storage
        let start = equilibriumState
        var y = start.indices.map { $0 < p ? start[$0] + δw[$0] : start[$0] + displacement[nd + $0 - p] }

        let reference = model.equilibriumState
        let (tEnd, spacing, count) = try EffectiveModel.crossCheckSchedule(dominant, scale: spectrum.scale)
        let integrator = ODEIntegrator(
            system: odeSystem, stepper: .rk8pd, relativeTolerance: 1e-10, absoluteTolerance: 1e-7 * epsilon,
            initialStep: spacing / 10)
        var time = 0.0
        var signal: [Double] = []
        for k in 0...count {
            try integrator.advance(&y, time: &time, to: Double(k) * spacing)
            let z = particleState(y)
            signal.append(zip(displacement, zip(z, reference)).reduce(0) { $0 + $1.0 * ($1.1.0 - $1.1.1) } / (epsilon * epsilon))
        }
        let late = Array(signal[(signal.count / 3)...])
        let oscillatory = dominant.kind == .oscillatory
        let (rate, frequency) =
            oscillatory
            ? EffectiveModel.pronyFit(late, spacing: spacing)
            : (EffectiveModel.logLinearRate(late, spacing: spacing), 0)
        var check = CrossCheck(
            gamma: model.gamma, regime: spectrum.regime, predictedRate: dominant.rate,
            predictedFrequency: dominant.frequency, measuredRate: rate, measuredFrequency: frequency,
            tolerance: tolerance, tEnd: tEnd)
        check.statistics = integrator.statistics
        return check
    }
}

extension NetworkFlow {
    /// (ẇ, θ̇) for GSL's explicit steppers (no Jacobian: implicit steppers are refused for networks).
    var odeSystem: ODESystem {
        let flow = self
        let dimension = stateDimension
        return ODESystem(
            dimension: dimension,
            derivative: { y, out in
                let f = flow.field(at: Array(UnsafeBufferPointer(start: y, count: dimension)))
                for i in 0..<dimension {
                    out[i] = f[i]
                    if !f[i].isFinite { return false }
                }
                return true
            },
            jacobian: { _, _ in false })
    }

    /// The network trained from its own initialisation w₀ (`.initial`: the random network, the critic at θ*) or
    /// from (w*, θ*) plus a seeded weight perturbation of norm ε, with gradient steps (simultaneous) or an explicit
    /// GSL stepper; observables of the outputs X = G(Z; w), so every measure of `simulate` reads the same.
    /// `finalState` and kept states are (vec X, θ), the particle model's layout.
    public func simulate(
        _ settings: SimulationSettings, progress: ProgressHandler? = nil, shouldStop: (@Sendable () -> Bool)? = nil
    ) throws -> SimulationResult {
        try settings.validate()
        var state = equilibriumState
        let p = network.parameterCount
        switch settings.start {
        case .initial:
            let w0 = network.initialParameters()
            for q in 0..<p { state[q] = w0[q] }
        case let .perturbedEquilibrium(epsilon, seed):
            let rng = MersenneTwister(seed: UInt(bitPattern: seed))
            let direction = (0..<p).map { _ in rng.gaussian() }
            let norm = euclideanNorm(direction)
            for q in 0..<p { state[q] += epsilon * direction[q] / norm }
        }
        var statistics = IntegratorStatistics()
        var integrator: ODEIntegrator?
        switch settings.integrator {
        case let .ode(stepper):
            guard !stepper.usesJacobian else {
                throw InvalidSetting(
                    .integrator,
                    "is \(stepper.rawValue), an implicit stepper, which would need the network's (w, θ) Jacobian; train a network with an explicit stepper (rk8pd) or gradient steps (gd)")
            }
            // A relu network's (or critic's) kinks make an adaptive stepper reject almost every step: with the
            // network's field at each try that does not finish. Refused with the method that does.
            if network.activation.isPiecewiseLinear || effectiveModel.resolved.hasDiscontinuousField {
                throw InvalidSetting(
                    .integrator,
                    "is \(stepper.rawValue), an adaptive stepper, on a relu network or critic: its kinks make it reject a step at every one and the run does not finish; train with gradient steps (integrator gd) at {0} below the largest stable step",
                    mentioning: [.stepSize])
            }
            integrator = ODEIntegrator(
                system: odeSystem, stepper: stepper, relativeTolerance: settings.relativeTolerance,
                absoluteTolerance: settings.absoluteTolerance, initialStep: min(1e-3, settings.tEnd / 1e3),
                maxSteps: SimulationSettings.odeStepBudget)
        case let .gradientSteps(_, scheme, _):
            guard scheme == .simultaneous else {
                throw InvalidSetting(
                    .scheme, "is alternating; the network's own training takes simultaneous steps in this version")
            }
        }
        let times = (0..<settings.samples).map { settings.tEnd * Double($0) / Double(settings.samples - 1) }
        var recorded: [Double] = []
        var observed: [Observables] = []
        var states: [[Double]] = []
        var status = SimulationResult.Status.completed
        var time = 0.0
        var rounds = 0
        let started = DispatchTime.now().uptimeNanoseconds
        for target in times {
            if let shouldStop, shouldStop() {
                status = .stopped(reason: SimulationResult.interruptedReason, time: time)
                break
            }
            do {
                if let integrator {
                    if target > time { try integrator.advance(&state, time: &time, to: target) }
                } else if case let .gradientSteps(h, _, _) = settings.integrator {
                    while Double(rounds) * h < target - h / 2 {
                        let f = field(at: state)
                        for i in state.indices { state[i] += h * f[i] }
                        rounds += 1
                        guard state.allSatisfy(\.isFinite) else {
                            throw ODEFailure(reason: .nonFinite, time: Double(rounds) * h)
                        }
                    }
                    time = target
                }
            } catch let failure as ODEFailure {
                status = .stopped(reason: failure.description, time: failure.time)
                break
            }
            let particles = particleState(state)
            let values = effectiveModel.observables(at: particles)
            guard values.distance.isFinite, values.distance <= settings.divergenceBound else {
                status = .stopped(
                    reason: "the particle distance reached \(values.distance) > \(settings.divergenceBound) at t = \(target): the run diverged",
                    time: target)
                break
            }
            recorded.append(target)
            observed.append(values)
            if settings.keepStates { states.append(particles) }
            progress?(recorded.count, times.count)
        }
        if let integrator { statistics = integrator.statistics } else {
            statistics = IntegratorStatistics(
                steps: rounds, rhsEvaluations: rounds,
                wallTime: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        }
        return SimulationResult(
            times: recorded, observables: observed, states: states, finalState: particleState(state), status: status,
            statistics: statistics)
    }
}
