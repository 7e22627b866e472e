import Foundation
import LinearAlgebra
import Numerics
import Testing

@testable import EffectiveGAN
import GSLBridge

/// Training a generator network: the in-place gradient step, and `generator.network.fit: false` (no w*, so a
/// network too large to fit can still be trained, and nothing linear is answered about it).
@Suite("Network training")
struct NetworkTrainingTests {
    /// Three ring modes, N = 3, one hidden layer of width 24, a critic of width 8, wgan + R1.
    static func source(activation: String = "tanh", fit: Bool = true) throws -> ModelSource {
        try TestModels.source(
            """
            {"dimension": 2, "target": {"kind": "ring", "modes": 3, "radius": 1.2},
             "generator": {"particles": 3, "learningRate": 0.8,
                           "network": {"layers": [24], "activation": "\(activation)", "latentDimension": 4,
                                       "seed": 5, "fit": \(fit)}},
             "discriminator": {"kind": "mlp", "width": 8, "activation": "tanh", "seed": 4},
             "loss": "wgan", "regularizer": {"kind": "r1", "strength": 2}}
            """)
    }

    @Test(
        "a gradient step updates w in place to w + h·ẇ: the backward pass reads each W_l before it changes",
        arguments: ["tanh", "relu"])
    func inPlaceStep(activation: String) throws {
        let flow = try NetworkFlow(Self.source(activation: activation))
        let workspace = flow.makeWorkspace()
        var state = flow.initialState
        // A few steps first, so that the critic's readout is no longer zero and every block of ẇ moves.
        for _ in 0..<3 { #expect(flow.gradientStep(&state, size: 0.1, workspace: workspace)) }
        let field = flow.field(at: state)
        #expect(euclideanNorm(Array(field[..<flow.network.parameterCount])) > 1e-3)
        let expected = zip(state, field).map { $0 + 0.1 * $1 }
        #expect(flow.gradientStep(&state, size: 0.1, workspace: workspace))
        for (a, b) in zip(state, expected) {
            #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-14, relativeTolerance: 1e-14))
        }
    }

    @Test("fit false: no w*, the same training from w₀ as the fitted config bit for bit")
    func trainingOnlyTrainsAlike() throws {
        let fitted = try Self.source()
        let unfitted = try Self.source(fit: false)
        #expect(fitted.hasLinearTheory && !unfitted.hasLinearTheory)
        #expect(fitted.config?.generator.networkEquilibrium != nil)
        #expect(unfitted.config?.generator.networkEquilibrium == nil)
        // Its resolved kernel is the push (η_G/N)·I of the training flow.
        let push: [[Double]] = (0..<3).map { i in (0..<3).map { j -> Double in i == j ? 0.8 / 3 : 0 } }
        #expect(unfitted.resolved.kernel == push)
        for integrator in [
            Integrator.gradientSteps(step: 0.2, scheme: .simultaneous, criticSteps: 1),
            .ode(.rk8pd),
        ] {
            let settings = SimulationSettings(integrator: integrator, tEnd: 4, samples: 5)
            let a = try NetworkFlow(fitted).simulate(settings)
            let b = try NetworkFlow(unfitted).simulate(settings)
            #expect(a.status == .completed)
            #expect(a.finalState == b.finalState)
            #expect(a.observables.map(\.distance) == b.observables.map(\.distance))
        }
    }

    @Test(
        "implicit steppers train a smooth network with the central-difference (w, θ) Jacobian: as rk8pd does (1e-6)",
        arguments: [ODEStepper.rk4imp, .msbdf])
    func implicitSteppers(stepper: ODEStepper) throws {
        let flow = try NetworkFlow(Self.source(fit: false))
        func run(_ stepper: ODEStepper) throws -> SimulationResult {
            try flow.simulate(
                SimulationSettings(
                    integrator: .ode(stepper), tEnd: 3, samples: 4, relativeTolerance: 1e-10, absoluteTolerance: 1e-12,
                    keepStates: true))
        }
        let implicit = try run(stepper)
        let explicit = try run(.rk8pd)
        #expect(implicit.status == .completed && explicit.status == .completed)
        #expect(implicit.statistics.jacobianEvaluations > 0)
        for (a, b) in zip(implicit.finalState, explicit.finalState) {
            #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-6))
        }
        // The run moved far beyond that tolerance: the comparison is not of two starting points.
        #expect(euclideanNorm(zip(explicit.finalState, explicit.states[0]).map { $0 - $1 }) > 1e-2)
    }

    @Test("fit false: every linear answer is refused naming generator.network.fit")
    func trainingOnlyRefusesLinearAnswers() throws {
        let unfitted = try Self.source(fit: false)
        let flow = try NetworkFlow(unfitted)
        let refusals: [(String, () throws -> Void)] = [
            ("the oscillator structure", { _ = try unfitted.oscillatorStructure() }),
            ("a sweep", { _ = try Sweep.run(unfitted, values: [1, 2]) }),
            ("γ*", { _ = try OptimalStrength.find(unfitted, from: 0.1, to: 10) }),
            ("the transfer check", { _ = try KernelTransfer.compare(unfitted, from: 0.1, to: 10) }),
            ("a cross-check", { _ = try flow.crossCheck() }),
            (
                "a start at w*",
                {
                    _ = try flow.simulate(
                        SimulationSettings(start: .perturbedEquilibrium(epsilon: 1e-3, seed: 1), tEnd: 1, samples: 2))
                }
            ),
        ]
        for (what, attempt) in refusals {
            #expect(throws: ConfigError.self, "\(what)") { try attempt() }
            do { try attempt() } catch { #expect("\(error)".contains("generator.network.fit"), "\(what): \(error)") }
        }
    }
}
