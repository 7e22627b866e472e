import EffectiveGAN
import Foundation
import Testing

@testable import StabilityReport

/// Issue #26: on a model like a user's own — a grid of modes with several samples each and a relu critic trained
/// `all` — the report's runs use a step below the h_max its own table gives, its outcome counts modes (not
/// samples), every derived setting is checked against what it came from, and the summary agrees with its figures.
@Suite("Reports on a user's grid model")
struct UserModelReportTests {
    /// 3 × 3 modes, spacing 2, 3 samples per mode (spread 0.05), N = 27, relu width 32 trained `all`, wgan + r1.
    static let grid = """
        {"name": "grid9", "dimension": 2,
         "target": {"kind": "grid", "side": 3, "spacing": 2.0, "samplesPerMode": 3, "spread": 0.05, "seed": 1},
         "generator": {"particles": 27, "kernel": {"kind": "universal", "ratio": 0.1},
                       "init": {"kind": "gaussian", "center": [0, 0], "std": 1.0, "seed": 2}},
         "discriminator": {"kind": "mlp", "width": 32, "activation": "relu", "train": "all", "seed": 3},
         "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
        """

    static func analysis() throws -> ReportAnalysis {
        let source = try ModelSource(json: JSONValue.parse(Data(grid.utf8), source: "grid9"), defaultName: "grid9")
        return try ReportAnalysis(source: source, from: 0.01, to: 100)
    }

    @Test("runs use half the simultaneous h_max of the report's own table, and end times within their sources")
    func derivedSettings() throws {
        let analysis = try Self.analysis()
        let hMax = analysis.stepLimits[0].1
        guard case let .gradientSteps(step, scheme, _) = analysis.integrator.integrator else {
            Issue.record("a relu critic must be integrated with gradient steps")
            return
        }
        #expect(scheme == .simultaneous)
        #expect(step < hMax && step == hMax / 2, "h = \(step) against h_max = \(hMax)")
        #expect(analysis.integrator.stepLimit == hMax)
        let rate = analysis.optimum.rate
        let relaxationEnd = try #require(analysis.relaxation.times.last)
        let initEnd = try #require(analysis.fromInit.times.last)
        // Each end time is at most what it was derived from (5/r, 10/r capped at 10⁵) and at most 10⁵ steps.
        #expect(relaxationEnd <= 5 / rate * (1 + 1e-12) && relaxationEnd <= DefaultIntegrator.roundBudget * step * 1.000001)
        #expect(initEnd <= min(10 / rate, 1e5) * (1 + 1e-12) && initEnd <= DefaultIntegrator.roundBudget * step * 1.000001)
        #expect(analysis.fromInit.status == .completed)
    }

    @Test("the outcome counts the 9 modes, not the 27 samples, and the summary agrees with the run it describes")
    func outcomeNamesModes() throws {
        let analysis = try Self.analysis()
        let outcome = analysis.globalOutcome
        #expect(outcome.modeCount == 9)
        #expect(outcome.coveredModes <= 9)
        let last = try #require(analysis.fromInit.observables.last)
        #expect(outcome.time == analysis.fromInit.times.last && outcome.finalW2 == last.wasserstein2)
        #expect(last.wasserstein2.isFinite && last.wasserstein2 < 100, "a run below h_max stays bounded")
        // The positions the figure draws stay near the data (a run above h_max once drew axes to ±5e277).
        let coordinates = analysis.fromInit.states.flatMap { $0.prefix(analysis.model.particleBlockLength) }
        #expect(!coordinates.isEmpty && coordinates.allSatisfy { abs($0) < 100 })
        #expect(analysis.figures.contains { $0.name == "positions" })
        let document = analysis.markdown(figureFiles: [:], command: "egan report grid9", date: Date(timeIntervalSince1970: 0))
        #expect(document.contains("of 9 modes covered"))
        #expect(!document.contains("of 27 modes"))
        #expect(document.contains(Format.number(outcome.time)))
    }
}
