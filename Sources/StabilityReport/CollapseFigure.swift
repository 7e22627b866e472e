import EffectiveGAN
import Foundation

/// The collapse phase diagram as an SVG heatmap: φ across, the second config value down, colour = seed-mean
/// metric from 0 (full coverage, dark) to ln K (total collapse, yellow); φ_c of each row marked.
public enum CollapseFigure {
    public static func heatmap(_ study: CollapseStudy, rows: [CollapseRow], name: String) -> SVGPlot {
        let exact = study.column != CollapseStudy.ratioPath
        var plot = SVGPlot(
            title: "\(name): mode collapse against kernel coupling \(exact ? study.column : "φ")",
            xLabel: exact ? study.column : "kernel ratio φ = g₂/g₁", yLabel: study.rowPath ?? "")
        let lnK = log(Double(study.modeCount))
        plot.caption =
            "colour: seed mean of ln K + Σ p ln p (0: all \(study.modeCount) modes covered; ln K: one); ● marks φ_c"
        let bar = SVGPlot.ColorBar(label: "collapse metric ln K + Σ p ln p", low: 0, high: lnK)
        plot.colorBar = bar
        let ratios = study.ratios
        let edges = ratios.indices.map { k -> (Double, Double) in
            let left =
                k == 0
                ? ratios[0] - (ratios.count > 1 ? (ratios[1] - ratios[0]) / 2 : 0.5) : (ratios[k - 1] + ratios[k]) / 2
            let right =
                k == ratios.count - 1
                ? ratios[k] + (ratios.count > 1 ? (ratios[k] - ratios[k - 1]) / 2 : 0.5)
                : (ratios[k] + ratios[k + 1]) / 2
            return (left, right)
        }
        for (r, row) in rows.enumerated() {
            for (k, mean) in row.meanMetric.enumerated() {
                plot.cells.append(
                    SVGPlot.Cell(
                        x: edges[k], y: (Double(r) - 0.5, Double(r) + 0.5), color: Palette.ramp(bar.fraction(mean)),
                        tooltip:
                            "\(row.label), φ = \(Format.number(ratios[k])): metric \(Format.number(mean, digits: 4))"))
            }
        }
        // The boundary: φ_c of each row, joined across consecutive rows of one curve — rows over several --vs paths
        // form one curve per value of all paths but the last (e.g. φ_c against η_D for each discriminator). Rows
        // without a crossing are skipped.
        let curve = { (value: JSONValue) -> JSONValue in
            if case let .array(values) = value { return .array(Array(values.dropLast())) }
            return .null
        }
        var start = 0
        for end in 1...rows.count
        where end == rows.count || curve(study.rowValues[end]) != curve(study.rowValues[start]) {
            let boundary = (start..<end).compactMap { r in rows[r].transition.map { ($0, Double(r)) } }
            plot.series.append(
                SVGPlot.Series(
                    name: "φ_c", points: boundary, style: .lineAndMarkers, color: Palette.red, inLegend: start == 0))
            start = end
        }
        // Row values, numbers to 3 digits (η_D grids give 0.948683).
        func label(_ value: JSONValue) -> String {
            switch value {
            case let .number(x): return Format.number(x, digits: 3)
            case let .array(values): return values.map(label).joined(separator: ", ")
            default: return CollapseStudy.describe(value)
            }
        }
        plot.yCategories = study.rowPath == nil ? rows.map(\.label) : study.rowValues.map(label)
        plot.xRange = (edges.first!.0, edges.last!.1)
        plot.yRange = (-0.5, Double(rows.count) - 0.5)
        plot.height = max(300, 140 + (rows.count > 12 ? 24 : 56) * Double(rows.count))
        plot.legendAtBottom = true
        return plot
    }
}
