import ArgumentParser
import EffectiveGAN
import Foundation
import GSLBridge
import ResultForms
import StabilityReport

struct CollapseCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "collapse",
        abstract: "Mode-collapse phase diagram: final collapse metric against kernel coupling φ.",
        discussion: """
            For each φ (generator.kernel.ratio), each value of an optional second config path (--vs) and each seed \
            (generator.init.seed = 1…S; a generator network's generator.network.seed, each cell then training the \
            network's weights from its initialisation), simulates from the initial cloud and records the final metric \
            ln K + Σ p ln p (0: every mode covered; ln K: all particles on one mode), the covered modes and whether \
            the run converged, oscillated or diverged. φ_c is where the seed-mean metric crosses ½ ln K, with a 95 % \
            bootstrap interval over seeds. Cells run on all cores; --resume keeps finished cells in a file.
              egan collapse ring8-collapse --ratios 0:1:11 --seeds 4 --t-end 400
              egan collapse ring8-collapse --ratios 0:1:11 --seeds 4 --t-end 400 --vs discriminator.weightStd=0.5,1,2 --heatmap phase.svg
              egan collapse notebooks-text/configs/ring8-collapse-erf.json --column generator.kernel.biasVariance \\
                --ratios 0:0.2:11 --t-end 300
              egan collapse notebooks-text/configs/ring8-network-w64-dz8.json --column regularizer.strength \\
                --ratios 3,10 --seeds 2 --t-end 50 --integrator gd --lr 0.05 --vs generator.network.layers=64,512
            ReLU features make the flow non-smooth (φ′ jumps), which adaptive high-order steppers resolve with very \
            small steps; use plain gradient steps (--integrator gd --lr 0.05) or rkf45 with looser tolerances.
            """)

    @OptionGroup var model: ModelArgument
    @OptionGroup var progressOption: ProgressOption
    @Option(
        help:
            "Values of the swept column (φ by default): a grid FROM:TO:STEPS[:log|linear] (linear by default, ends included), a list, or both: 0,0.01:0.98:25:log.",
        transform: NumberList.increasing)
    var ratios: [Double]
    @Option(
        help: ArgumentHelp(
            "The swept column: a numeric config path that sets the kernel coupling.",
            discussion:
                "Default generator.kernel.ratio (the universal φ). For an exact kernel sweep one of its keys, e.g. generator.kernel.biasVariance of an ntk kernel; the output then also gives each column's universal-fit φ and φ_c in those units."
        ))
    var column: String = CollapseStudy.ratioPath
    @Option(
        help: "Number of seeds of the initial cloud (generator.init.seed = 1…S; generator.network.seed for a network).",
        transform: Checked.count(atLeast: 1))
    var seeds: Int = 4
    @Option(
        help:
            "Second axis: PATH=V1,V2,… with a key a study can set (docs/config.md; numbers, strings, or a grid FROM:TO:STEPS[:log|linear], log by default), e.g. discriminator.activation=relu,tanh,cos or discriminator.learningRate=0.1:10:5. Repeat it for every combination of several.",
        transform: StudyAxis.parse)
    var vs: [StudyAxis] = []
    @Option(help: "Simulated time of each run.", transform: Checked.positive)
    var tEnd: Double
    @Option(
        help: "Sample times per run (the outcome is judged on the last 10 %).", transform: Checked.count(atLeast: 2))
    var samples: Int = 101
    @OptionGroup var strength: GammaOption
    @OptionGroup var integration: IntegratorOptions
    @OptionGroup var parallel: ThreadsOption
    @Option(
        help:
            "How particles are assigned to modes: euclidean (nearest mode) or cosine (largest cosine similarity, as image experiments do)."
    )
    var measure: CollapseStudy.Measure = .euclidean
    @Option(
        help:
            "fixed: every cell runs to --t-end; relative: a cell at φ runs to t-end/(1 − φ) (at most 50×), the same relative motion for every φ, so φ_c does not drift with the run length."
    )
    var horizon: CollapseStudy.Horizon = .fixed
    @Flag(
        help:
            "Predict each row's φ_c from its discriminator's learning speeds (the frequency principle; one constant, the median over rows of the value each measured φ_c implies) and report the agreement with the measured φ_c."
    )
    var predict = false
    @Option(help: "Write the boundary as CSV, one line per row of the study (value, φ_c, its 95 % interval).")
    var boundary: String?
    @Option(help: "Keep finished cells in this JSON-lines file and skip them when run again.")
    var resume: String?
    @Option(help: "Write the phase diagram as an SVG heatmap to this file.")
    var heatmap: String?
    @Option(help: "Output: table (default), csv (one line per cell), or json (schema egan.collapse/1).")
    var format: OutputFormat = .table

    /// The rows: one `--vs` axis, or the product of several. An axis may not name the swept column or the seeds
    /// (every cell would get the same value), nor a path twice.
    func parseVs(seedPath: String = "generator.init.seed") throws -> ([String], [JSONValue]) {
        if Set(vs.map(\.path)).count < vs.count {
            throw ValidationError("--vs names a path twice; give each path once with all its values")
        }
        if let clash = vs.first(where: { $0.path == column || $0.path == seedPath }) {
            throw ValidationError(
                "--vs \(clash.path) would override the \(clash.path == column ? "swept column" : "seeds of the bootstrap") (every cell would get the same value); choose another path"
            )
        }
        return CollapseStudy.product(vs.map { ($0.path, $0.values) })
    }

    func execute() throws -> String { try parallel.running(study) }

    private func study() throws -> String {
        var source = try model.load()
        if let gamma = strength.gamma { source = try source.with(gamma: gamma) }
        let (paths, values) = try parseVs(seedPath: CollapseStudy.seedPath(source))
        let study = try CollapseStudy(
            source: source, column: column, ratios: ratios, seeds: seeds, rowPaths: paths, rowValues: values,
            settings: SimulationSettings(
                integrator: try integration.resolve(), tEnd: tEnd, samples: samples,
                relativeTolerance: integration.rtol, absoluteTolerance: integration.atol), measure: measure,
            horizon: horizon)
        try OutputFiles.check(
            [("--resume", resume), ("--heatmap", heatmap), ("--boundary", boundary)], reading: source)
        // Only the writing process (rank 0 of an MPI job) keeps the checkpoint: it hands out the undone cells.
        let checkpoint =
            CellExecution.current.isWriter
            ? try resume.map { try CollapseCheckpoint(path: $0, study: study) } : nil
        var store: (@Sendable (CollapseStudy.Cell) throws -> Void)?
        if let checkpoint { store = { try checkpoint.store($0) } }
        let cells = try study.run(done: checkpoint?.done ?? [], store: store, progress: progressOption.bar("collapse"))
        let rows = try study.rows(cells)
        if let boundary { try AtomicFile.write(CollapseForms.boundaryCSV(study, rows: rows), to: boundary) }
        let prediction = predict ? try CollapsePrediction(study: study, rows: rows) : nil
        if let heatmap {
            try AtomicFile.write(CollapseFigure.heatmap(study, rows: rows, name: source.name).render(), to: heatmap)
        }
        switch format {
        case .csv: return CollapseForms.cellsCSV(study, cells: cells)
        case .json:
            return CollapseForms.json(study, rows: rows, cells: cells, name: source.name, prediction: prediction)
                .commandOutput(source: source)
        case .table:
            return CollapseForms.table(study, rows: rows, cells: cells, name: source.name)
                + (prediction.map { CollapseForms.table($0, rows: rows, header: study.rowTitle) } ?? "")
        }
    }
}

extension CollapseStudy.Measure: ExpressibleByArgument {}
extension CollapseStudy.Horizon: ExpressibleByArgument {}
