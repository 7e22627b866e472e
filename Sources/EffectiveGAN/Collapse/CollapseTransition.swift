import Foundation
import GSLBridge

/// One row of the phase diagram: the seed-mean metric along φ and the transition φ_c.
public struct CollapseRow: Sendable {
    public let label: String
    public let ratios: [Double]
    /// Seed-mean collapse metric at each φ.
    public let meanMetric: [Double]
    /// Where the seed-mean metric first crosses ½ ln K (linear interpolation), nil if it never does.
    public let transition: Double?
    /// 95 % bootstrap interval of φ_c over seeds (2.5 and 97.5 percentiles; nil ends where resamples never cross).
    public let interval: (Double?, Double?)
    /// Standard error of the seed mean at each φ.
    public let standardError: [Double]
    /// The universal-fit φ of each column's kernel (equal to `ratios` for the default column).
    public let fittedRatios: [Double]

    /// φ_c and its interval in universal-fit units: the column-space values mapped through `fittedRatios` by
    /// linear interpolation between grid points.
    public var fittedTransition: Double? { transition.map(fitted) }
    public var fittedInterval: (Double?, Double?) { (interval.0.map(fitted), interval.1.map(fitted)) }

    /// "[low, high]" with "—" for an unknown low end and "> grid" for a high end beyond the grid.
    public static func describe(_ interval: (Double?, Double?)) -> String {
        "[\(interval.0.map { Format.number($0, digits: 4) } ?? "—"), \(interval.1.map { Format.number($0, digits: 4) } ?? "> grid")]"
    }

    func fitted(_ value: Double) -> Double {
        guard let k = ratios.indices.dropFirst().first(where: { ratios[$0] >= value }) else {
            return fittedRatios.last ?? value
        }
        let t = (value - ratios[k - 1]) / (ratios[k] - ratios[k - 1])
        return fittedRatios[k - 1] + t * (fittedRatios[k] - fittedRatios[k - 1])
    }
}

extension CollapseStudy {
    /// Rows of the phase diagram with φ_c and its bootstrap interval (`resamples` draws of the seeds with
    /// replacement, from a fixed mt19937 stream, so the interval is reproducible).
    public func rows(_ cells: [Cell], resamples: Int = 400) throws -> [CollapseRow] {
        return try rowValues.indices.map { row in
            // ½ ln K with the row's own K: a second axis may change the targets (`--vs target.modes=4,16`).
            let threshold = log(Double(try modeCount(row: row))) / 2
            let table = ratios.map { ratio in
                seeds.map { seed in cells.first { $0.row == row && $0.ratio == ratio && $0.seed == seed }!.metric }
            }
            let means = table.map { $0.reduce(0, +) / Double($0.count) }
            let errors = table.map { values -> Double in
                guard values.count > 1 else { return 0 }
                let mean = values.reduce(0, +) / Double(values.count)
                let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
                return (variance / Double(values.count)).squareRoot()
            }
            // Resamples that never cross count as +∞ (the transition lies beyond the grid).
            let rng = MersenneTwister(seed: 12345)
            let estimates = (0..<resamples).map { _ -> Double in
                let picks = seeds.map { _ in Int(rng.uniform() * Double(seeds.count)) }
                let curve = table.map { values in picks.reduce(0) { $0 + values[$1] } / Double(picks.count) }
                return Self.crossing(ratios, curve, threshold) ?? .infinity
            }.sorted()
            func percentile(_ p: Double) -> Double? {
                let value = estimates[min(resamples - 1, Int(p * Double(resamples)))]
                return value.isFinite ? value : nil
            }
            // Several --vs paths: the values alone (the paths head the table).
            let label =
                rowPath.map {
                    rowPaths.count > 1 ? Self.describe(rowValues[row]) : "\($0) = \(Self.describe(rowValues[row]))"
                }
                ?? (column == Self.ratioPath ? "φ" : "exact kernel")
            return CollapseRow(
                label: label, ratios: ratios, meanMetric: means, transition: Self.crossing(ratios, means, threshold),
                interval: (percentile(0.025), percentile(0.975)), standardError: errors,
                fittedRatios: try fittedRatios(row: row))
        }
    }

    /// First upward crossing of `level`, linearly interpolated; the first point when the curve starts above it.
    /// A single grid point brackets nothing: no transition (nil), rather than that point.
    static func crossing(_ x: [Double], _ y: [Double], _ level: Double) -> Double? {
        guard x.count >= 2 else { return nil }
        if let first = y.first, first >= level { return x[0] }
        for k in 1..<x.count where y[k - 1] < level && y[k] >= level {
            return x[k - 1] + (level - y[k - 1]) / (y[k] - y[k - 1]) * (x[k] - x[k - 1])
        }
        return nil
    }

    public static func describe(_ value: JSONValue) -> String {
        switch value {
        case let .string(text): return text
        case let .number(x): return Format.number(x)
        case let .integer(n): return "\(n)"
        case .null: return ""
        case let .array(values): return values.map(describe).joined(separator: ", ")
        default: return value.compactText
        }
    }
}
