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
public struct NetworkFlow: Sendable {
    public let network: NetworkGenerator
    /// w* and Θ(w*); nil for a network read with `fit: false`, which is only trained from w₀.
    public let equilibrium: NetworkEquilibrium?
    /// The N latent samples z_i (N × d_z).
    public let latents: Matrix
    /// The particle model with K = (η_G/N)·I (an N × N universal kernel, applied in O(N·d), never an (N·d)²
    /// matrix): its ẋ is (η_G/N)u, its θ̇ the discriminator's flow.
    let pushModel: EffectiveModel
    /// The particle model with K = (η_G/N)·Θ(w*): the prediction (with `fit: false`, the push model, used for
    /// the observables only).
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
        guard let network = config.generator.network else {
            throw ConfigError.invalidValue(
                path: "generator.network", reason: "is absent: only a generator network has weights to train")
        }
        self.network = network
        equilibrium = config.generator.networkEquilibrium
        latents = try network.latents(count: config.generator.particles)
        effectiveModel = EffectiveModel(resolved, gamma: gamma)
        var identity = resolved
        identity.kernel = KernelSpec.push.matrix(
            particles: resolved.particles.count, learningRate: config.generator.learningRate)
        pushModel = EffectiveModel(identity, gamma: gamma)
    }

    /// Length of the state (w, θ).
    public var stateDimension: Int { network.parameterCount + pushModel.parameterBlockLength }

    /// (w*, θ*). Throws for a network read with `fit: false`.
    public func equilibriumState() throws -> [Double] {
        guard let equilibrium else {
            throw ConfigError.invalidValue(
                path: "generator.network.fit",
                reason:
                    "is false, so there is no fitted w* to start from or to check against; set it to true (the default), or train from the initialisation w₀"
            )
        }
        return equilibrium.parameters + criticStart
    }

    /// (w₀, θ*): the network's initialisation and the critic where every start puts it (readout a = 0).
    public var initialState: [Double] { network.initialParameters() + criticStart }

    private var criticStart: [Double] { Array(pushModel.equilibriumState[pushModel.particleBlockLength...]) }

    /// The particles X = G(Z; w) and θ of a network state, as a particle-model state (X, θ).
    public func particleState(_ state: [Double]) -> [Double] {
        var particles = [Double](repeating: 0, count: pushModel.particleBlockLength + pushModel.parameterBlockLength)
        state.withUnsafeBufferPointer { z in
            particles.withUnsafeMutableBufferPointer { out in
                let outputs = network.forwardPass(latents: latents, parameters: z.baseAddress!).outputs
                writeParticleState(
                    outputs: outputs, critic: z.baseAddress! + network.parameterCount, into: out.baseAddress!)
            }
        }
        return particles
    }

    /// Writes (vec X row-major, θ) from the outputs X = G(Z; w) (column-major N × d) and the critic's θ.
    private func writeParticleState(
        outputs: Matrix, critic θ: UnsafePointer<Double>, into particles: UnsafeMutablePointer<Double>
    ) {
        let (n, d) = (outputs.rows, outputs.columns)
        outputs.storage.withUnsafeBufferPointer { x in
            for a in 0..<d { for i in 0..<n { particles[i * d + a] = x[a * n + i] } }
        }
        (particles + pushModel.particleBlockLength).update(from: θ, count: pushModel.parameterBlockLength)
    }

    /// (ẇ, θ̇) at a network state (allocates a workspace; loops use `field(at:into:workspace:)`).
    public func field(at state: [Double]) -> [Double] {
        let workspace = makeWorkspace()
        var out = [Double](repeating: 0, count: stateDimension)
        state.withUnsafeBufferPointer { z in
            out.withUnsafeMutableBufferPointer {
                field(at: z.baseAddress!, into: $0.baseAddress!, workspace: workspace)
            }
        }
        return out
    }

    /// Buffers for `field(at:into:workspace:)`; one per run, reused for every evaluation (not thread-safe).
    public func makeWorkspace() -> NetworkFlowWorkspace { NetworkFlowWorkspace(self) }

    /// Writes (ẇ, θ̇) at a network state (w, θ) into `out` (`pushes`, then one batched backward pass for
    /// ẇ = Jᵀ (η_G/N)u: the Jacobian is never formed).
    public func field(
        at state: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, workspace: NetworkFlowWorkspace
    ) {
        let (pass, cotangent) = pushes(at: state, workspace: workspace)
        network.vectorJacobianProduct(pass, parameters: state, cotangent: cotangent, into: out)
        (out + network.parameterCount).update(
            from: workspace.push.pointer + pushModel.particleBlockLength, count: pushModel.parameterBlockLength)
    }

    /// One simultaneous gradient step of size h in place, (w, θ) += h·(ẇ, θ̇): the backward pass adds h·Jᵀ(η_G/N)u
    /// straight into w (no ẇ is stored), θ̇ is added by `daxpy`. False when the state stopped being finite.
    @discardableResult
    public func gradientStep(_ state: inout [Double], size h: Double, workspace: NetworkFlowWorkspace) -> Bool {
        let p = network.parameterCount
        return state.withUnsafeMutableBufferPointer { z in
            let w = z.baseAddress!
            let (pass, cotangent) = pushes(at: w, workspace: workspace)
            network.vectorJacobianProduct(
                pass, parameters: w, cotangent: cotangent, into: w, scale: h, accumulate: true)
            BLAS.axpy(
                count: pushModel.parameterBlockLength, alpha: h,
                workspace.push.pointer + pushModel.particleBlockLength, w + p)
            return BLAS.absoluteSum(w, count: z.count).isFinite
        }
    }

    /// The forward pass at w and the particle model's field at its outputs: the N × d cotangent (η_G/N)u
    /// (column-major, for the backward pass), with θ̇ left in `workspace.push` after the particle block. Only
    /// the per-layer activations are allocated; w and θ are read in place.
    private func pushes(
        at state: UnsafePointer<Double>, workspace: NetworkFlowWorkspace
    ) -> (ForwardPass, cotangent: Matrix) {
        let n = latents.rows
        let d = network.outputDimension
        let pass = network.forwardPass(latents: latents, parameters: state)
        let particles = workspace.particles.pointer
        writeParticleState(outputs: pass.outputs, critic: state + network.parameterCount, into: particles)
        let push = workspace.push.pointer
        pushModel.field(at: particles, into: push, workspace: workspace.pushField)
        // push[..<nd] is the N × d cotangent row-major: transposed into column-major for the backward pass.
        var cotangent = Matrix(rows: n, columns: d)
        for a in 0..<d { for i in 0..<n { cotangent.storage[a * n + i] = push[i * d + a] } }
        return (pass, cotangent)
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
        let start = try equilibriumState()
        let jacobian = network.jacobian(latents: latents, parameters: Array(start[..<p]))
        let theta = Matrix.product(jacobian, jacobian, transB: .transposed)
        let coefficients = try theta.solve(Matrix(rows: nd, columns: 1, columnMajor: Array(displacement[..<nd])))
        let δw = Matrix.product(jacobian, coefficients, transA: .transposed).storage
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
            signal.append(
                zip(displacement, zip(z, reference)).reduce(0) { $0 + $1.0 * ($1.1.0 - $1.1.1) } / (epsilon * epsilon))
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
    /// (ẇ, θ̇) for GSL's steppers. The implicit ones get the (w, θ) Jacobian by central differences of the field
    /// (`centralDifferenceColumns`, 2n evaluations): the network has no closed-form Jacobian away from w*, and
    /// Newton's iteration in an implicit stepper needs only an approximate one (the step's error control is on the
    /// field itself).
    var odeSystem: ODESystem {
        let flow = self
        let dimension = stateDimension
        let workspace = makeWorkspace()
        return ODESystem(
            dimension: dimension,
            derivative: { y, out in
                flow.field(at: y, into: out, workspace: workspace)
                for i in 0..<dimension where !out[i].isFinite { return false }
                return true
            },
            jacobian: { y, rowMajor in
                let z = Array(UnsafeBufferPointer(start: y, count: dimension))
                let field = { (point: [Double]) -> [Double] in
                    var out = [Double](repeating: 0, count: dimension)
                    out.withUnsafeMutableBufferPointer {
                        flow.field(at: point, into: $0.baseAddress!, workspace: workspace)
                    }
                    return out
                }
                centralDifferenceColumns(at: z, field: field) { j, column in
                    for i in column.indices { rowMajor[i * dimension + j] = column[i] }
                }
                for i in 0..<(dimension * dimension) where !rowMajor[i].isFinite { return false }
                return true
            })
    }

    /// Bytes an implicit stepper needs at the network's state dimension n = P + q.
    var implicitStepperBytes: Double { MemoryBudget.implicitStepperBytes(stateDimension: stateDimension) }

    /// Refuses what the network's training cannot do, before anything runs (a command calls it before announcing
    /// the run): an implicit stepper whose dense (w, θ) Jacobians exceed the memory budget, an adaptive stepper on
    /// a relu network or critic, alternating gradient steps.
    public func checkIntegrator(_ settings: SimulationSettings) throws {
        switch settings.integrator {
        case let .ode(stepper):
            if stepper.usesJacobian, implicitStepperBytes > MemoryBudget.bytes {
                throw InvalidSetting(
                    .integrator,
                    "is \(stepper.rawValue), an implicit stepper, which needs the network's dense (w, θ) Jacobians: about \(MemoryBudget.describe(implicitStepperBytes)) at state dimension \(stateDimension), above the memory budget of \(MemoryBudget.describe(MemoryBudget.bytes)); train with an explicit stepper (rk8pd) or gradient steps (gd), or raise EGAN_MEMORY_BUDGET"
                )
            }
            // A relu network's (or critic's) kinks make an adaptive stepper reject almost every step: with the
            // network's field at each try that does not finish. Refused with the method that does.
            if network.activation.isPiecewiseLinear || effectiveModel.resolved.hasDiscontinuousField {
                throw InvalidSetting(
                    .integrator,
                    "is \(stepper.rawValue), an adaptive stepper, on a relu network or critic: its kinks make it reject a step at every one and the run does not finish; train with gradient steps (integrator gd) at {0} below the largest stable step",
                    mentioning: [.stepSize])
            }
        case let .gradientSteps(_, scheme, _):
            guard scheme == .simultaneous else {
                throw InvalidSetting(
                    .scheme, "is alternating; the network's own training takes simultaneous steps in this version")
            }
        }
    }

    /// The network trained from its own initialisation w₀ (`.initial`: the random network, the critic at θ*) or
    /// from (w*, θ*) plus a seeded weight perturbation of norm ε, with gradient steps (simultaneous) or an explicit
    /// GSL stepper; observables of the outputs X = G(Z; w), so every measure of `simulate` reads the same.
    /// `finalState` and kept states are (vec X, θ), the particle model's layout.
    public func simulate(
        _ settings: SimulationSettings, progress: ProgressHandler? = nil, shouldStop: (@Sendable () -> Bool)? = nil
    ) throws -> SimulationResult {
        try settings.validate()
        var state: [Double]
        let p = network.parameterCount
        switch settings.start {
        case .initial:
            state = initialState
        case let .perturbedEquilibrium(epsilon, seed):
            state = try equilibriumState()
            let rng = MersenneTwister(seed: UInt(bitPattern: seed))
            let direction = (0..<p).map { _ in rng.gaussian() }
            let norm = euclideanNorm(direction)
            for q in 0..<p { state[q] += epsilon * direction[q] / norm }
        }
        var statistics = IntegratorStatistics()
        var integrator: ODEIntegrator?
        let steps = makeWorkspace()
        try checkIntegrator(settings)
        switch settings.integrator {
        case let .ode(stepper):
            integrator = ODEIntegrator(
                system: odeSystem, stepper: stepper, relativeTolerance: settings.relativeTolerance,
                absoluteTolerance: settings.absoluteTolerance, initialStep: min(1e-3, settings.tEnd / 1e3),
                maxSteps: SimulationSettings.odeStepBudget)
        case .gradientSteps:
            break
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
                        let finite = gradientStep(&state, size: h, workspace: steps)
                        rounds += 1
                        guard finite else {
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
                    reason:
                        "the particle distance reached \(values.distance) > \(settings.divergenceBound) at t = \(target): the run diverged",
                    time: target)
                break
            }
            recorded.append(target)
            observed.append(values)
            if settings.keepStates { states.append(particles) }
            progress?(recorded.count, times.count)
        }
        if let integrator {
            statistics = integrator.statistics
        } else {
            statistics = IntegratorStatistics(
                steps: rounds, rhsEvaluations: rounds,
                wallTime: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        }
        return SimulationResult(
            times: recorded, observables: observed, states: states, finalState: particleState(state), status: status,
            statistics: statistics)
    }
}

/// Scratch space of `NetworkFlow.field(at:into:workspace:)` and `gradientStep`: the particle model's field
/// workspace and the buffers for its state (X, θ) and its field, sized once per run.
public final class NetworkFlowWorkspace {
    let pushField: FieldWorkspace
    let particles: ScratchBuffer
    let push: ScratchBuffer

    init(_ flow: NetworkFlow) {
        pushField = flow.pushModel.makeFieldWorkspace()
        particles = ScratchBuffer(flow.pushModel.stateDimension)
        push = ScratchBuffer(flow.pushModel.stateDimension)
    }
}
