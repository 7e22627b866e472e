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
        guard let config = source.config, let network = config.generator.network,
            let equilibrium = config.generator.networkEquilibrium
        else {
            throw ConfigError.invalidValue(
                path: "generator.network", reason: "is absent: only a generator network has weights to train")
        }
        self.network = network
        self.equilibrium = equilibrium
        latents = try network.latents(count: config.generator.particles)
        effectiveModel = EffectiveModel(source.resolved, gamma: gamma)
        var identity = source.resolved
        let side = source.resolved.particles.count * network.outputDimension
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
        let w = Array(state[..<network.parameterCount])
        let x = network.outputs(latents: latents, parameters: w)
        return x.rowArrays.flatMap { $0 } + state[network.parameterCount...]
    }

    /// (ẇ, θ̇) at a network state.
    public func field(at state: [Double]) -> [Double] {
        let p = network.parameterCount
        let w = Array(state[..<p])
        let push = pushModel.field(at: particleState(state))
        let nd = pushModel.particleBlockLength
        let jacobian = network.jacobian(latents: latents, parameters: w)
        var out = [Double](repeating: 0, count: stateDimension)
        for row in 0..<nd where push[row] != 0 {
            for q in 0..<p { out[q] += jacobian[row, q] * push[row] }
        }
        for i in nd..<push.count { out[p + i - nd] = push[i] }
        return out
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
        let flow = self
        let dimension = stateDimension
        let system = ODESystem(
            dimension: dimension,
            derivative: { state, out in
                let f = flow.field(at: Array(UnsafeBufferPointer(start: state, count: dimension)))
                for i in 0..<dimension {
                    out[i] = f[i]
                    if !f[i].isFinite { return false }
                }
                return true
            },
            jacobian: { _, _ in false })
        let integrator = ODEIntegrator(
            system: system, stepper: .rk8pd, relativeTolerance: 1e-10, absoluteTolerance: 1e-7 * epsilon,
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
