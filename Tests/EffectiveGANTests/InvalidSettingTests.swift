import Foundation
import Testing

@testable import EffectiveGAN

/// Issue #18, layers keep their own words: the library names settings, never command-line flags.
@Suite("Library errors speak the library's words")
struct InvalidSettingTests {
    @Test("simulation, grid, discrete-training and collapse errors name settings, not flags")
    func noFlags() throws {
        let model = try TestModels.preset(.dirac, gamma: 1)
        var errors: [any Error] = []
        for settings in [
            SimulationSettings(tEnd: -1), SimulationSettings(tEnd: 1, samples: 1),
            SimulationSettings(integrator: .gradientSteps(step: 1e-12, scheme: .simultaneous, criticSteps: 1), tEnd: 1),
            SimulationSettings(start: .perturbedEquilibrium(epsilon: 0, seed: 1), tEnd: 1),
        ] {
            errors.append(try #require(throws: InvalidSetting.self) { try model.simulate(settings) })
        }
        errors.append(try #require(throws: SweepError.self) { try SweepGrid(from: 2, to: 1, steps: 3, scale: .linear) })
        errors.append(
            try #require(throws: InvalidSetting.self) {
                try DiscreteTraining(model: model, scheme: .alternating, criticSteps: 0)
            })
        for error in errors {
            #expect(!"\(error)".contains("--"), "\(error)")
        }
        let budget = try #require(errors[2] as? InvalidSetting)
        #expect(budget.setting == .stepSize && budget.mentions == [.endTime])
        // (t_end/h)·(critic steps + 1) = 2e12 field evaluations.
        #expect(budget.render { $0 == .stepSize ? "--lr" : "--t-end" }.hasPrefix("--lr with --t-end asks for 2e+12"))
    }
}
