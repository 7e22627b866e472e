import Foundation
import LinearAlgebra
import Numerics
import Testing

@testable import EffectiveGAN
@testable import GSLBridge

/// `generator.network`: the finite generator's exact Jacobian, its matched equilibrium w* by Gauss–Newton, and the
/// model §4 claim that the network's linearisation has the particle model's spectrum with Θ(w*).
@Suite("Network generators")
struct NetworkGeneratorTests {
    /// Three modes on a ring, N = 3, a tanh network of one hidden layer and a tanh critic of width 8, wgan + R1:
    /// small enough to train in tests.
    static func threeModeNetwork(width: Int) throws -> ModelSource {
        try TestModels.source(
            """
            {"dimension": 2, "target": {"kind": "ring", "modes": 3, "radius": 1.2},
             "generator": {"particles": 3, "learningRate": 0.8,
                           "network": {"layers": [\(width)], "activation": "tanh", "latentDimension": 4, "seed": 5}},
             "discriminator": {"kind": "mlp", "width": 8, "activation": "tanh", "seed": 4},
             "loss": "wgan", "regularizer": {"kind": "r1", "strength": 2}}
            """)
    }

    static func network(
        _ activation: NetworkGenerator.Activation, _ parameterization: NetworkGenerator.Parameterization,
        layers: [Int] = [6, 5]
    ) -> NetworkGenerator {
        NetworkGenerator(
            layers: layers, activation: activation, negativeSlope: 0.1, parameterization: parameterization,
            weightVariance: 1.3, biasVariance: 0.4, latentDimension: 3, latentDistribution: .gaussian, seed: 7,
            outputDimension: 2)
    }

    @Test(
        "the backpropagated Jacobian equals central differences of the outputs (1e-7)",
        arguments: NetworkGenerator.Activation.allCases, NetworkGenerator.Parameterization.allCases)
    func jacobianMatchesFiniteDifferences(
        activation: NetworkGenerator.Activation,
        parameterization: NetworkGenerator.Parameterization
    ) throws {
        let network = Self.network(activation, parameterization)
        let z = try network.latents(count: 4)
        let w = network.initialParameters()
        let analytic = network.jacobian(latents: z, parameters: w)
        var numeric = Matrix(rows: analytic.rows, columns: analytic.columns)
        let h = 1e-6
        for p in w.indices {
            var plus = w
            var minus = w
            plus[p] += h
            minus[p] -= h
            let (a, b) = (network.outputs(latents: z, parameters: plus), network.outputs(latents: z, parameters: minus))
            for row in 0..<analytic.rows { numeric[row, p] = (a[row / 2, row % 2] - b[row / 2, row % 2]) / (2 * h) }
        }
        #expect(
            (analytic - numeric).frobeniusNorm <= 1e-7 * analytic.frobeniusNorm, "\(activation) \(parameterization)")
    }

    @Test(
        "the batched backward pass Jᵀu equals the formed Jacobian's product (1e-13 relative)",
        arguments: NetworkGenerator.Activation.allCases, NetworkGenerator.Parameterization.allCases)
    func vectorJacobianProduct(
        activation: NetworkGenerator.Activation,
        parameterization: NetworkGenerator.Parameterization
    ) throws {
        let network = Self.network(activation, parameterization)
        let z = try network.latents(count: 5)
        let w = network.initialParameters()
        let rng = MersenneTwister(seed: 17)
        let u = Matrix(
            rows: 5, columns: network.outputDimension,
            columnMajor: (0..<(5 * network.outputDimension)).map { _ in rng.gaussian() })
        let pass = network.forwardPass(latents: z, parameters: w)
        let batched = network.vectorJacobianProduct(pass, parameters: w, cotangent: u)
        let jacobian = network.jacobian(latents: z, parameters: w)
        let flat = Matrix(
            rows: jacobian.rows, columns: 1, columnMajor: (0..<jacobian.rows).map { u[$0 / u.columns, $0 % u.columns] })
        let formed = Matrix.product(jacobian, flat, transA: .transposed).storage
        let scale = formed.map(abs).max()!
        #expect(scale > 0)
        #expect(zip(batched, formed).allSatisfy { $0.isApproximatelyEqual(to: $1, absoluteTolerance: 1e-13 * scale) })
    }

    @Test("standard parameterisation draws nn.Linear's U(±1/√fan_in); ntk draws N(0, 1)")
    func initialisation() {
        let standard = Self.network(.tanh, .standard)
        let w = standard.initialParameters()
        var offset = 0
        for shape in standard.shapes {
            let count = shape.outputs * (shape.inputs + 1)
            let bound = 1 / Double(shape.inputs).squareRoot()
            #expect(w[offset..<(offset + count)].allSatisfy { abs($0) <= bound })
            offset += count
        }
        let ntk = Self.network(.tanh, .ntk).initialParameters()
        #expect(ntk.map(abs).max()! > 1)  // Gaussian, not bounded by 1/√fan_in
    }

    @Test(
        "Gauss–Newton reaches G(z_i; w*) = y to 1e-12, and the model's kernel is (η_G/N)·J Jᵀ at w*",
        arguments: NetworkGenerator.Parameterization.allCases)
    func equilibrium(parameterization: NetworkGenerator.Parameterization) throws {
        let json = """
            {"dimension": 2, "target": {"kind": "ring", "modes": 4, "radius": 1.5},
             "generator": {"particles": 8, "learningRate": 0.6,
                           "network": {"layers": [24, 24], "activation": "tanh", "parameterization": "\(parameterization.rawValue)",
                                       "latentDimension": 5, "seed": 3}},
             "discriminator": {"kind": "mlp", "width": 6, "activation": "tanh", "seed": 2},
             "regularizer": {"kind": "r1", "strength": 1}}
            """
        let source = try TestModels.source(json)
        let config = try #require(source.config)
        let network = try #require(config.generator.network)
        let fit = try #require(config.generator.networkEquilibrium)
        let z = try network.latents(count: 8)
        let x = network.outputs(latents: z, parameters: fit.parameters)
        let targets = source.resolved.targets
        for i in 0..<8 {
            for a in 0..<2 {
                #expect(x[i, a].isApproximatelyEqual(to: targets[i % 4][a], absoluteTolerance: 1e-12 * 1.5))
            }
        }
        let jacobian = network.jacobian(latents: z, parameters: fit.parameters)
        let theta = Matrix.product(jacobian, jacobian, transB: .transposed)
        let kernel = Matrix(source.resolved.kernel)
        #expect((kernel - theta.scaled(by: 0.6 / 8)).frobeniusNorm <= 1e-13 * kernel.frobeniusNorm)
        #expect(EffectiveModel(source.resolved).kernel.crossOutputShare > 0.01)  // a finite net's cross-output blocks
    }

    @Test(
        "the network's linearisation in (w, θ) has the particle model's nonzero spectrum with Θ(w*) (1e-9 ρ)",
        arguments: ["tanh", "relu"], [Loss.wgan, .nonsaturating])
    func networkLinearisationMatchesParticleModel(activation: String, loss: Loss) throws {
        for regularizer in [RegularizerKind.r1, .r2] {
            let json = """
                {"dimension": 2, "target": {"kind": "ring", "modes": 3, "radius": 1.2},
                 "generator": {"particles": 6, "learningRate": 0.7,
                               "network": {"layers": [32], "activation": "\(activation)", "latentDimension": 4, "seed": 5}},
                 "discriminator": {"kind": "mlp", "width": 5, "activation": "tanh", "seed": 4, "learningRate": 1.1},
                 "loss": "\(loss.rawValue)", "regularizer": {"kind": "\(regularizer.rawValue)", "strength": 0.8}}
                """
            let source = try TestModels.source(json)
            let config = try #require(source.config)
            let network = try #require(config.generator.network)
            let fit = try #require(config.generator.networkEquilibrium)
            let jacobian = network.jacobian(latents: try network.latents(count: 6), parameters: fit.parameters)
            // The flow's blocks at z* with the identity in place of Θ: ẋ = (η_G/N) u gives (η_G/N) ∂u/∂θ on top.
            var identity = source.resolved
            identity.kernel = Matrix.identity(12).scaled(by: 0.7 / 6).rowArrays
            let blocks = EffectiveModel(identity).jacobian(at: EffectiveModel(identity).equilibriumState)
            let (nd, p) = (12, blocks.rows - 12)
            // (w, θ): ẇ = (η_G/N) Jᵀ u(G(Z; w), θ), θ̇ = θ̇(G(Z; w), θ). At z*, ∇_x D ≡ 0 kills ∂u/∂x and G's Hessian.
            let q = network.parameterCount
            var full = Matrix(rows: q + p, columns: q + p)
            for i in 0..<q {
                for j in 0..<p {
                    full[i, q + j] = (0..<nd).reduce(0) { $0 + jacobian[$1, i] * blocks[$1, nd + j] }
                }
            }
            for i in 0..<p {
                for j in 0..<q { full[q + i, j] = (0..<nd).reduce(0) { $0 + blocks[nd + i, $1] * jacobian[$1, j] } }
                for j in 0..<p { full[q + i, q + j] = blocks[nd + i, nd + j] }
            }
            // The assembled linearisation is the network flow's own derivative: central differences of
            // NetworkFlow.field at (w*, θ*), an independent implementation of ẇ = (η_G/N) Jᵀu, θ̇ = θ̇(G(Z; w), θ).
            let flow = try NetworkFlow(source)
            let z0 = try flow.equilibriumState()
            var numeric = Matrix(rows: z0.count, columns: z0.count)
            for c in z0.indices {
                var plus = z0
                var minus = z0
                plus[c] += 1e-6
                minus[c] -= 1e-6
                let (fp, fm) = (flow.field(at: plus), flow.field(at: minus))
                for r in z0.indices { numeric[r, c] = (fp[r] - fm[r]) / 2e-6 }
            }
            #expect((numeric - full).frobeniusNorm <= 1e-6 * full.frobeniusNorm, "\(activation) \(loss) \(regularizer)")
            let networkModes = try full.eigenvalues()
            let particleModes = try EffectiveModel(source.resolved).jacobian(
                at: EffectiveModel(source.resolved).equilibriumState
            )
            .eigenvalues()
            let ρ = particleModes.map(\.length).max()!
            let active = { (modes: [Complex<Double>]) in modes.filter { $0.length > 1e-9 * ρ } }
            let a = active(networkModes)
            let b = active(particleModes)
            #expect(a.count == b.count, "\(activation) \(loss) \(regularizer)")
            #expect(OscillatorStructureTests.spectralDistance(a, b) <= 1e-9, "\(activation) \(loss) \(regularizer)")
        }
    }

    @Test(
        "transfer: the empirical row is the config's γ*, the universal row its fit's, and the NTK gap shrinks with width"
    )
    func transfer() throws {
        func source(width: Int) throws -> ModelSource {
            try TestModels.source(
                """
                {"dimension": 2, "target": {"kind": "ring", "modes": 4, "radius": 1.5},
                 "generator": {"particles": 4, "network": {"layers": [\(width)], "activation": "relu", "latentDimension": 6, "seed": 2}},
                 "discriminator": {"kind": "mlp", "width": 16, "activation": "cos", "train": "outer", "seed": 3},
                 "regularizer": {"kind": "r1", "strength": 1}}
                """)
        }
        var gaps: [Double] = []
        for width in [16, 4096] {
            let network = try source(width: width)
            let transfer = try KernelTransfer.compare(network, from: 1e-2, to: 1e3)
            let empirical = try #require(transfer.rows[0].optimum)
            // The universal row is the universal kernel of Θ(w*)'s fit, in Θ's units (K = (η_G/N)·Θ, η_G = 1, N = 4).
            let fit = try EffectiveModel(network.resolved).kernel.kernelModes().fit
            let universal = try TestModels.source(
                """
                {"dimension": 2, "target": {"kind": "ring", "modes": 4, "radius": 1.5},
                 "generator": {"particles": 4, "kernel": {"kind": "universal", "ratio": \(fit.ratio), "self": \(fit.g1 * 4)}},
                 "discriminator": {"kind": "mlp", "width": 16, "activation": "cos", "train": "outer", "seed": 3},
                 "regularizer": {"kind": "r1", "strength": 1}}
                """)
            let expected = try OptimalStrength.find(universal, from: 1e-2, to: 1e3).gamma
            let universalRow = try #require(transfer.rows[1].optimum)
            #expect((universalRow.gamma / expected).isApproximatelyEqual(to: 1, absoluteTolerance: 1e-9))
            #expect(abs(universalRow.gamma / empirical.gamma - 1) > 1e-3)  // a different kernel, a different γ*
            let ntk = try #require(transfer.rows[2].optimum)
            gaps.append(abs(ntk.gamma / empirical.gamma - 1))
        }
        #expect(gaps[1] < gaps[0] && gaps[1] < 0.1, "NTK gaps \(gaps)")
    }

    @Test(
        "the network trained from a perturbation of (w*, θ*) decays at the effective model's rate: crosscheck PASS at three γ",
        arguments: ["tanh", "relu"])
    func trainedNetworkCrossChecks(activation: String) throws {
        let source = try TestModels.source(
            """
            {"dimension": 2, "target": {"kind": "ring", "modes": 3, "radius": 1.2},
             "generator": {"particles": 3, "learningRate": 0.8,
                           "network": {"layers": [24], "activation": "\(activation)", "latentDimension": 4, "seed": 5}},
             "discriminator": {"kind": "mlp", "width": 8, "activation": "tanh", "seed": 4},
             "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1}}
            """)
        let optimum = try OptimalStrength.find(source, from: 1e-2, to: 1e3).gamma
        for gamma in [optimum / 3, optimum, 3 * optimum] {
            let check = try NetworkFlow(source, gamma: gamma).crossCheck(tolerance: 1e-3)
            #expect(
                check.passed,
                "γ = \(gamma): rate \(check.measuredRate) vs \(check.predictedRate), frequency \(check.measuredFrequency) vs \(check.predictedFrequency)"
            )
        }
        // The flow is the network's: at (w*, θ*) it vanishes.
        let flow = try NetworkFlow(source)
        #expect(euclideanNorm(flow.field(at: try flow.equilibriumState())) <= 1e-12)
    }

    @Test("the network trained by gradient steps from w* + δw follows the particle model with Θ(w*) from G(Z; w* + δw)")
    func trainedNetworkFollowsTheEffectiveModel() throws {
        let source = try Self.threeModeNetwork(width: 48)
        let flow = try NetworkFlow(source)
        let settings = SimulationSettings(
            integrator: .gradientSteps(step: 0.2, scheme: .simultaneous, criticSteps: 1),
            start: .perturbedEquilibrium(epsilon: 1e-3, seed: 3),
            tEnd: 200, samples: 11, keepStates: true)
        let network = try flow.simulate(settings)
        #expect(network.status == .completed)
        // The same start in output space, run by the particle model with the constant kernel Θ(w*).
        var resolved = source.resolved
        let start = network.states[0]
        resolved.initialParticles = (0..<3).map { i in Array(start[(2 * i)..<(2 * i + 2)]) }
        var particleSettings = settings
        particleSettings.start = .initial
        let particles = try EffectiveModel(resolved).simulate(particleSettings)
        let d0 = network.observables[0].distance
        for (a, b) in zip(network.observables, particles.observables) {
            #expect(
                a.distance.isApproximatelyEqual(to: b.distance, absoluteTolerance: 1e-2 * d0),
                "\(a.distance) vs \(b.distance)")
        }
        #expect(network.observables.last!.distance < 0.5 * d0)  // it converges
    }

    @Test("convergence of a network config trains the network from w₀: its runs are NetworkFlow's, not the particles'")
    func convergenceTrainsTheNetwork() throws {
        let source = try Self.threeModeNetwork(width: 32)
        #expect(source.trainsNetwork)
        let settings = SimulationSettings(
            integrator: .gradientSteps(step: 0.2, scheme: .simultaneous, criticSteps: 1), tEnd: 40, samples: 9)
        let runs = try source.convergenceTimes(gammas: [1, 4], threshold: 1e-3, settings: settings)
        for (run, gamma) in zip(runs, [1.0, 4.0]) {
            let network = try NetworkFlow(source, gamma: gamma).simulate(settings)
            let particles = try EffectiveModel(source.resolved, gamma: gamma).simulate(settings)
            #expect(run.finalDistance == network.observables.last!.distance)
            #expect(run.finalDistance != particles.observables.last!.distance)
            // It starts where the network's outputs G(Z; w₀) are, not at the config's initial cloud.
            #expect(network.observables[0].distance != particles.observables[0].distance)
        }
    }

    @Test(
        "collapse on a network config trains each cell's network from w₀, seeded by generator.network.seed; widths make rows"
    )
    func collapseTrainsTheNetwork() throws {
        let source = try Self.threeModeNetwork(width: 16)
        let settings = SimulationSettings(
            integrator: .gradientSteps(step: 0.2, scheme: .simultaneous, criticSteps: 1), tEnd: 20, samples: 5)
        let study = try CollapseStudy(
            source: source, column: "discriminator.learningRate", ratios: [0.5, 2], seeds: 2,
            rowPaths: ["generator.network.layers"], rowValues: [.number(16), .number(32)], settings: settings)
        let cells = try study.run(done: [])
        #expect(cells.count == 8)
        for cell in cells {
            // The same cell built by hand: the widths, the rate and the network's seed written into the config.
            var config = source.config!
            config.generator.network!.layers = [cell.row == 0 ? 16 : 32]
            config.generator.network!.seed = cell.seed
            config.discriminator.learning = .gradientAscent(rate: cell.ratio)
            try config.fitNetwork()
            let trained = try NetworkFlow(config, resolved: config.resolve()).simulate(settings)
            #expect(
                cell.metric == trained.observables.last!.collapse, "row \(cell.row) η_D \(cell.ratio) seed \(cell.seed)"
            )
        }
        // The seeds' key cannot be the column; an adaptive stepper on a relu network is refused, not left to run.
        #expect(throws: InvalidSetting.self) {
            try CollapseStudy(
                source: source, column: "generator.network.seed", ratios: [1, 2], seeds: 1, settings: settings)
        }
        var relu = source.config!
        relu.generator.network!.activation = .relu
        try relu.fitNetwork()
        #expect(throws: InvalidSetting.self) {
            try NetworkFlow(relu, resolved: relu.resolve()).simulate(SimulationSettings(tEnd: 1, samples: 2))
        }
        // Seeds reach the network: its two initialisations end differently.
        #expect(cells[0].metric != cells[1].metric || cells[0].meanAbsoluteCosine != cells[1].meanAbsoluteCosine)
    }

    @Test("refused with the reason: more outputs than parameters, kernel and network together, missing layers")
    func refusals() throws {
        func config(_ network: String, kernel: String = "") -> String {
            """
            {"dimension": 2, "target": {"kind": "ring", "modes": 8},
             "generator": {"particles": 8, \(kernel) "network": \(network)},
             "discriminator": {"kind": "linear"}}
            """
        }
        #expect { try TestModels.source(config(#"{"layers": [1], "latentDimension": 2}"#)) } throws: {
            "\($0)".contains("generator.network") && "\($0)".contains("parameters")
        }
        #expect {
            try TestModels.source(
                config(#"{"layers": [8], "latentDimension": 2}"#, kernel: #""kernel": {"kind": "universal"},"#))
        } throws: { "\($0)".contains("generator.network") && "\($0)".contains("remove kernel") }
        #expect { try TestModels.source(config(#"{"latentDimension": 2}"#)) } throws: {
            "\($0)".contains("generator.network.layers")
        }
        // A collapse study over φ needs a column a network's kernel has; the error says so.
        let network = try TestModels.source(config(#"{"layers": [64], "activation": "tanh", "latentDimension": 8}"#))
        #expect {
            try CollapseStudy(
                source: network, ratios: [0, 0.5], seeds: 1,
                settings: SimulationSettings(tEnd: 1, samples: 2))
        } throws: { "\($0)".contains("generator network's kernel Θ(w*)") }
    }
}
