import LinearAlgebra
import Numerics
import Testing

@testable import EffectiveGAN

/// Spec §7: discrete gradient steps.
@Suite("Discrete training")
struct DiscreteTrainingTests {
    @Test(
        "simultaneous: h_max = min −2 Re λ/|λ|² (closed form) to 1e-6",
        arguments: [(Preset.dirac, 0.5), (.dirac, 1), (.dirac, 3), (.ring8, 1), (.ring8, 30), (.line2, 0.5)])
    func simultaneousClosedForm(preset: Preset, gamma: Double) throws {
        let model = try TestModels.preset(preset, gamma: gamma)
        let training = try DiscreteTraining(model: model, scheme: .simultaneous)
        let spectrum = try StabilityAnalysis(model: model).spectrum
        let closedForm = spectrum.activeModes.map { -2 * $0.eigenvalue.real / $0.eigenvalue.lengthSquared }.min()!
        let limit = try training.largestStableStep()
        #expect(limit.isApproximatelyEqual(to: closedForm, absoluteTolerance: 1e-6 * closedForm))
    }

    @Test("no step is stable at γ = 0 (marginal flow)")
    func marginal() throws {
        let training = try DiscreteTraining(model: TestModels.preset(.dirac, gamma: 0), scheme: .simultaneous)
        #expect(try training.largestStableStep() == 0)
    }

    @Test("Dirac underdamped r1: |μ|² = 1 − hγ + h²a²")
    func diracMultiplier() throws {
        let training = try DiscreteTraining(model: TestModels.preset(.dirac, gamma: 0.6), scheme: .simultaneous)
        let h = 0.3
        #expect((try training.contraction(step: h)).isApproximatelyEqual(to: (1 - h * 0.6 + h * h).squareRoot(), absoluteTolerance: 1e-14))
    }

    @Test(
        "alternating at γ = 0: μ = 1 − α²/2 ± √((1 − α²/2)² − 1), α = √(n_g n_d)·h·a",
        arguments: [(1, 1, 0.5), (3, 1, 0.7), (2, 2, 0.9), (4, 1, 1.2)])
    func alternatingOracle(critic: Int, generator: Int, h: Double) throws {
        let training = try DiscreteTraining(
            model: TestModels.preset(.dirac, gamma: 0), scheme: .alternating, criticSteps: critic,
            generatorSteps: generator)
        let α = (Double(critic * generator)).squareRoot() * h
        let b = 1 - α * α / 2
        let expected = α <= 2 ? 1.0 : abs(b) + (b * b - 1).squareRoot()
        let multipliers = try training.transitionMatrix(step: h).eigenvalues()
        let radius = multipliers.map(\.length).max()!
        #expect(radius.isApproximatelyEqual(to: expected, absoluteTolerance: 1e-12), "α = \(α)")
    }

    @Test(
        "alternating h_max agrees with a direct power iteration of the linear map", arguments: [Preset.dirac, .line2])
    func alternatingPowerIteration(preset: Preset) throws {
        let model = try TestModels.preset(preset, gamma: 0.8)
        let training = try DiscreteTraining(model: model, scheme: .alternating, criticSteps: 2, reduced: false)
        let limit = try training.largestStableStep()
        #expect(limit > 0 && limit.isFinite)
        // Active directions only: start from the image of J, which has no component along its null space.
        let jacobian = model.jacobian(at: model.equilibriumState)
        let start = jacobian.apply((0..<model.stateDimension).map { 0.3 + 0.1 * Double($0 % 7) })
        func growth(_ h: Double) -> Double {
            let map = training.transitionMatrix(step: h)
            var v = start
            for _ in 0..<4000 { v = map.apply(v) }
            return v.reduce(0) { $0 + $1 * $1 }.squareRoot() / start.reduce(0) { $0 + $1 * $1 }.squareRoot()
        }
        #expect(growth(limit * 0.98) < 1)
        #expect(growth(limit * 1.02) > 1)
    }

    /// The reduced map (oscillator structure, size 2s + n_q) against the dense one, on every kind of small model.
    @Test("reduced and dense maps give the same contraction and h_max", arguments: Activation.allCases)
    func reducedMatchesDense(activation: Activation) throws {
        var compared = 0
        for training in Training.allCases {
            try TestModels.forEachMLP(activation: activation, training: training) { model, label in
                guard model.regularizer != .none, (try? model.verifiedEquilibriumResidual()) != nil,
                    try OscillatorStructure(model) != nil
                else { return }
                for (scheme, critics) in [(SteppingScheme.simultaneous, 1), (.alternating, 1), (.alternating, 3)] {
                    let reduced = try DiscreteTraining(model: model, scheme: scheme, criticSteps: critics)
                    let dense = try DiscreteTraining(model: model, scheme: scheme, criticSteps: critics, reduced: false)
                    let limit = try dense.largestStableStep()
                    guard limit > 0, limit.isFinite else { continue }
                    for h in [0.3 * limit, 0.9 * limit, 1.1 * limit] {
                        let (a, b) = (try reduced.contraction(step: h), try dense.contraction(step: h))
                        #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-9), "\(label) \(scheme) k=\(critics) h=\(h): \(a) vs \(b)")
                    }
                    let reducedLimit = try reduced.largestStableStep()
                    #expect(reducedLimit.isApproximatelyEqual(to: limit, absoluteTolerance: 1e-5 * limit), "\(label): \(reducedLimit) vs \(limit)")
                    compared += 1
                }
            }
        }
        #expect(compared >= 30, "only \(compared) comparisons")
    }

    @Test("--critic-steps with simultaneous steps is refused")
    func criticStepsNeedAlternating() throws {
        let error = try #require(throws: InvalidSetting.self) {
            try DiscreteTraining(model: TestModels.preset(.dirac, gamma: 1), scheme: .simultaneous, criticSteps: 3)
        }
        #expect(error.setting == .criticSteps && error.mentions == [.scheme])
    }
}
