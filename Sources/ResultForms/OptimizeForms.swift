import EffectiveGAN
import Foundation

/// The JSON (schema `egan.optimize/2`) and table forms of the optimal strength.
extension OptimalStrength {
    public func json(name: String, exceptional: (all: [BranchMerge], dominant: BranchMerge?)?) -> JSONValue {
        .object([
            ("schema", .string("egan.optimize/2")), ("model", .string(name)), ("gamma", .number(gamma)),
            ("rate", .number(rate)), ("dominant", dominant?.json ?? .null),
            ("regimeBelow", .string(regimeBelow.rawValue)), ("regimeAbove", .string(regimeAbove.rawValue)),
            ("relation", .string(relation.key)),
            ("oscillatorDampingRatio", oscillatorDampingRatio.map(JSONValue.number) ?? .null),
            ("criticalPoints", .array(criticalPoints.map(\.json))),
            (
                "exceptionalPoints",
                exceptional.map { .array($0.all.map(\.json)) } ?? .null
            ),
            ("dominantExceptionalPoint", exceptional?.dominant.map { .number($0.value) } ?? .null),
        ])
    }
}

extension OptimalStrength {
    /// The key-value table of `egan optimize`.
    ///
    /// - Parameters:
    ///   - exceptional: every exceptional point of the scan and the dominant oscillator's, nil when there were
    ///     more than `oscillatorLimit` oscillators to refine.
    public func table(
        name: String, exceptional: (all: [BranchMerge], dominant: BranchMerge?)?, oscillatorLimit: Int
    ) -> String {
        var rows: [(String, String)] = [
            ("model", name),
            ("γ*", Format.refined(gamma)),
            ("r(γ*)", Format.refined(rate)),
            ("dominant λ", dominant.map { Format.complex($0.resolvedEigenvalue) } ?? "—"),
            ("regime below / above", "\(regimeBelow.rawValue) / \(regimeAbove.rawValue)"),
            ("γ* is", relation.sentence),
            (
                "ζ of the slowest oscillator",
                oscillatorDampingRatio.map { Format.number($0, digits: 4) } ?? "— (none oscillates)"
            ),
        ]
        rows.append(
            (
                "exceptional points",
                exceptional.map(Self.describe)
                    ?? "not listed: more than \(oscillatorLimit) oscillators (egan sweep --format json has them)"
            ))
        for point in criticalPoints {
            rows.append(
                (
                    "critical point",
                    "γ = \(Format.refined(point.value)): \(point.below.rawValue) → \(point.above.rawValue) (\(point.mechanism.rawValue))"
                ))
        }
        return TextTable.keyValue(rows)
    }

    /// The exceptional points in a sentence.
    static func describe(_ exceptional: (all: [BranchMerge], dominant: BranchMerge?)) -> String {
        guard !exceptional.all.isEmpty else { return "none in the searched interval" }
        let dominant =
            exceptional.dominant.map {
                "the oscillator dominant just below γ* is critically damped at γ = \(Format.refined($0.value)); "
            } ?? ""
        let values = exceptional.all.map { Format.number($0.value, digits: 4) }.joined(separator: ", ")
        return
            "\(dominant)on the scan grid \(exceptional.all.count) pairs meet the real axis (re-formed pairs included): γ = \(values)"
    }
}
