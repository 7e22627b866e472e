import Foundation
import Numerics
import Testing

@testable import EffectiveGAN

@Suite("Sweeps, critical points and the optimal strength")
struct OptimalStrengthTests {
    static func diracSource(_ loss: Loss) throws -> ModelSource {
        try TestModels.source(
            """
            {"dimension": 1, "target": {"kind": "points", "points": [[0]]}, "generator": {"particles": 1},
             "discriminator": {"kind": "linear", "outputBias": false}, "loss": "\(loss.rawValue)",
             "regularizer": {"kind": "r1", "strength": 0}}
            """)
    }

    @Test(
        "Dirac GAN: γ* = 2 (wgan) or 1 (σ-losses) to 1e-6, at the critical point, r(γ*) = 1 or ½",
        arguments: Loss.allCases)
    func diracOptimum(loss: Loss) throws {
        let expectedGamma = loss == .wgan ? 2.0 : 1.0
        let expectedRate = loss == .wgan ? 1.0 : 0.5
        let optimum = try OptimalStrength.find(try Self.diracSource(loss), from: 0.01, to: 100)
        #expect(optimum.gamma.isApproximatelyEqual(to: expectedGamma, absoluteTolerance: 1e-6 * expectedGamma))
        #expect(optimum.rate.isApproximatelyEqual(to: expectedRate, absoluteTolerance: 1e-6 * expectedRate))
        #expect(optimum.relation == .exceptionalPoint(optimum.criticalPoints[0].value))
        #expect((try #require(optimum.dominant?.dampingRatio)).isApproximatelyEqual(to: 1, absoluteTolerance: 1e-3))
        #expect(optimum.criticalPoints.count == 1)
        let critical = try #require(optimum.criticalPoints.first)
        #expect(critical.value.isApproximatelyEqual(to: expectedGamma, absoluteTolerance: 1e-6 * expectedGamma))
        #expect(critical.mechanism == .merge)
        #expect(optimum.regimeBelow == .underdamped && optimum.regimeAbove == .overdamped)
    }

    @Test("ring8: r(γ) rises, peaks and falls; r(γ*) ≥ r on a fine scan; regimes either side of the critical points")
    func ring8Shape() throws {
        let source = try ModelSource(preset: .ring8)
        let optimum = try OptimalStrength.find(source, from: 1e-2, to: 1e3)
        let scan = try Sweep.run(source, values: try SweepGrid(from: 1e-2, to: 1e3, steps: 201, scale: .log).values)
        let rates = scan.points.map(\.spectrum.rate)
        for rate in rates { #expect(optimum.rate >= rate) }
        #expect(optimum.relation == .branchCrossing)
        // Many modes: the optimum is not critical damping of the dominant oscillator (ζ ≈ 0.71, notebook 02).
        #expect(try #require(optimum.oscillatorDampingRatio) < 0.9)
        #expect(rates.first! < optimum.rate && rates.last! < optimum.rate)
        let critical = try scan.criticalPoints(source)
        let first = try #require(critical.first?.value)
        let last = try #require(critical.last?.value)
        for point in scan.points where point.value > 0 {
            if point.value < first { #expect(point.spectrum.regime == .underdamped, "γ = \(point.value)") }
            if point.value > last { #expect(point.spectrum.regime == .overdamped, "γ = \(point.value)") }
        }
    }

    @Test("branch merges of the Dirac GAN: the pair meets the real axis at γ = 2, λ = −1")
    func branchMerge() throws {
        let source = try Self.diracSource(.wgan)
        let sweep = try Sweep.run(source, values: try SweepGrid(from: 0.5, to: 4, steps: 15, scale: .linear).values)
        let branches = sweep.branches()
        #expect(branches.count == 2)
        let merges = try sweep.branchMerges(source, branches: branches)
        let merge = try #require(merges.first)
        #expect(merges.count == 1)
        #expect(merge.value.isApproximatelyEqual(to: 2, absoluteTolerance: 2e-6))
        #expect(abs(merge.eigenvalue + 1) <= 1e-2)
    }

    @Test("branch tracking keeps identities: consecutive jumps are never larger than with sorting")
    func trackingIsSmooth() throws {
        let source = try ModelSource(preset: .line2)
        let sweep = try Sweep.run(source, values: try SweepGrid(from: 0.01, to: 10, steps: 40, scale: .log).values)
        let tracked = sweep.branches().map(\.eigenvalues)
        func totalJump(_ series: [[Complex<Double>]]) -> Double {
            series.reduce(0) { sum, s in sum + zip(s, s.dropFirst()).reduce(0) { $0 + ($1.1 - $1.0).length } }
        }
        // Sorting by (Re, Im) at each point, the naive alternative, over the whole spectrum.
        let sortedSpectra = sweep.points.map { point in
            point.spectrum.eigenvalues.sorted {
                $0.real != $1.real ? $0.real < $1.real : $0.imaginary < $1.imaginary
            }
        }
        let sortedSeries = (0..<sortedSpectra[0].count).map { b in sortedSpectra.map { $0[b] } }
        #expect(tracked.count == 6)
        #expect(totalJump(tracked) <= totalJump(sortedSeries) + 1e-9)
    }

    @Test("minimum-cost assignment equals brute force on small matrices")
    func assignment() {
        var seed: UInt64 = 42
        func next() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53)
        }
        func permutations(_ n: Int) -> [[Int]] {
            if n == 0 { return [[]] }
            return permutations(n - 1).flatMap { p in
                (0...p.count).map {
                    var q = p; q.insert(n - 1, at: $0); return q
                }
            }
        }
        for _ in 0..<20 {
            let cost = (0..<5).map { _ in (0..<5).map { _ in next() } }
            let best = permutations(5).map { p in p.enumerated().reduce(0) { $0 + cost[$1.offset][$1.element] } }.min()!
            let assignment = minimumCostAssignment(cost)
            #expect(Set(assignment).count == 5)
            let total = assignment.enumerated().reduce(0) { $0 + cost[$1.offset][$1.element] }
            #expect(total.isApproximatelyEqual(to: best, absoluteTolerance: 1e-12))
        }
    }

    @Test("non-finite costs return at once (the identity) instead of looping; W₂ of such a cloud is infinite")
    func nonFiniteCosts() throws {
        #expect(minimumCostAssignment([[.infinity, 1], [1, .nan]]) == [0, 1])
        let model = try TestModels.preset(.ring8)
        var z = model.equilibriumState
        z[0] = 1e200
        #expect(model.observables(at: z).wasserstein2 == .infinity)
    }

    @Test("sweeping another config path: the kernel ratio φ changes the spectrum")
    func parameterPath() throws {
        let source = try ModelSource(preset: .ring8).with(gamma: 1)
        let path = try ParameterPath("generator.kernel.ratio", for: source)
        let sweep = try Sweep.run(source, parameter: path, values: [0, 0.5])
        #expect(sweep.points[0].spectrum.rate != sweep.points[1].spectrum.rate)
        #expect(throws: SweepError.self) { try ParameterPath("generator.kernel.ratoi", for: source) }
    }

    @Test("bad grids are refused")
    func badGrids() {
        #expect(throws: SweepError.invalidRange(from: 1, to: 1)) {
            try SweepGrid(from: 1, to: 1, steps: 5, scale: .linear)
        }
        #expect(throws: SweepError.invalidRange(from: 2, to: 1)) {
            try SweepGrid(from: 2, to: 1, steps: 5, scale: .linear)
        }
        #expect(throws: SweepError.tooFewSteps(1)) { try SweepGrid(from: 0, to: 1, steps: 1, scale: .linear) }
        #expect(throws: SweepError.nonPositiveLogBound(from: 0, to: 1)) {
            try SweepGrid(from: 0, to: 1, steps: 5, scale: .log)
        }
    }
}
