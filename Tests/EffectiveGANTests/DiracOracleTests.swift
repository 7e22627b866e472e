import Foundation
import Numerics
import Testing

@testable import EffectiveGAN

/// Spec §6 oracle: the Dirac GAN (d = N = M = 1, y = 0, linear D, r1) has λ = −γ/2 ± √(γ²/4 − f′(0)g′(0)).
@Suite("Dirac GAN oracle")
struct DiracOracleTests {
    static let gammas: [Double] = [0, 0.5, 1, 2, 3, 10]

    /// f′(0) g′(0): 1 for wgan, ¼ for the σ-losses.
    static func coupling(_ loss: Loss) -> Double { loss == .wgan ? 1 : 0.25 }

    static func expected(_ loss: Loss, gamma: Double, etaG: Double = 1, etaD: Double = 1) -> [Complex<Double>] {
        // λ² + η_D γ λ + η_G η_D f′g′ = 0.
        let b = etaD * gamma
        let c = etaG * etaD * coupling(loss)
        let discriminant = b * b / 4 - c
        if discriminant >= 0 {
            let root = discriminant.squareRoot()
            return [Complex(-b / 2 + root, 0), Complex(-b / 2 - root, 0)]
        }
        let root = (-discriminant).squareRoot()
        return [Complex(-b / 2, root), Complex(-b / 2, -root)]
    }

    /// Matches two eigenvalue lists as multisets (sorted by real, then imaginary part).
    static func sorted(_ values: [Complex<Double>]) -> [Complex<Double>] {
        values.sorted { $0.real != $1.real ? $0.real < $1.real : $0.imaginary < $1.imaginary }
    }

    @Test("eigenvalues equal −γ/2 ± √(γ²/4 − f′g′) to 1e-12", arguments: Loss.allCases, gammas)
    func eigenvalues(loss: Loss, gamma: Double) throws {
        let model = try TestModels.dirac(loss: loss, outputBias: false, gamma: gamma)
        let spectrum = try StabilityAnalysis(model: model).spectrum
        let computed = Self.sorted(spectrum.eigenvalues)
        let expected = Self.sorted(Self.expected(loss, gamma: gamma))
        #expect(computed.count == 2)
        for (a, b) in zip(computed, expected) {
            #expect(a.real.isApproximatelyEqual(to: b.real, absoluteTolerance: 1e-12), "Re λ = \(a.real), expected \(b.real)")
            #expect(a.imaginary.isApproximatelyEqual(to: b.imaginary, absoluteTolerance: 1e-12), "Im λ = \(a.imaginary), expected \(b.imaginary)")
        }
    }

    @Test("regimes: marginal at γ = 0, underdamped below γ_c, overdamped above", arguments: Loss.allCases)
    func regimes(loss: Loss) throws {
        let critical = loss == .wgan ? 2.0 : 1.0
        for gamma in Self.gammas where gamma != critical {
            let model = try TestModels.dirac(loss: loss, outputBias: false, gamma: gamma)
            let regime = try StabilityAnalysis(model: model).spectrum.regime
            let expected: Regime = gamma == 0 ? .marginal : (gamma < critical ? .underdamped : .overdamped)
            #expect(regime == expected, "γ = \(gamma)")
        }
    }

    @Test("the output bias is neutral for wgan and decays at rate ½ for the σ-losses", arguments: Loss.allCases)
    func biasMode(loss: Loss) throws {
        let model = try TestModels.dirac(loss: loss, outputBias: true, gamma: 0.5)
        let spectrum = try StabilityAnalysis(model: model).spectrum
        #expect(spectrum.modes.count == 3)
        let pair = Self.expected(loss, gamma: 0.5)
        let extra = spectrum.modes.filter { mode in !pair.contains { ($0 - mode.eigenvalue).length < 1e-12 } }
        #expect(extra.count == 1)
        if loss == .wgan {
            #expect(extra.first?.kind == .neutral)
        } else {
            #expect(abs((extra.first?.eigenvalue.real ?? 0) + 0.5) <= 1e-12)
        }
    }

    @Test("general rates: λ² + η_D γ λ + η_G η_D f′g′ = 0")
    func generalRates() throws {
        for loss in Loss.allCases {
            let model = try TestModels.dirac(loss: loss, outputBias: false, etaG: 0.3, etaD: 2.5, gamma: 0.7)
            let computed = Self.sorted(try StabilityAnalysis(model: model).spectrum.eigenvalues)
            let expected = Self.sorted(Self.expected(loss, gamma: 0.7, etaG: 0.3, etaD: 2.5))
            for (a, b) in zip(computed, expected) { #expect((a - b).length <= 1e-12) }
        }
    }

    @Test("rate and dominant mode at γ = 1 (wgan): r = ½, λ = −½ + (√3/2) i")
    func dominantMode() throws {
        let spectrum = try StabilityAnalysis(model: TestModels.dirac(loss: .wgan, outputBias: false, gamma: 1)).spectrum
        #expect(spectrum.rate.isApproximatelyEqual(to: 0.5, absoluteTolerance: 1e-12))
        let dominant = try #require(spectrum.dominantMode)
        #expect(dominant.eigenvalue.imaginary.isApproximatelyEqual(to: 3.0.squareRoot() / 2, absoluteTolerance: 1e-12))
        #expect(dominant.dampingRatio.isApproximatelyEqual(to: 0.5, absoluteTolerance: 1e-12))
    }
}
