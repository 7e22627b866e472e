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
}

extension CollapseStudy {
    /// Rows of the phase diagram with φ_c and its bootstrap interval (`resamples` draws of the seeds with
    /// replacement, from a fixed mt19937 stream, so the interval is reproducible).
    public func rows(_ cells: [Cell], resamples: Int = 400) -> [CollapseRow] {
        let threshold = log(Double(modeCount)) / 2
        return rowValues.indices.map { row in
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
            let label = rowPath.map { "\($0) = \(Self.describe(rowValues[row]))" } ?? "φ"
            return CollapseRow(
                label: label, ratios: ratios, meanMetric: means, transition: Self.crossing(ratios, means, threshold),
                interval: (percentile(0.025), percentile(0.975)), standardError: errors)
        }
    }

    /// First upward crossing of `level`, linearly interpolated.
    static func crossing(_ x: [Double], _ y: [Double], _ level: Double) -> Double? {
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
        default: return value.compactText
        }
    }
}
