import ArgumentParser
import EffectiveGAN
import GSLBridge
import Foundation
import StabilityReport

struct CollapseCommand: EganCommand {
    static let configuration = CommandConfiguration(
        commandName: "collapse",
        abstract: "Mode-collapse phase diagram: final collapse metric against kernel coupling φ.",
        discussion: """
            For each φ (generator.kernel.ratio), each value of an optional second config path (--vs) and each seed \
            (generator.init.seed = 1…S), simulates from the initial cloud and records the final metric \
            ln K + Σ p ln p (0: every mode covered; ln K: all particles on one mode), the covered modes and whether \
            the run converged, oscillated or diverged. φ_c is where the seed-mean metric crosses ½ ln K, with a 95 % \
            bootstrap interval over seeds. Cells run on all cores; --resume keeps finished cells in a file.
              egan collapse ring8-collapse --ratios 0:1:11 --seeds 4 --t-end 400
              egan collapse ring8-collapse --ratios 0:1:11 --seeds 4 --t-end 400 --vs discriminator.weightStd=0.5,1,2 --heatmap phase.svg
              egan collapse notebooks-text/configs/ring8-collapse-erf.json --column generator.kernel.biasVariance \\
                --ratios 0:0.2:11 --t-end 300
            ReLU features make the flow non-smooth (φ′ jumps), which adaptive high-order steppers resolve with very \
            small steps; use plain gradient steps (--integrator gd --lr 0.05) or rkf45 with looser tolerances.
            """)

    @OptionGroup var model: ModelArgument
    @Option(help: "Grid of the swept column as FROM:TO:STEPS (linear, endpoints included): φ by default.")
    var ratios: String
    @Option(
        help: ArgumentHelp(
            "The swept column: a numeric config path that sets the kernel coupling.",
            discussion:
                "Default generator.kernel.ratio (the universal φ). For an exact kernel sweep one of its keys, e.g. generator.kernel.biasVariance of an ntk kernel; the output then also gives each column's universal-fit φ and φ_c in those units."
        ))
    var column: String = CollapseStudy.ratioPath
    @Option(
        help: "Number of seeds of the initial cloud (generator.init.seed = 1…S).", transform: Checked.count(atLeast: 1))
    var seeds: Int = 4
    @Option(
        help:
            "Second axis: PATH=V1,V2,… with any config path (numbers or strings), e.g. discriminator.activation=relu,tanh,cos."
    )
    var vs: String?
    @Option(help: "Simulated time of each run.", transform: Checked.positive)
    var tEnd: Double
    @Option(
        help: "Sample times per run (the outcome is judged on the last 10 %).", transform: Checked.count(atLeast: 2))
    var samples: Int = 101
    @OptionGroup var strength: GammaOption
    @OptionGroup var integration: IntegratorOptions
    @OptionGroup var parallel: ThreadsOption
    @Option(help: "Keep finished cells in this JSON-lines file and skip them when run again.")
    var resume: String?
    @Option(help: "Write the phase diagram as an SVG heatmap to this file.")
    var heatmap: String?
    @Option(help: "Output: table (default), csv (one line per cell), or json (schema egan.collapse/1).")
    var format: OutputFormat = .table

    func parseRatios() throws -> [Double] {
        let parts = ratios.split(separator: ":", omittingEmptySubsequences: false).map {
            try? Checked.finite(String($0))
        }
        guard parts.count == 3, let from = parts[0], let to = parts[1], let steps = parts[2] else {
            throw ValidationError("--ratios must be FROM:TO:STEPS, e.g. 0:1:11 (got '\(ratios)')")
        }
        // One value alone is written V:V:1 (all seeds at one φ); a range needs FROM < TO and two points or more.
        if from == to, steps == 1 { return [from] }
        guard from < to else {
            throw ValidationError("--ratios: FROM \(from) must be below TO \(to), e.g. 0:1:11 (or V:V:1 for one value)")
        }
        guard steps == steps.rounded(), steps >= 2, steps <= 10_000 else {
            throw ValidationError(
                "--ratios: STEPS must be a whole number from 2 to 10000 (a transition needs two grid points; got \(Format.number(steps)))"
            )
        }
        return try SweepGrid(from: from, to: to, steps: Int(steps), scale: .linear).values
    }

    func parseVs() throws -> (String?, [JSONValue]) {
        guard let vs else { return (nil, []) }
        let pieces = vs.split(separator: "=", maxSplits: 1).map(String.init)
        guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else {
            throw ValidationError("--vs must be PATH=V1,V2,… e.g. discriminator.activation=relu,tanh (got '\(vs)')")
        }
        guard pieces[0] != column, pieces[0] != "generator.init.seed" else {
            throw ValidationError(
                "--vs \(pieces[0]) would override the \(pieces[0] == column ? "swept column" : "seeds of the bootstrap") (every cell would get the same value); choose another path"
            )
        }
        let values = try pieces[1].split(separator: ",", omittingEmptySubsequences: false).map { text -> JSONValue in
            let word = text.trimmingCharacters(in: .whitespaces)
            guard !word.isEmpty else {
                throw ValidationError("--vs has an empty value in '\(pieces[1])'; list values as V1,V2,…")
            }
            if let number = Double(word) { return .number(number) }
            if word == "true" || word == "false" { return .bool(word == "true") }
            return .string(word)
        }
        return (pieces[0], values)
    }

    func execute() throws -> String { try parallel.running(study) }

    private func study() throws -> String {
        var source = try model.load()
        if let gamma = strength.gamma { source = try source.with(gamma: gamma) }
        let (path, values) = try parseVs()
        let study = try CollapseStudy(
            source: source, column: column, ratios: try parseRatios(), seeds: seeds, rowPath: path, rowValues: values,
            settings: SimulationSettings(
                integrator: try integration.resolve(), tEnd: tEnd, samples: samples,
                relativeTolerance: integration.rtol, absoluteTolerance: integration.atol))
        for target in [resume, heatmap].compactMap({ $0 }) { try AtomicFile.checkTarget(target) }
        // Only the writing process (rank 0 of an MPI job) keeps the checkpoint: it hands out the undone cells.
        let checkpoint =
            CellExecution.current.isWriter
            ? try resume.map { try CollapseCheckpoint(path: $0, signature: study.signature) } : nil
        var store: (@Sendable (CollapseStudy.Cell) throws -> Void)?
        if let checkpoint { store = { try checkpoint.store($0) } }
        let cells = try study.run(done: checkpoint?.done ?? [], store: store, progress: Progress.bar("collapse"))
        let rows = try study.rows(cells)
        if let heatmap {
            try AtomicFile.write(CollapseFigure.heatmap(study, rows: rows, name: source.name).render(), to: heatmap)
        }
        switch format {
        case .csv:
            return
                (["row,ratio,seed,metric,covered,outcome"]
                + cells.map { c in
                    "\(CollapseStudy.describe(study.rowValues[c.row])),\(c.ratio),\(c.seed),\(c.metric),\(c.coveredModes),\(c.outcome.rawValue)"
                }).joined(separator: "\n") + "\n"
        case .json:
            return CollapseText.json(study, rows: rows, cells: cells, name: source.name).prettyText + "\n"
        case .table:
            return CollapseText.table(study, rows: rows, cells: cells, name: source.name)
        }
    }
}

enum CollapseText {
    static func interval(_ row: CollapseRow) -> String { CollapseRow.describe(row.interval) }

    static func table(_ study: CollapseStudy, rows: [CollapseRow], cells: [CollapseStudy.Cell], name: String) -> String
    {
        let exact = study.column != CollapseStudy.ratioPath
        let header =
            [exact ? study.column : "", exact ? "transition" : "φ_c", "95 % interval"]
            + study.ratios.map { Format.number($0, digits: 3) }
        var lines: [[String]] = []
        for row in rows {
            lines.append(
                [
                    row.label,
                    row.transition.map { Format.number($0, digits: 4) }
                        ?? (study.ratios.count < 2 ? "— (one grid point)" : "> grid"),
                    study.ratios.count < 2 ? "—" : interval(row),
                ]
                    + row.meanMetric.map { Format.number($0, digits: 3) })
            if exact {
                let fittedInterval = CollapseRow.describe(row.fittedInterval)
                lines.append(
                    [
                        "  universal-fit φ", row.fittedTransition.map { Format.number($0, digits: 4) } ?? "> grid",
                        fittedInterval,
                    ]
                        + row.fittedRatios.map { Format.number($0, digits: 3) })
            }
        }
        var counts: [CollapseStudy.Outcome: Int] = [:]
        for cell in cells { counts[cell.outcome, default: 0] += 1 }
        let outcomes = CollapseStudy.Outcome.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(
            separator: ", ")
        return
            "\(name): seed-mean collapse metric (0 = all \(study.modeCount) modes covered, \(Format.number(log(Double(study.modeCount)), digits: 4)) = one mode), \(study.seeds.count) seeds\n"
            + TextTable.render(header: header, rows: lines) + "runs: \(outcomes)\n"
            + "integrator, all cells: \(cells.map(\.statistics).reduce(IntegratorStatistics(), +).summary)\n"
    }

    static func json(_ study: CollapseStudy, rows: [CollapseRow], cells: [CollapseStudy.Cell], name: String)
        -> JSONValue
    {
        .object([
            ("schema", .string("egan.collapse/1")), ("model", .string(name)), ("modes", .integer(study.modeCount)),
            ("column", .string(study.column)), ("ratios", .numbers(study.ratios)),
            ("seeds", .integer(study.seeds.count)),
            ("vs", study.rowPath.map(JSONValue.string) ?? .null),
            (
                "rows",
                .array(
                    rows.enumerated().map { index, row in
                        .object([
                            ("value", study.rowValues[index]), ("meanMetric", .numbers(row.meanMetric)),
                            ("standardError", .numbers(row.standardError)),
                            ("transition", row.transition.map(JSONValue.number) ?? .null),
                            ("fittedRatios", .numbers(row.fittedRatios)),
                            ("fittedTransition", row.fittedTransition.map(JSONValue.number) ?? .null),
                            (
                                "fittedInterval",
                                .array([
                                    row.fittedInterval.0.map(JSONValue.number) ?? .null,
                                    row.fittedInterval.1.map(JSONValue.number) ?? .null,
                                ])
                            ),
                            (
                                "interval",
                                .array([
                                    row.interval.0.map(JSONValue.number) ?? .null,
                                    row.interval.1.map(JSONValue.number) ?? .null,
                                ])
                            ),
                        ])
                    })
            ),
            ("cells", .array(cells.map(\.json))),
        ])
    }
}
