import EffectiveGAN
import Foundation
import GSLBridge

/// The table, CSV and JSON forms of a collapse study (`egan collapse`, notebooks).
public enum CollapseForms {
    public static func interval(_ row: CollapseRow) -> String { CollapseRow.describe(row.interval) }

    /// A row value in a CSV line: one field per --vs path.
    public static func csvValue(_ value: JSONValue) -> String {
        if case let .array(values) = value { return values.map(CollapseStudy.describe).joined(separator: ",") }
        return CollapseStudy.describe(value)
    }

    /// The frequency-principle prediction next to the measured boundary, and the agreement.
    public static func table(_ prediction: CollapsePrediction, rows: [CollapseRow], header: String = "") -> String {
        let optional = { (value: Double?) in value.map { Format.number($0, digits: 4) } ?? "—" }
        let lines = zip(rows, prediction.rows).enumerated().map { index, pair in
            [
                pair.0.label + (index == prediction.calibrationRow ? " (calibration)" : ""),
                Format.number(pair.1.speed.separation, digits: 4), Format.number(pair.1.speed.ratio, digits: 4),
                optional(pair.1.measured), optional(pair.1.predicted),
            ]
        }
        let agreement =
            "agreement over \(prediction.compared) rows: Spearman ρ = \(optional(prediction.rankCorrelation)), median relative error of φ_c = \(optional(prediction.medianRelativeError))\n"
        return
            "prediction (frequency principle: (1 + (N − 1)φ_c)²/(1 − φ_c) = η_D κ_sep/(c² K_ii), c = \(optional(prediction.constant)), \(prediction.calibrationRow.map { "from row \($0 + 1)" } ?? "the median over rows")\n"
            + TextTable.render(
                header: [header, "κ_sep", "κ_sep/κ_mean", "measured φ_c", "predicted φ_c"], rows: lines)
            + agreement
    }

    public static func json(_ prediction: CollapsePrediction) -> JSONValue {
        let optional = { (value: Double?) in value.map(JSONValue.number) ?? .null }
        return .object([
            ("constant", optional(prediction.constant)),
            ("calibrationRow", prediction.calibrationRow.map(JSONValue.integer) ?? .null),
            ("rankCorrelation", optional(prediction.rankCorrelation)),
            ("medianRelativeError", optional(prediction.medianRelativeError)),
            ("compared", .integer(prediction.compared)),
            (
                "rows",
                .array(
                    prediction.rows.map { row in
                        .object([
                            ("kappaMean", .number(row.speed.mean)), ("kappaSeparation", .number(row.speed.separation)),
                            ("measured", optional(row.measured)), ("predicted", optional(row.predicted)),
                        ])
                    })
            ),
        ])
    }

    /// One line per row: the row's value, φ_c (empty when the grid never crosses ½ ln K) and its interval.
    public static func boundaryCSV(_ study: CollapseStudy, rows: [CollapseRow]) -> String {
        let field = { (value: Double?) in value.map { "\($0)" } ?? "" }
        // One column per --vs path.
        return "\(study.rowPath ?? "row"),transition,interval_low,interval_high\n"
            + zip(study.rowValues, rows).map { value, row in
                "\(csvValue(value)),\(field(row.transition)),\(field(row.interval.0)),\(field(row.interval.1))\n"
            }.joined()
    }

    public static func table(_ study: CollapseStudy, rows: [CollapseRow], cells: [CollapseStudy.Cell], name: String)
        -> String
    {
        let exact = study.column != CollapseStudy.ratioPath
        // Rows over several paths are labelled by their values; the paths head the first column.
        let rowsHeader = study.rowPaths.count > 1 ? study.rowTitle : nil
        let header =
            [exact ? study.column : (rowsHeader ?? ""), exact ? "transition" : "φ_c", "95 % interval"]
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
        // A second axis may change the targets (`--vs target.modes=4,16`): then each row has its own K.
        let modes = study.rowValues.indices.map { (try? study.modeCount(row: $0)) ?? study.modeCount }
        let scale =
            Set(modes).count > 1
            ? "0 = every mode covered, ln K = one mode, K per row: \(modes.map(String.init).joined(separator: ", "))"
            : "0 = all \(modes[0]) modes covered, \(Format.number(log(Double(modes[0])), digits: 4)) = one mode"
        return
            "\(name): seed-mean collapse metric (\(scale)), \(study.seeds.count) seeds\n"
            + TextTable.render(header: header, rows: lines) + "runs: \(outcomes)\n"
            + verdict(counts, total: cells.count)
            + "integrator, all cells: \(cells.map(\.statistics).reduce(IntegratorStatistics(), +).summary)\n"
    }

    /// A sentence when no run settled: the metric then reads where particles are at t_end, not where they end up.
    public static func verdict(_ counts: [CollapseStudy.Outcome: Int], total: Int) -> String {
        guard total > 0, (counts[.converged] ?? 0) == 0 else { return "" }
        if (counts[.diverged] ?? 0) == total { return "note: every run diverged; no boundary can be read\n" }
        return
            "note: no run settled by t_end (every one still moving or diverged): φ_c says where particles are at the end, not where they settle; longer runs or --horizon relative tell them apart\n"
    }

    /// Schema `egan.collapse/1`; with a prediction (the frequency principle) its fit and agreement.
    public static func json(
        _ study: CollapseStudy, rows: [CollapseRow], cells: [CollapseStudy.Cell], name: String,
        prediction: CollapsePrediction? = nil
    ) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
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
        ]
        if let prediction { pairs.append(("prediction", json(prediction))) }
        return .object(pairs)
    }

    /// One line per cell: the row value (one field per row key), φ, seed, metric, covered modes, outcome, mean |cos|.
    public static func cellsCSV(_ study: CollapseStudy, cells: [CollapseStudy.Cell]) -> String {
        (["\(study.rowPath ?? "row"),ratio,seed,metric,covered,outcome,mean_abs_cosine"]
            + cells.map { c in
                "\(csvValue(study.rowValues[c.row])),\(c.ratio),\(c.seed),\(c.metric),\(c.coveredModes),\(c.outcome.rawValue),\(c.meanAbsoluteCosine)"
            }).joined(separator: "\n") + "\n"
    }
}
