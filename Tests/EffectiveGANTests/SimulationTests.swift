import Foundation
import GSLBridge
import Numerics
import Testing
import Synchronization

@testable import EffectiveGAN

/// Issue: the full nonlinear simulation and its agreement with theory.
@Suite("Simulation with GSL")
struct SimulationTests {
    static func dirac(_ loss: Loss, gamma: Double) throws -> EffectiveModel {
        try TestModels.dirac(loss: loss, outputBias: false, gamma: gamma)
    }

    static func run(
        _ model: EffectiveModel, _ integrator: Integrator, tEnd: Double, samples: Int = 2, rtol: Double = 1e-12,
        atol: Double = 1e-14, start: StartingPoint = .initial
    ) throws -> SimulationResult {
        try model.simulate(
            SimulationSettings(
                integrator: integrator, start: start, tEnd: tEnd, samples: samples, relativeTolerance: rtol,
                absoluteTolerance: atol, keepStates: true))
    }

    @Test(
        "wgan Dirac GAN at γ = 2 from x = 1: x(10) = 11e⁻¹⁰ to 1e-8 (rk8pd, msbdf)",
        arguments: [ODEStepper.rk8pd, .msbdf])
    func closedForm(stepper: ODEStepper) throws {
        // The dirac preset starts at x = 1 with v = 0.
        let model = try TestModels.preset(.dirac, gamma: 2)
        let result = try Self.run(model, .ode(stepper), tEnd: 10)
        #expect(result.status == .completed)
        #expect(result.finalState[0].isApproximatelyEqual(to: 11 * exp(-10.0), absoluteTolerance: 1e-8))
    }

    @Test("every GSL stepper integrates the Dirac GAN", arguments: ODEStepper.allCases)
    func everyStepper(stepper: ODEStepper) throws {
        let model = try TestModels.preset(.dirac, gamma: 2)
        let result = try Self.run(model, .ode(stepper), tEnd: 10, rtol: 1e-8, atol: 1e-10)
        #expect(result.finalState[0].isApproximatelyEqual(to: 11 * exp(-10.0), absoluteTolerance: 1e-5), "\(stepper): \(result.finalState[0])")
    }

    @Test("γ = 0: x² + v² is conserved over t = 200 (wgan, minimax)", arguments: [Loss.wgan, .minimax])
    func conservation(loss: Loss) throws {
        let model = try Self.dirac(loss, gamma: 0)
        let result = try Self.run(model, .ode(.rk8pd), tEnd: 200, samples: 401, rtol: 1e-12, atol: 1e-14)
        let invariants = result.states.map { $0[0] * $0[0] + $0[1] * $0[1] }
        #expect(invariants[0] > 0.1)
        for value in invariants { #expect(value.isApproximatelyEqual(to: invariants[0], absoluteTolerance: 1e-9)) }
    }

    @Test("r1: x² + v² decays by ∫ 2γ v² dt (wgan, minimax)", arguments: [Loss.wgan, .minimax])
    func dissipation(loss: Loss) throws {
        let gamma = 0.3
        let samples = 4001
        let model = try Self.dirac(loss, gamma: gamma)
        let result = try Self.run(model, .ode(.rk8pd), tEnd: 20, samples: samples)
        let h = 20.0 / Double(samples - 1)
        var integral = 0.0
        for k in 1..<result.states.count {
            let a = result.states[k - 1][1]
            let b = result.states[k][1]
            // Simpson-like accuracy from the trapezoid on a fine grid (error ~ h²).
            integral += h * (a * a + b * b) / 2
        }
        let initial = result.states[0][0] * result.states[0][0] + result.states[0][1] * result.states[0][1]
        let final = result.finalState[0] * result.finalState[0] + result.finalState[1] * result.finalState[1]
        #expect(initial - final > 0.1 * initial)
        #expect((initial - final).isApproximatelyEqual(to: 2 * gamma * integral, absoluteTolerance: 1e-5))
    }

    @Test("φ = 1: every pairwise particle difference is preserved (rigid motion) to 1e-9")
    func rigidMotion() throws {
        var source = try ModelSource(preset: .ring8)
        source = try ModelSource(
            json: source.document.setting(path: ["generator", "kernel", "ratio"], to: .number(1)), defaultName: "rigid")
        let model = EffectiveModel(source.resolved, gamma: 1)
        let result = try Self.run(model, .ode(.rk8pd), tEnd: 300, samples: 31, rtol: 1e-8, atol: 1e-10)
        let first = result.states[0]
        for state in result.states {
            for i in 0..<8 {
                for α in 0..<2 {
                    let moved = state[i * 2 + α] - state[α]
                    let initial = first[i * 2 + α] - first[α]
                    #expect(moved.isApproximatelyEqual(to: initial, absoluteTolerance: 1e-9))
                }
            }
        }
        #expect(abs(result.finalState[0] - first[0]) > 1e-6, "the cloud must move as a whole")
    }

    @Test(
        "gradient steps: below h_max they converge, above they diverge (simultaneous and alternating)",
        arguments: [(Preset.dirac, SteppingScheme.simultaneous), (.dirac, .alternating), (.line2, .alternating)])
    func gradientSteps(preset: Preset, scheme: SteppingScheme) throws {
        let model = try TestModels.preset(preset, gamma: 1)
        let limit = try DiscreteTraining(model: model, scheme: scheme).largestStableStep()
        func finalDistance(_ h: Double) throws -> Double {
            let result = try model.simulate(
                SimulationSettings(
                    integrator: .gradientSteps(step: h, scheme: scheme, criticSteps: 1),
                    start: .perturbedEquilibrium(epsilon: 1e-3, seed: 3), tEnd: h * 3000, samples: 2,
                    divergenceBound: 1e3))
            guard result.status == .completed else { return .infinity }  // diverged (overflow or bound)
            let z = result.finalState
            return zip(z, model.equilibriumState).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        }
        #expect(try finalDistance(0.9 * limit) < 1e-3)
        #expect(try finalDistance(1.1 * limit) > 1e-3)
    }

    @Test("divergence stops the run with a reason and keeps the samples before it")
    func divergence() throws {
        let model = try TestModels.preset(.dirac, gamma: 1)
        let result = try model.simulate(
            SimulationSettings(
                integrator: .gradientSteps(step: 1.5, scheme: .simultaneous, criticSteps: 1), tEnd: 3000, samples: 301,
                divergenceBound: 100))
        guard case let .stopped(reason, time) = result.status else {
            Issue.record("expected the run to diverge")
            return
        }
        #expect(reason.contains("diverged"))
        #expect(time > 0 && !result.times.isEmpty && result.times.last! < time)
    }

    @Test("GSL failures become Swift errors with the time reached")
    func gslFailure() throws {
        let model = try TestModels.preset(.dirac, gamma: 1)
        let integrator = ODEIntegrator(
            system: model.odeSystem(), stepper: .rk2, relativeTolerance: 1e-14, absoluteTolerance: 1e-16, maxSteps: 10)
        var state = model.initialState
        var time = 0.0
        let failure = try #require(throws: ODEFailure.self) { try integrator.advance(&state, time: &time, to: 100) }
        #expect(failure.description.contains("too many steps"))
        #expect(failure.time > 0 && failure.time < 100)
    }

    @Test("crosscheck passes within 2 % on dirac (all losses)", arguments: Loss.allCases)
    func crossCheckDirac(loss: Loss) throws {
        for gamma in [0.4, loss == .wgan ? 2.05 : 1.05, 5] {
            let check = try Self.dirac(loss, gamma: gamma).crossCheck()
            #expect(check.passed, "γ = \(gamma): rate \(check.measuredRate) vs \(check.predictedRate)")
        }
    }

    @Test("crosscheck passes within 2 % on ring8: under-, near-critical and overdamped")
    func crossCheckRing8() throws {
        for gamma in [1.0, 19.0, 100.0] {
            let check = try TestModels.preset(.ring8, gamma: gamma).crossCheck()
            #expect(
                check.passed, "γ = \(gamma): rate error \(check.rateError), frequency error \(check.frequencyError)")
        }
    }

    @Test("convergence from near the equilibrium: the fastest γ is within a factor 2 of the linear γ*")
    func convergenceMatchesOptimum() throws {
        let source = try ModelSource(preset: .ring8Near)
        let gammas = [4.0, 19.0, 60.0]
        let runs = try source.convergenceTimes(
            gammas: gammas, threshold: 1e-3, settings: SimulationSettings(tEnd: 2500, samples: 251))
        let fastest = try #require(runs.filter { $0.time != nil }.min { $0.time! < $1.time! })
        let optimum = try OptimalStrength.find(source, from: 1e-2, to: 1e3)
        #expect(fastest.gamma / optimum.gamma < 2 && optimum.gamma / fastest.gamma < 2)
    }

    @Test("observables at the equilibrium: zero distance, full coverage")
    func observablesAtEquilibrium() throws {
        let model = try TestModels.preset(.ring8)
        let o = model.observables(at: model.equilibriumState)
        #expect(o.distance == 0 && o.wasserstein2 == 0 && o.coveredModes == 8 && abs(o.collapse) <= 1e-15)
        // All particles on one target: total collapse, metric ln 8.
        var collapsed = model.equilibriumState
        for i in 0..<8 { collapsed[2 * i] = 2; collapsed[2 * i + 1] = 0 }
        #expect(model.observables(at: collapsed).collapse.isApproximatelyEqual(to: log(8.0), absoluteTolerance: 1e-15))
    }
}

/// Issue #9: each training method's linear prediction matches its nonlinear simulation.
@Suite("Training methods against simulation")
struct TrainingMethodCrossCheckTests {
    @Test(
        "crosscheck passes (rate and frequency within 1e-4) for every method on ring8",
        arguments: ["optimal", "pack2", "memory", "likelihood"])
    func crossCheck(method: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("notebooks-text/configs/ring8-\(method).json")
        let source = try ModelSource(
            json: JSONValue.parse(try Data(contentsOf: url), source: url.path), defaultName: method)
        let check = try EffectiveModel(source.resolved, gamma: 5).crossCheck()
        #expect(check.passed && check.rateError <= 1e-4 && check.frequencyError <= 1e-4, "\(method): \(check)")
    }
}

/// Issue #14: integrator diagnostics and interrupts.
@Suite("Simulation diagnostics")
struct SimulationDiagnosticsTests {
    @Test("gradient steps: one round per step, one field evaluation per simultaneous round, k + 1 alternating")
    func gradientStepCounts() throws {
        let model = try TestModels.preset(.ring8, gamma: 19)
        for (scheme, critics, perRound) in [(SteppingScheme.simultaneous, 1, 1), (.alternating, 3, 4)] {
            let settings = SimulationSettings(
                integrator: .gradientSteps(step: 0.5, scheme: scheme, criticSteps: critics), tEnd: 100, samples: 11)
            let result = try model.simulate(settings)
            #expect(result.statistics.steps == 200)
            #expect(result.statistics.rhsEvaluations == 200 * perRound)
            #expect(result.statistics.jacobianEvaluations == 0 && result.statistics.rejectedSteps == 0)
        }
    }

    @Test("GSL steppers: rk8pd takes 13 evaluations per attempted step (plus start-up); msbdf evaluates Jacobians")
    func odeCounts() throws {
        let model = try TestModels.preset(.ring8, gamma: 19)
        let explicit = try model.simulate(SimulationSettings(integrator: .ode(.rk8pd), tEnd: 200, samples: 5))
        let s = explicit.statistics
        // 13 stages per attempted step, plus at most one start-up evaluation per advance (4 sample intervals).
        let staged = 13 * (s.steps + s.rejectedSteps)
        #expect(s.steps > 10 && (staged...(staged + 4)).contains(s.rhsEvaluations), "\(s)")
        #expect(s.jacobianEvaluations == 0 && s.wallTime > 0)
        let implicit = try model.simulate(SimulationSettings(integrator: .ode(.msbdf), tEnd: 200, samples: 5))
        #expect(implicit.statistics.jacobianEvaluations > 0 && implicit.statistics.steps > 0)
    }

    @Test("an interrupt stops at the next sample and keeps every sample so far")
    func interrupt() throws {
        let model = try TestModels.preset(.ring8, gamma: 19)
        let asked = Mutex(0)
        let result = try model.simulate(
            SimulationSettings(tEnd: 1000, samples: 21),
            shouldStop: {
                asked.withLock { count in
                    count += 1; return count > 6
                }
            })
        #expect(result.times.count == 6)
        #expect(result.status == .stopped(reason: SimulationResult.interruptedReason, time: result.times.last!))
    }
}
