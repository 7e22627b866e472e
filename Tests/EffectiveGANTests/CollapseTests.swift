import Foundation
import Numerics
import Testing

@testable import EffectiveGAN

@Suite("Mode-collapse transition")
struct CollapseTests {
    static func study(ratios: [Double], seeds: Int = 4, rowPath: String? = nil, rowValues: [JSONValue] = []) throws
        -> CollapseStudy
    {
        try CollapseStudy(
            source: ModelSource(preset: .ring8Collapse), ratios: ratios, seeds: seeds, rowPaths: rowPath.map { [$0] } ?? [],
            rowValues: rowValues, settings: SimulationSettings(tEnd: 300, samples: 31))
    }

    @Test("a cell is the config with its column, row and seed written in: the document edit's model, bit for bit")
    func cellEqualsDocumentEdit() throws {
        for preset in [Preset.ring8Collapse, .digits100] {
            let source = try ModelSource(preset: preset)
            let study = try CollapseStudy(
                source: source, ratios: [0, 0.45], seeds: 2, rowPaths: ["discriminator.learningRate"],
                rowValues: [.number(1), .number(3)], settings: SimulationSettings(tEnd: 1, samples: 2))
            for (row, ratio, seed) in [(0, 0.0, 1), (1, 0.45, 2)] {
                var document = try source.document.setting(path: ["generator", "kernel", "ratio"], to: .number(ratio))
                document = try document.setting(path: ["generator", "init", "seed"], to: .integer(seed))
                document = try document.setting(path: ["discriminator", "learningRate"], to: study.rowValues[row])
                let cell = try study.model(row: row, ratio: ratio, seed: seed)
                #expect(cell.resolved == (try source.reading(document).resolved), "\(preset) row \(row) φ = \(ratio)")
            }
            // The edit reaches the model: other seed, other cloud; other φ, other kernel; other row, other η_D.
            let a = try study.model(row: 0, ratio: 0, seed: 1).resolved
            let b = try study.model(row: 1, ratio: 0.45, seed: 2).resolved
            #expect(a.initialParticles != b.initialParticles && a.kernel != b.kernel && a.etaD != b.etaD)
        }
    }

    @Test("φ = 0 covers the separated modes (metric < 0.05 ln M for every seed); φ = 1 keeps the initial metric")
    func endpoints() throws {
        let study = try Self.study(ratios: [0, 1])
        let cells = try study.run(done: [])
        let lnM = log(8.0)
        for cell in cells where cell.ratio == 0 {
            #expect(cell.metric < 0.05 * lnM, "seed \(cell.seed): \(cell.metric)")
        }
        for cell in cells where cell.ratio == 1 {
            let initial = try study.model(row: 0, ratio: 1, seed: cell.seed)
            let start = initial.observables(at: initial.initialState).collapse
            #expect(cell.metric.isApproximatelyEqual(to: start, absoluteTolerance: 1e-12), "seed \(cell.seed)")
        }
    }

    @Test("the seed-mean metric is non-decreasing in φ within bootstrap error, and φ_c moves with the bandwidth")
    func transition() throws {
        let study = try Self.study(
            ratios: [0, 0.05, 0.1, 0.15, 0.2, 0.3], seeds: 4, rowPath: "discriminator.weightStd",
            rowValues: [.number(0.5), .number(1)])
        let rows = try study.rows(try study.run(done: []))
        for row in rows {
            for k in 1..<row.meanMetric.count {
                let slack = 2 * (row.standardError[k] + row.standardError[k - 1]) + 1e-9
                #expect(row.meanMetric[k] >= row.meanMetric[k - 1] - slack, "\(row.label) at φ = \(row.ratios[k])")
            }
        }
        let narrow = try #require(rows[0].transition)
        let wide = try #require(rows[1].transition)
        #expect(abs(narrow - wide) > 0.01, "φ_c \(narrow) vs \(wide)")
    }

    @Test("identical cells whatever the number of threads, and a resumed study recomputes nothing")
    func determinismAndResume() throws {
        let study = try Self.study(ratios: [0.1, 0.5], seeds: 2)
        let parallel = try study.run(done: [])
        let serial = try study.cellKeys.map { try study.run(row: $0.row, ratio: $0.ratio, seed: $0.seed) }
        #expect(parallel == serial)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("collapse-\(UUID().uuidString).jsonl")
            .path
        let first = try CollapseCheckpoint(path: path, signature: study.signature)
        _ = try study.run(done: first.done, store: { try first.store($0) })
        // A torn last line (a run killed mid-write) is ignored.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"row\":0,\"rat".utf8))
        try handle.close()
        let second = try CollapseCheckpoint(path: path, signature: study.signature)
        #expect(second.done.count == 4)
        let stored = Mutex(0)
        let resumed = try study.run(done: second.done, store: { _ in stored.withLock { $0 += 1 } })
        #expect(stored.withLock { $0 } == 0)
        #expect(resumed == parallel)
        #expect(throws: InvalidSetting.self) { try CollapseCheckpoint(path: path, signature: "another study") }
    }

    @Test("bad requests are refused with a message")
    func badInput() throws {
        #expect(throws: InvalidSetting.self) { try Self.study(ratios: [0, 1.5]) }
        #expect(throws: InvalidSetting.self) { try Self.study(ratios: [-0.1]) }
        #expect(throws: InvalidSetting(.seeds, "must be at least 1 (got 0)")) { try Self.study(ratios: [0], seeds: 0) }
        #expect(throws: SweepError.self) {
            try Self.study(ratios: [0], rowPath: "discriminator.colour", rowValues: [.number(1)])
        }
        #expect(throws: ConfigError.self) {
            try Self.study(ratios: [0], rowPath: "discriminator.width", rowValues: [.string("wide")])
        }
    }
}

import Synchronization

@Suite("Mode collapse with an exact generator kernel")
struct ExactKernelCollapseTests {
    static let config = """
        {"dimension": 2, "target": {"kind": "ring", "modes": 8, "radius": 2.0},
         "generator": {"particles": 16, "learningRate": 1.0,
                       "kernel": {"kind": "ntk", "depth": 1, "activation": "erf", "biasVariance": 0.0, "latentDimension": 256, "seed": 4},
                       "init": {"kind": "gaussian", "center": [0.8, 0.0], "std": 0.05, "seed": 1}},
         "discriminator": {"kind": "mlp", "width": 32, "activation": "cos", "train": "outer", "seed": 3},
         "loss": "wgan", "regularizer": {"kind": "r1", "strength": 1.0}}
        """

    @Test("columns carry their kernel's universal-fit φ, and φ_c maps into those units by interpolation")
    func fittedRatios() throws {
        let source = try TestModels.source(Self.config)
        let study = try CollapseStudy(
            source: source, column: "generator.kernel.biasVariance", ratios: [0, 0.1, 0.2], seeds: 1,
            rowValues: [], settings: SimulationSettings(tEnd: 1, samples: 3))
        let fitted = try study.fittedRatios(row: 0)
        // The universal fit written out from the kernel's entries: φ = mean off-diagonal / mean diagonal.
        for (value, φ) in zip(study.ratios, fitted) {
            let k = try study.model(row: 0, ratio: value, seed: 1).resolved.kernel
            let n = Double(k.count)
            let diagonal = k.indices.reduce(0) { $0 + k[$1][$1] } / n
            let off = (k.flatMap { $0 }.reduce(0, +) - diagonal * n) / (n * (n - 1))
            #expect(φ.isApproximatelyEqual(to: off / diagonal, absoluteTolerance: 1e-12))
        }
        // Bias variance couples the latent samples: the fitted φ grows with it (erf: ≈ 0 without bias).
        #expect(abs(fitted[0]) < 0.01 && fitted[1] > fitted[0] + 0.1 && fitted[2] > fitted[1])
        let row = CollapseRow(
            label: "", ratios: study.ratios, meanMetric: [0, 1, 2], transition: 0.05, interval: (0.02, nil),
            standardError: [0, 0, 0], fittedRatios: fitted)
        #expect((row.fittedTransition!).isApproximatelyEqual(to: (fitted[0] + fitted[1]) / 2, absoluteTolerance: 1e-15))
        #expect((row.fittedInterval.0!).isApproximatelyEqual(to: (0.8 * fitted[0] + 0.2 * fitted[1]), absoluteTolerance: 1e-15))
        #expect(row.fittedInterval.1 == nil)
    }

    @Test("sweeping φ needs a universal kernel; the error names the column setting, in the library's words")
    func ratioNeedsUniversal() throws {
        let error = try #require(throws: InvalidSetting.self) {
            try CollapseStudy(
                source: TestModels.source(Self.config), ratios: [0, 0.1], seeds: 1, 
                settings: SimulationSettings(tEnd: 1, samples: 3))
        }
        #expect(error.setting == .column)
        #expect("\(error)".contains("generator.kernel.biasVariance") && !"\(error)".contains("--"))
    }
}
